"""An agent sends a customer the link to their loyalty page from a ticket."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils import timezone

from core.events import event_record
from customers.models import Customer
from customers.selectors import customer_email_address
from loyalty import notifications
from loyalty.models import LoyaltyNotice
from loyalty.services.ledger import LoyaltyError
from tickets.models import Ticket
from tickets.selectors import ticket_scope

# A second click (or a second agent) within this time sends nothing: the customer
# already has a fresh link in their inbox.
LINK_RESEND_INTERVAL = timedelta(minutes=10)


class LinkRateLimitedError(LoyaltyError):
    code = "link_rate_limited"


class LinkNoAddressError(LoyaltyError):
    code = "link_no_address"


@transaction.atomic
def account_link_send(
    *, ticket: Ticket, by: AbstractUser, now: datetime | None = None
) -> LoyaltyNotice:
    """Email the ticket's customer the magic link to their loyalty page, in the customer's
    language, through the outbox. At most one per customer per ``LINK_RESEND_INTERVAL``
    (the customer row is locked, so two agents clicking at once send one email)."""
    now = now or timezone.now()
    if not ticket_scope(user=by).filter(pk=ticket.pk).exists():
        raise LoyaltyError("This ticket is not yours to act on.")
    customer = Customer.objects.select_for_update().get(pk=ticket.customer_id)
    recent = LoyaltyNotice.objects.filter(
        customer=customer, kind=LoyaltyNotice.Kind.ACCOUNT_LINK,
        created_at__gt=now - LINK_RESEND_INTERVAL,
    ).exists()  # fmt: skip
    if recent:
        raise LinkRateLimitedError("The link was sent to this customer a few minutes ago.")
    if not customer_email_address(customer=customer):
        raise LinkNoAddressError("This customer has no email address on file.")
    notice = notifications.notice_account_link(customer=customer, now=now)
    if notice is None:  # the same moment twice: that is a double click
        raise LinkRateLimitedError("The link was sent to this customer a moment ago.")
    event_record(
        kind="loyalty.link_sent", actor=by, ticket=ticket, customer=customer,
        data={"notice": notice.pk, "language": notice.language},
    )  # fmt: skip
    return notice
