from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        # Survey answers and open recovery cases in the customer's history.
        from customers.selectors import customer_panel_register
        from surveys.selectors import survey_customer_panel

        customer_panel_register(survey_customer_panel)
