"""Every write to proactive care: scheduling, sending and skipping outreach messages."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from core.events import event_record
from core.i18n import customer_language
from core.reactions import task_after_commit
from core.staff import staff_address_is
from customers.models import Consent, Customer
from customers.selectors import customer_email_address, customer_time_zone
from messaging.models import OutboxMessage
from messaging.outbox import OutboxRefusedError, outbox_enqueue
from messaging.pressure import last_unasked_contact, pressure_window
from outreach.content import ContentRefusedError, content_check
from outreach.models import FollowUpPolicy, Outreach
from outreach.rules import opted_out, quiet_until, stop_headers, stop_link
from surveys.models import SurveyInvitation
from tickets.models import Ticket
from tickets.services import ReplyRefusedError, ticket_reply

Kind = Outreach.Kind
State = Outreach.State

# What each kind needs the customer not to have said no to. Service messages (a follow-up,
# an incident, a shipment delay) need no marketing consent; a thank-you note, a
# back-in-stock notice and a win-back note follow the marketing consent too. A purpose
# with no recorded answer is no "no": the shop records the consents it collects.
CONSENTS: dict[str, tuple[str, ...]] = {
    Kind.FOLLOW_UP: (Consent.Purpose.SERVICE_EMAIL,),
    Kind.THANK_YOU: (Consent.Purpose.SERVICE_EMAIL, Consent.Purpose.MARKETING),
    Kind.BACK_IN_STOCK: (Consent.Purpose.SERVICE_EMAIL, Consent.Purpose.MARKETING),
    Kind.INCIDENT: (Consent.Purpose.SERVICE_EMAIL,),
    Kind.INCIDENT_RESOLVED: (Consent.Purpose.SERVICE_EMAIL,),
    Kind.MAINTENANCE: (Consent.Purpose.SERVICE_EMAIL,),
    # The customer booked the appointment: its confirmation and reminder were asked for.
    Kind.APPOINTMENT_BOOKED: (),
    Kind.APPOINTMENT_REMINDER: (),
    Kind.SHIPMENT_DELAY: (Consent.Purpose.SERVICE_EMAIL,),
    Kind.WIN_BACK: (Consent.Purpose.SERVICE_EMAIL, Consent.Purpose.MARKETING),
}
# Kinds the customer must hear about whatever else they heard lately (the contact-pressure
# limit does not hold them back, nor do they hold others back).
PRESSURE_EXEMPT = frozenset(
    {Kind.INCIDENT, Kind.INCIDENT_RESOLVED, Kind.SHIPMENT_DELAY, Kind.APPOINTMENT_BOOKED,
     Kind.APPOINTMENT_REMINDER}
)  # fmt: skip


def _tasks():
    from outreach import tasks

    return tasks


def _create(*, cause: str, **fields: object) -> tuple[Outreach, bool]:
    """The row for ``cause``, created once (a savepoint, so a concurrent twin is found)."""
    existing = Outreach.objects.filter(cause=cause).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Outreach.objects.create(cause=cause, **fields), True
    except IntegrityError:
        return Outreach.objects.get(cause=cause), False


def _scheduled(row: Outreach) -> None:
    event_record(kind="outreach.scheduled", ticket_id=row.ticket_id, customer=row.customer,
                 actor=row.author if row.kind == Kind.THANK_YOU else None,
                 data={"outreach": row.pk, "kind": row.kind,
                       "send_after": row.send_after.isoformat()})  # fmt: skip


# --- "Did it work?" follow-up -------------------------------------------------------------


def follow_up_cause(ticket: Ticket) -> str:
    return f"follow_up:ticket:{ticket.pk}:{ticket.solved_at.isoformat()}"


@transaction.atomic
def follow_up_schedule(*, ticket_id: int) -> Outreach | None:
    """Schedule the check after a solve, by the ticket's team policy (once per solve)."""
    ticket = Ticket.objects.select_related("customer", "team").get(pk=ticket_id)
    if ticket.status != Ticket.Status.SOLVED or ticket.solved_at is None:
        return None
    policy = FollowUpPolicy.objects.filter(team_id=ticket.team_id, enabled=True).first()
    if policy is None:
        return None
    if policy.skip_tags and ticket.tags.filter(name__in=policy.skip_tags).exists():
        return None  # a topic the team does not follow up on
    row, created = _create(
        cause=follow_up_cause(ticket), kind=Kind.FOLLOW_UP, customer=ticket.customer,
        ticket=ticket, author=ticket.assignee, send_after=ticket.solved_at + policy.delay,
    )  # fmt: skip
    if created:
        _scheduled(row)
    return row


def on_ticket_solved(*, ticket: Ticket) -> None:
    # Only teams that follow up get the task (the sweep covers a lost one all the same).
    if FollowUpPolicy.objects.filter(team_id=ticket.team_id, enabled=True).exists():
        task_after_commit(_tasks().follow_up_schedule, ticket_id=ticket.pk)


MISSED_LOOKBACK = timedelta(days=30)


def follow_ups_schedule_missed(*, now: datetime | None = None, limit: int = 500) -> int:
    """Schedule the follow-ups of solved tickets whose after-commit task was lost."""
    now = now or timezone.now()
    team_ids = FollowUpPolicy.objects.filter(enabled=True).values_list("team_id", flat=True)
    # Any follow-up row for the ticket created since its solve counts (the cause holds the
    # exact solve time; the creation time is enough to find one).
    rows = Outreach.objects.filter(
        kind=Kind.FOLLOW_UP, ticket=OuterRef("pk"), created_at__gte=OuterRef("solved_at")
    )
    tickets = Ticket.objects.filter(
        status=Ticket.Status.SOLVED, solved_at__gte=now - MISSED_LOOKBACK, team_id__in=team_ids
    ).filter(~Exists(rows))
    return sum(
        follow_up_schedule(ticket_id=pk) is not None
        for pk in tickets.values_list("pk", flat=True)[:limit]
    )


# --- Thank-you notes ----------------------------------------------------------------------


def thank_you_text(*, customer: Customer, by: AbstractUser) -> str:
    """The default note, in the customer's language, signed by the one who sends it."""
    with customer_language(customer):
        return render_to_string(
            "outreach/email/thank_you.txt", {"customer": customer, "agent": by}
        ).strip()


@transaction.atomic
def thank_you_send(
    *, customer: Customer, by: AbstractUser, text: str = "", ticket: Ticket | None = None
) -> Outreach:
    """An agent's personal thank-you note, sent now (one per customer, ticket and day, so
    a double click sends one). Raises ``ContentRefusedError`` for a note with strings
    attached (a coupon, an offer, a survey)."""
    text = content_check(kind=Kind.THANK_YOU, text=text.strip() or
                         thank_you_text(customer=customer, by=by))  # fmt: skip
    today = timezone.localdate()
    about = f"ticket:{ticket.pk}" if ticket is not None else "customer"
    row, created = _create(
        cause=f"thank_you:{customer.pk}:{about}:{today.isoformat()}", kind=Kind.THANK_YOU,
        customer=customer, ticket=ticket, author=by, text=text, send_after=timezone.now(),
    )  # fmt: skip
    if created:
        _scheduled(row)
        task_after_commit(_tasks().outreach_send, outreach_id=row.pk)
    return row


# --- Sending ------------------------------------------------------------------------------


def _consent_refused(customer: Customer, kind: str) -> bool:
    return Consent.objects.filter(
        customer=customer, purpose__in=CONSENTS.get(kind, ()), granted=False
    ).exists()


def contacted_until(*, customer: Customer, now: datetime, exclude: int | None = None):
    """When the customer may next hear from us unasked, if not now: the contact-pressure
    window (``CONTACT_PRESSURE_DAYS``) after a survey or outreach message sent lately, or
    after a survey about to go out (a follow-up waits for the CSAT survey of the same
    solve rather than reach the customer twice)."""
    window = pressure_window()
    since = now - window
    last = [
        *SurveyInvitation.objects.filter(
            customer=customer, state=SurveyInvitation.State.SENT, sent_at__gt=since
        ).values_list("sent_at", flat=True),
        *SurveyInvitation.objects.filter(
            customer=customer, state=SurveyInvitation.State.SCHEDULED,
            send_after__lt=now + window,
        ).values_list("send_after", flat=True),
        *Outreach.objects.filter(customer=customer, state=State.SENT, sent_at__gt=since)
        .exclude(pk=exclude).exclude(kind__in=PRESSURE_EXEMPT).values_list("sent_at", flat=True),
    ]  # fmt: skip
    # Every other unasked message the outbox saw (surveys, any app's notices).
    if (shared := last_unasked_contact(customer_id=customer.pk, since=since)) is not None:
        last.append(shared)
    return max(last) + window if last else None


def unasked_outreach_since(*, customer_id: int, since: datetime) -> datetime | None:
    """The ``unasked_contacts`` provider: outreach sent since then that counts against the
    pressure limit (a follow-up's outbox row is an ordinary reply, so it is told here)."""
    return (
        Outreach.objects.filter(customer_id=customer_id, state=State.SENT, sent_at__gt=since)
        .exclude(kind__in=PRESSURE_EXEMPT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def _skip(row: Outreach, reason: str, detail: str = "") -> Outreach:
    """Skip with a reason code (``SKIP_REASONS``), told on the customer's timeline."""
    row.state = State.SKIPPED
    row.skip_reason = reason
    row.save(update_fields=["state", "skip_reason"])
    event_record(kind="outreach.skipped", ticket_id=row.ticket_id, customer=row.customer,
                 data={"outreach": row.pk, "outreach_kind": row.kind, "reason": reason,
                       "detail": detail[:300]})  # fmt: skip
    return row


# Kind-specific reasons not to send (their modules add them): (row) -> reason or "".
SKIP_CHECKS: dict[str, object] = {}


def _skip_reason(row: Outreach, to: str | None) -> str:
    if row.kind == Kind.FOLLOW_UP:
        ticket = row.ticket
        if ticket is None or ticket.status != Ticket.Status.SOLVED:
            return "reopened"
        if follow_up_cause(ticket) != row.cause:
            return "reopened"  # solved again since: that solve has a follow-up of its own
        if row.author is None:
            return "no_agent"
    elif row.kind == Kind.MAINTENANCE:
        from outreach.maintenance import maintenance_skip_reason

        if reason := maintenance_skip_reason(row):
            return reason
    elif row.kind in (Kind.APPOINTMENT_BOOKED, Kind.APPOINTMENT_REMINDER):
        from outreach.appointments import appointment_skip_reason

        if reason := appointment_skip_reason(row):
            return reason
    if _consent_refused(row.customer, row.kind):
        return "consent"
    if opted_out(customer=row.customer, kind=row.kind):
        return "unsubscribed"
    if (check := SKIP_CHECKS.get(row.kind)) is not None and (reason := check(row)):
        return reason
    if not to:
        return "no_address"
    if staff_address_is(to):
        return "staff"
    return ""


def _follow_up_deliver(row: Outreach) -> None:
    with customer_language(row.customer):
        text = render_to_string(
            "outreach/email/follow_up.txt",
            {
                "customer": row.customer,
                "agent": row.author,
                "ticket": row.ticket,
                "stop_link": stop_link(customer_id=row.customer_id, kind=row.kind),
            },
        ).strip()
    # Sent as the agent's own reply on the ticket: it threads, and an answer reopens it.
    message = ticket_reply(ticket=row.ticket, by=row.author, text=text)
    row.text = text
    row.message_id = message.pk
    row.outbox_id = (
        OutboxMessage.objects.filter(message_id=message.pk).values_list("pk", flat=True).first()
    )


def _stop_footer(row: Outreach, link: str) -> str:
    """The stop link under a message, in the customer's language."""
    with customer_language(row.customer):
        return render_to_string("outreach/email/_stop.txt", {"link": link, "row": row}).strip()


def _thank_you_deliver(row: Outreach, to: str) -> None:
    link = stop_link(customer_id=row.customer_id, kind=row.kind)
    with customer_language(row.customer) as language:
        subject = render_to_string("outreach/email/thank_you_subject.txt", {}).strip()
    outbox = outbox_enqueue(
        to=to, subject=subject, text=f"{row.text}\n\n-- \n{_stop_footer(row, link)}",
        customer=row.customer, ticket_id=row.ticket_id, kind="outreach_thank_you",
        language=language, headers=stop_headers(link),
    )  # fmt: skip
    row.outbox_id = outbox.pk


def outreach_email(row: Outreach, to: str, *, name: str, context: dict, stop: bool = True,
                   their_zone: bool = False) -> None:  # fmt: skip
    """Send ``row`` as the email of templates ``outreach/email/<name>(_subject).txt`` in
    the customer's language (and time zone with ``their_zone``), with the kind's stop link
    in its text and headers unless ``stop`` is off. Sets the row's text and outbox id."""
    headers = {}
    if stop:
        context = {**context, "stop_link": stop_link(customer_id=row.customer_id, kind=row.kind)}
        headers = stop_headers(context["stop_link"])
    zone = (
        customer_time_zone(customer=row.customer) if their_zone else timezone.get_current_timezone()
    )
    with customer_language(row.customer) as language, timezone.override(zone):
        subject = render_to_string(f"outreach/email/{name}_subject.txt", context).strip()
        text = render_to_string(f"outreach/email/{name}.txt", context).strip()
    outbox = outbox_enqueue(
        to=to, subject=subject, text=text, customer=row.customer, automatic="auto-generated",
        kind=f"outreach_{row.kind}", language=language, headers=headers,
    )  # fmt: skip
    row.text = text
    row.outbox_id = outbox.pk


def _back_in_stock_deliver(row: Outreach, to: str) -> None:
    context = {"customer": row.customer, "product": row.stock_request.product}
    outreach_email(row, to, name="back_in_stock", context=context)


def _incident_deliver(row: Outreach, to: str) -> None:
    resolved = row.kind == Kind.INCIDENT_RESOLVED
    context = {"customer": row.customer, "incident": row.incident, "resolved": resolved}
    outreach_email(row, to, name="incident", context=context)


def _postpone(row: Outreach, *, until: datetime, reason: str) -> Outreach:
    """Wait until ``until``, saying why on the row (the customer page) and the timeline."""
    row.send_after = until
    row.details = {**row.details, "postponed": {"reason": reason, "until": until.isoformat()}}
    row.save(update_fields=["send_after", "details"])
    event_record(kind="outreach.postponed", ticket_id=row.ticket_id, customer=row.customer,
                 data={"outreach": row.pk, "outreach_kind": row.kind, "reason": reason,
                       "until": until.isoformat()})  # fmt: skip
    return row


# What delivers each kind that is not one of the built-in four (their modules add them):
# (row, to) -> None, setting the row's text and outbox id.
DELIVERERS: dict[str, object] = {}


@transaction.atomic
def outreach_send(*, outreach_id: int) -> Outreach:
    """Send a due outreach message, postpone it (the customer heard from us today) or skip
    it with a reason. Idempotent: only a scheduled row that is due is ever sent."""
    row = (
        Outreach.objects.select_for_update(of=("self",))
        .select_related(
            "customer",
            "ticket",
            "author",
            "incident",
            "stock_request__product",
            "order_item__product",
            "order_item__order",
            "appointment__team",
            "shipment__order",
        )
        .get(pk=outreach_id)
    )
    now = timezone.now()
    if row.state != State.SCHEDULED or row.send_after > now:
        return row
    to = customer_email_address(customer=row.customer)
    if reason := _skip_reason(row, to):
        return _skip(row, reason)
    later = None
    if row.kind not in PRESSURE_EXEMPT:
        later = contacted_until(customer=row.customer, now=now, exclude=row.pk)
    if later is not None and later > now:
        # Straight to the end of the quiet hours, when the window closes inside them.
        later = quiet_until(customer=row.customer, at=later, kind=row.kind) or later
        return _postpone(row, until=later, reason="contacted_recently")
    if (quiet := quiet_until(customer=row.customer, at=now, kind=row.kind)) is not None:
        return _postpone(row, until=quiet, reason="quiet_hours")
    try:
        if row.kind in DELIVERERS:
            DELIVERERS[row.kind](row, to)
        elif row.kind == Kind.FOLLOW_UP:
            _follow_up_deliver(row)
        elif row.kind == Kind.THANK_YOU:
            _thank_you_deliver(row, to)
        elif row.kind == Kind.BACK_IN_STOCK:
            _back_in_stock_deliver(row, to)
        else:
            _incident_deliver(row, to)
    except (OutboxRefusedError, ReplyRefusedError) as error:
        return _skip(row, "refused", str(error))
    except ContentRefusedError as error:
        return _skip(row, "content", str(error))
    row.state = State.SENT
    row.sent_at = now
    row.save(update_fields=["state", "sent_at", "text", "message_id", "outbox_id", "details"])
    event_record(kind="outreach.sent", ticket_id=row.ticket_id, customer=row.customer,
                 data={"outreach": row.pk, "kind": row.kind})  # fmt: skip
    return row


def outreach_due_ids(*, now: datetime | None = None, limit: int = 20_000) -> list[int]:
    return list(
        Outreach.objects.filter(state=State.SCHEDULED, send_after__lte=now or timezone.now())
        .order_by("send_after")
        .values_list("pk", flat=True)[:limit]
    )
