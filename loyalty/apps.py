from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoyaltyConfig(AppConfig):
    name = "loyalty"
    verbose_name = _("Loyalty")

    def ready(self) -> None:
        # Balance, tier, recent entries and the goodwill form beside every ticket.
        from customers.selectors import customer_panel_register
        from loyalty.selectors import loyalty_customer_panel

        customer_panel_register(loyalty_customer_panel)
