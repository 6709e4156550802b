from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _event_kinds():
    from core.events import EventKind

    return [
        EventKind("loyalty.earn", _("granted loyalty points")),
        EventKind("loyalty.goodwill_requested", _("asked a lead to approve goodwill points")),
        EventKind("loyalty.goodwill_approved", _("approved the goodwill points")),
        EventKind("loyalty.goodwill_rejected", _("turned down the goodwill points")),
        EventKind("loyalty.link_sent", _("emailed the customer the link to their loyalty page")),
    ]


class LoyaltyConfig(AppConfig):
    name = "loyalty"
    verbose_name = _("Loyalty")

    def ready(self) -> None:
        from core.events import event_kinds_declare
        from customers.selectors import customer_panel_register
        from customers.services import customer_merged, order_refunded
        from loyalty.approvals import GoodwillApprovals
        from loyalty.selectors import loyalty_customer_panel
        from loyalty.services.ledger import (
            account_customer_merge,
            on_order_refunded,
            points_survey_bonus,
        )
        from surveys.services import survey_answered
        from tickets.approvals import approvals_register

        event_kinds_declare(_event_kinds())
        # Balance, tier, recent entries and the goodwill form beside every ticket.
        customer_panel_register(loyalty_customer_panel)
        order_refunded.register(on_order_refunded)
        customer_merged.register(account_customer_merge)
        survey_answered.register(points_survey_bonus)
        # Goodwill grants above the threshold wait on the leads' approvals page.
        approvals_register(GoodwillApprovals())
