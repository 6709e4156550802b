"""Reads of loyalty data shared with other code (the agent's sidebar, the API, checks)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from core.access import agent_profile, is_lead, staff_scope
from core.rows import instances, json_row, json_rows, select_together
from customers.models import Customer
from loyalty.models import Coupon, GoodwillRequest, LedgerEntry, LoyaltyAccount, Reward
from tickets.models import Ticket
from tickets.selectors import ticket_scope


@dataclass
class AccountSummary:
    account: LoyaltyAccount | None
    entries: list[LedgerEntry] = field(default_factory=list)

    @property
    def is_member(self) -> bool:
        return self.account is not None


def account_for_customer(*, customer_id: int) -> LoyaltyAccount | None:
    return LoyaltyAccount.objects.select_related("customer").filter(customer_id=customer_id).first()


def account_entries(*, account: LoyaltyAccount, limit: int = 50) -> list[LedgerEntry]:
    return list(account.entries.order_by("-created_at", "-id")[:limit])


def account_summary(*, customer: Customer, limit: int = 5) -> AccountSummary:
    """Balance, tier and the latest entries: what the agent's customer sidebar shows."""
    account = account_for_customer(customer_id=customer.pk)
    if account is None:
        return AccountSummary(account=None)
    return AccountSummary(account=account, entries=account_entries(account=account, limit=limit))


def account_coupons(*, account: LoyaltyAccount) -> QuerySet[Coupon]:
    return account.coupons.select_related("reward").order_by("-created_at")


def rewards_available() -> QuerySet[Reward]:
    return Reward.objects.filter(active=True).order_by("points_cost", "name")


def goodwill_requests_waiting(*, customer: Customer | None = None) -> QuerySet[GoodwillRequest]:
    requests = GoodwillRequest.objects.filter(status=GoodwillRequest.Status.PENDING)
    if customer is not None:
        requests = requests.filter(account__customer=customer)
    return requests.select_related("requested_by", "ticket", "account__customer")


def goodwill_requests_decidable(*, user: AbstractUser) -> QuerySet[GoodwillRequest]:
    """Waiting requests this user may decide (what ``goodwill_can_decide`` allows, in
    one query): a lead's or an admin's, not their own, on tickets in their scope or on
    none."""
    if not is_lead(user):
        return GoodwillRequest.objects.none()
    pending = goodwill_requests_waiting().exclude(requested_by=user)
    scoped = staff_scope(pending, user=user, team="ticket__team", assignee="ticket__assignee")
    return scoped | pending.filter(ticket__isnull=True)


@dataclass
class TicketPanel:
    """What the loyalty panel beside a ticket needs."""

    ticket: Ticket
    summary: AccountSummary
    can_grant: bool
    can_decide: bool
    can_send_link: bool
    waiting: list[GoodwillRequest]
    # A fresh idempotency key per rendered form: a double submit books the grant once.
    form_key: str = field(default_factory=lambda: uuid.uuid4().hex)


def loyalty_ticket_panel(*, ticket: Ticket, user: AbstractUser) -> TicketPanel:
    profile = getattr(user, "agent_profile", None)
    summary, waiting = _member_reads(customer=ticket.customer)
    return TicketPanel(
        ticket=ticket,
        summary=summary,
        can_grant=summary.is_member and profile is not None,
        can_decide=profile is not None and profile.is_lead,
        can_send_link=profile is not None,
        waiting=waiting,
    )


def _member_reads(
    *, customer: Customer, entries: int = 5, waiting: int = 10
) -> tuple[AccountSummary, list[GoodwillRequest]]:
    """The customer's account with its latest entries (as ``account_summary``) and the
    goodwill grants waiting for a lead (as ``goodwill_requests_waiting``), in one
    statement."""
    user = get_user_model()
    accounts = LoyaltyAccount._meta.db_table
    of_account = f"t.account_id IN (SELECT id FROM {accounts} WHERE customer_id = %(customer)s)"  # noqa: S608
    parts = [
        json_rows(LoyaltyAccount, where="t.customer_id = %(customer)s", order_by="t.id", limit=1),
        json_rows(LedgerEntry, where=of_account, order_by="t.created_at DESC, t.id DESC",
                  limit=entries),
        json_rows(GoodwillRequest, where=f"{of_account} AND t.status = %(pending)s",
                  order_by="t.created_at DESC", limit=waiting,
                  related={"requested_by": json_row(user, "t.requested_by_id")}),
    ]  # fmt: skip
    params = {"customer": customer.pk, "pending": GoodwillRequest.Status.PENDING.value}
    account, latest, pending = select_together(parts, params)
    if not account:
        return AccountSummary(account=None), []
    (account,) = instances(LoyaltyAccount, account)
    account.customer = customer
    return (
        AccountSummary(account=account, entries=instances(LedgerEntry, latest)),
        instances(GoodwillRequest, pending, requested_by=user),
    )


CUSTOMER_PANEL_TEMPLATE = "loyalty/_customer_panel.html"


def loyalty_customer_panel(
    customer: Customer, user: AbstractUser, *, ticket: Ticket | None = None
) -> dict | None:
    """The loyalty panel of the agent's customer sidebar (a customer-panel provider).

    Returns None for users outside the agent workspace; otherwise ``{"template", "title",
    "context"}``: render ``template`` with ``context`` (plus the request, for the CSRF
    token). The goodwill form books against the customer's latest ticket this user may
    see, because goodwill is granted from a ticket and scoped through it. A fixed number
    of queries whatever the size of the history.
    """
    profile = agent_profile(user)
    if profile is None:
        return None
    if ticket is not None:
        # Beside a ticket: grant goodwill on that ticket, approve waiting grants, send the
        # customer their link (the ticket is already scoped by the page that shows it).
        return {
            "template": "loyalty/_ticket_panel.html",
            "title": "",
            "context": loyalty_ticket_panel(ticket=ticket, user=user),
        }
    summary = account_summary(customer=customer, limit=5)
    ticket = None
    waiting: list[GoodwillRequest] = []
    if summary.is_member:
        ticket = (
            ticket_scope(user=user).filter(customer=customer).order_by("-last_activity_at", "-id")
        ).first()
        waiting = list(goodwill_requests_waiting(customer=customer)[:10])
    account = summary.account
    return {
        "template": CUSTOMER_PANEL_TEMPLATE,
        "title": gettext("Loyalty"),
        "context": {
            "customer": customer,
            "is_member": summary.is_member,
            "balance": account.balance if account else 0,
            "pending": account.pending_balance if account else 0,
            "tier": account.get_tier_display() if account else "",
            "entries": summary.entries,
            "waiting": waiting,
            "goodwill": {
                "can_grant": ticket is not None,
                "ticket": ticket,
                "form_key": uuid.uuid4().hex,
                "panel": "customer",
            },
        },
    }


@dataclass(frozen=True)
class Mismatch:
    account_id: int
    cached_balance: int
    ledger_balance: int
    cached_pending: int
    ledger_pending: int


def ledger_mismatches(*, account_ids: list[int] | None = None) -> list[Mismatch]:
    """Accounts whose cached balances differ from the sums of their entries (one query)."""
    accounts = LoyaltyAccount.objects.annotate(
        ledger_balance=Coalesce(Sum("entries__points"), 0),
        ledger_pending=Coalesce(Sum("entries__pending_points"), 0),
    ).filter(~Q(balance=F("ledger_balance")) | ~Q(pending_balance=F("ledger_pending")))
    if account_ids is not None:
        accounts = accounts.filter(pk__in=account_ids)
    return [
        Mismatch(a.pk, a.balance, a.ledger_balance, a.pending_balance, a.ledger_pending)
        for a in accounts.order_by("pk")
    ]


def last_activity_before(*, moment: datetime) -> QuerySet[LoyaltyAccount]:
    return LoyaltyAccount.objects.filter(last_activity_at__lte=moment, balance__gt=0)
