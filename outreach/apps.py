from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _event_kinds():
    from core.events import EventKind

    variants_sent = {
        "follow_up": _("sent a follow-up asking whether the solution worked"),
        "thank_you": _("sent a thank-you note"),
        "incident": _("told the customer about an incident"),
        "incident_resolved": _("told the customer the incident is resolved"),
        "back_in_stock": _("told the customer a product is back in stock"),
        "maintenance": _("reminded the customer that a product is due for a service"),
        "appointment_booked": _("confirmed the customer's service appointment"),
        "appointment_reminder": _("reminded the customer of tomorrow's service appointment"),
        "shipment_delay": _("told the customer their parcel is running late"),
        "win_back": _("sent a win-back note with care tips and warranties"),
    }
    return [
        EventKind(
            "outreach.scheduled",
            _("scheduled a proactive message"),
            variants={
                "thank_you": _("wrote a thank-you note"),
                "follow_up": _("scheduled a follow-up asking whether the solution worked"),
            },
        ),
        EventKind(
            "outreach.stock_requested", _("asked to be told when a product is back in stock")
        ),
        EventKind(
            "outreach.appointment_booked", _("booked a service appointment"), by_customer=True
        ),
        EventKind("outreach.appointment_moved", _("moved a service appointment"), by_customer=True),
        EventKind(
            "outreach.appointment_cancelled", _("cancelled a service appointment"), by_customer=True
        ),
        EventKind("incident.declared"),
        EventKind("incident.notified"),
        EventKind("incident.resolved"),
        EventKind("incident.ticket_linked", _("linked the ticket to an open incident")),
        EventKind("outreach.sent", _("sent a proactive message"), variants=variants_sent),
        EventKind(
            "outreach.postponed",
            _("postponed a proactive message"),
            variants={
                "contacted_recently": _(
                    "postponed a proactive message: the customer heard from us lately"
                ),
                "quiet_hours": _("postponed a proactive message: quiet hours"),
            },
        ),
        EventKind("outreach.stopped", _("the customer stopped a kind of proactive message")),
        EventKind(
            "outreach.skipped",
            _("did not send a proactive message"),
            variants={
                "reopened": _("did not send the follow-up: the ticket was reopened"),
                "no_agent": _("did not send the follow-up: nobody handled the ticket"),
                "consent": _("did not send a proactive message: the customer withdrew consent"),
                "no_address": _("did not send a proactive message: no email address"),
                "staff": _("did not send a proactive message: the address is a staff address"),
                "refused": _("did not send a proactive message: the channel refused it"),
                "returned": _("did not send the maintenance reminder: the order was returned"),
                "no_interval": _(
                    "did not send the maintenance reminder: the product needs no service any more"
                ),
                "no_schedule": _(
                    "did not send the maintenance reminder: no team takes appointments"
                ),
                "cancelled": _("did not send the appointment message: it was cancelled"),
                "rescheduled": _("did not send the appointment message: it was moved"),
                "past": _("did not send the appointment reminder: the time has passed"),
                "unsubscribed": _(
                    "did not send a proactive message: the customer stopped this kind"
                ),
                "delivered": _("did not send the delay notice: the parcel arrived first"),
                "nothing_to_say": _(
                    "did not send the win-back note: nothing of theirs to tell about"
                ),
                "content": _("did not send a proactive message: its text was refused"),
            },
        ),
    ]


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Proactive care")

    def ready(self) -> None:
        from core.events import event_kinds_declare
        from customers.selectors import customer_panel_register
        from customers.services import product_in_stock, shipment_delayed
        from messaging.pressure import pressure_kinds_register, unasked_contacts
        from outreach import appointments, delays, maintenance, services, winback  # noqa: F401
        from outreach.models import Outreach
        from outreach.selectors import outreach_customer_panel
        from outreach.stock import on_product_in_stock
        from tickets.workflow import ticket_solved

        event_kinds_declare(_event_kinds())
        customer_panel_register(outreach_customer_panel)
        ticket_solved.register(services.on_ticket_solved)
        product_in_stock.register(on_product_in_stock)
        shipment_delayed.register(delays.on_shipment_delayed)
        # One contact-pressure limit with surveys: these outbox kinds are unasked contact.
        pressure_kinds_register(*(f"outreach_{kind}" for kind in Outreach.Kind.values
                                  if kind not in services.PRESSURE_EXEMPT))  # fmt: skip
        unasked_contacts.register(services.unasked_outreach_since)
        self._contact_form_hook()

    def _contact_form_hook(self) -> None:
        from helpcenter.hooks import contact_form_stock_request
        from outreach.stock import on_contact_form_stock_request

        contact_form_stock_request.register(on_contact_form_stock_request)
