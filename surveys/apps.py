from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _event_kinds():
    from core.events import EventKind

    return [
        EventKind("survey.scheduled"),
        EventKind("survey.skipped"),
        EventKind(
            "survey.postponed",
            _("postponed the satisfaction survey: the customer heard from us lately"),
        ),
        EventKind("survey.sent", _("sent the satisfaction survey")),
        EventKind("survey.answered", _("answered the satisfaction survey"), by_customer=True),
        EventKind("survey.changed", _("changed the survey answer"), by_customer=True),
        EventKind("survey.recovery_opened", _("opened a recovery ticket for a low score")),
        EventKind("survey.recovered", _("marked the unhappy customer as recovered")),
        EventKind("survey.opted_out"),
        EventKind("survey.opted_in"),
    ]


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from core.config_cache import config_watch
        from core.events import event_kinds_declare
        from customers.selectors import customer_panel_register
        from customers.services import consent_recorded, customer_merged, order_delivered
        from surveys import services
        from surveys.models import SurveySettings
        from surveys.selectors import survey_customer_panel
        from tickets.workflow import ticket_solved

        event_kinds_declare(_event_kinds())
        # The answer page reads its link lifetime from the per-process configuration copy.
        config_watch(SurveySettings)
        # Survey answers and open recovery cases in the customer's history.
        customer_panel_register(survey_customer_panel)
        ticket_solved.register(services.on_ticket_solved)
        order_delivered.register(services.on_order_delivered)
        consent_recorded.register(services.on_consent_recorded)
        customer_merged.register(services.survey_customer_merge)
        # Survey invitations are unasked contact: one pressure limit with proactive care.
        from messaging.pressure import pressure_kinds_register

        pressure_kinds_register(*(f"survey_{kind}" for kind in services.Kind.values))
