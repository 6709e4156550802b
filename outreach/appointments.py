"""Service appointments: the slots a team offers, booking one seat of a slot, moving and
cancelling it, and the confirmation and day-before reminder each booking sends.

Slots are cut from the team's business hours (its ``BusinessClock``, so holidays, closures
and split shifts count) in the team's time zone. A seat is a row: the unique constraint
on (team, start, seat) among booked appointments is what keeps two customers off the
same seat when they press at the same moment; the reminder row is locked for the whole
booking, so one link books one appointment however often it is posted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format

from core.events import event_record
from core.i18n import customer_language
from core.reactions import task_after_commit
from outreach import services
from outreach.maintenance import booking_url, service_schedule_offered
from outreach.models import Appointment, Outreach, ServiceSchedule
from tickets.business_time import BusinessClock, NeverOpenError
from tickets.sla import business_clock

Kind = Outreach.Kind
# The reminder goes out a day before; a booking made closer to the time than this gets
# only the confirmation (it is the reminder).
REMINDER_BEFORE = timedelta(days=1)
REMINDER_MIN_NOTICE = timedelta(hours=2)
NEXT_SLOTS = 3
SLOT_KEY = re.compile(r"\A([0-9]{8})T([0-9]{4})Z\Z")


class BookingError(Exception):
    """A booking, move or cancellation that cannot be done; ``str(error)`` says why."""


class SlotUnavailableError(BookingError):
    """The time is not one the schedule offers (outside hours, past, too soon, unknown)."""


class SlotTakenError(BookingError):
    """Every seat of the slot is taken; ``next_slots`` are the next free ones."""

    def __init__(self, next_slots: list[Slot]) -> None:
        super().__init__("taken")
        self.next_slots = next_slots


class NoAppointmentError(BookingError):
    """Moving or cancelling when nothing is booked."""


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    free: int

    @property
    def key(self) -> str:
        return slot_key(self.starts_at)


def slot_key(moment: datetime) -> str:
    """The slot's name in a form: its UTC start, "20261203T0800Z"."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def slot_parse(text: object) -> datetime | None:
    """The start a slot key names, or None for anything that is not one."""
    if not isinstance(text, str) or not (match := SLOT_KEY.match(text)):
        return None
    try:
        return datetime.strptime("".join(match.groups()), "%Y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError:  # 20261332T2599Z
        return None


def slot_starts(
    *, schedule: ServiceSchedule, clock: BusinessClock, now: datetime
) -> list[tuple[datetime, datetime]]:
    """Every (start, end) the schedule offers from ``now``: whole slots inside each
    opening interval, starting at its opening, none earlier than the minimum notice and
    none on a day beyond ``days_ahead`` (local days in the team's zone)."""
    length = timedelta(minutes=schedule.slot_minutes)
    earliest = now + schedule.lead_time
    today = now.astimezone(clock.zone).date()
    starts = []
    for offset in range(schedule.days_ahead + 1):
        for begin, end in clock.intervals(today + timedelta(days=offset)):
            start = begin
            while start + length <= end:
                if start >= earliest:
                    starts.append((start, start + length))
                start += length
    return starts


def slots_offered(
    *, schedule: ServiceSchedule, now: datetime | None = None,
    clock: BusinessClock | None = None, ignore: Appointment | None = None,
) -> list[Slot]:  # fmt: skip
    """The schedule's slots with the seats still free (``ignore``: an appointment being
    moved, whose own seat does not count)."""
    now = now or timezone.now()
    clock = clock or business_clock(team=schedule.team)
    try:
        starts = slot_starts(schedule=schedule, clock=clock, now=now)
    except NeverOpenError:
        return []
    if not starts:
        return []
    booked = (
        Appointment.objects.filter(team_id=schedule.team_id, state=Appointment.State.BOOKED,
                                   starts_at__gte=starts[0][0], starts_at__lte=starts[-1][0])
        .exclude(pk=ignore.pk if ignore else None)
        .values("starts_at").annotate(seats=Count("pk"))
    )  # fmt: skip
    taken = {row["starts_at"]: row["seats"] for row in booked}
    return [Slot(s, e, max(schedule.capacity - taken.get(s, 0), 0)) for s, e in starts]


def slots_by_day(*, slots: list[Slot], zone: ZoneInfo) -> list[tuple[date, list[Slot]]]:
    """Free slots grouped by local day, in order."""
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        if slot.free > 0:
            days.setdefault(slot.starts_at.astimezone(zone).date(), []).append(slot)
    return list(days.items())


def _next_free(slots: list[Slot], after: datetime) -> list[Slot]:
    return [s for s in slots if s.free > 0 and s.starts_at > after][:NEXT_SLOTS]


def _offered(schedule: ServiceSchedule, starts_at: datetime, now: datetime,
             ignore: Appointment | None = None) -> tuple[Slot, list[Slot]]:  # fmt: skip
    slots = slots_offered(schedule=schedule, now=now, ignore=ignore)
    slot = next((s for s in slots if s.starts_at == starts_at), None)
    if slot is None:
        raise SlotUnavailableError("not offered")
    if slot.free <= 0:
        raise SlotTakenError(_next_free(slots, starts_at))
    return slot, slots


def _seat_claim(*, schedule: ServiceSchedule, slot: Slot, slots: list[Slot],
                appointment: Appointment) -> Appointment:  # fmt: skip
    """Save ``appointment`` on a free seat of ``slot``; a seat another booking took a
    moment ago fails its unique constraint and the next one is tried."""
    taken = set(
        Appointment.objects.filter(team_id=schedule.team_id, starts_at=slot.starts_at,
                                   state=Appointment.State.BOOKED)
        .exclude(pk=appointment.pk).values_list("seat", flat=True)
    )  # fmt: skip
    for seat in range(schedule.capacity):
        if seat in taken:
            continue
        appointment.starts_at, appointment.ends_at, appointment.seat = (
            slot.starts_at, slot.ends_at, seat)  # fmt: skip
        try:
            with transaction.atomic():
                appointment.save()
        except IntegrityError:
            continue
        return appointment
    raise SlotTakenError(_next_free(slots, slot.starts_at))


def _reminder_locked(reminder_id: int) -> Outreach:
    return (
        Outreach.objects.select_for_update(of=("self",))
        .select_related("customer", "order_item")
        .get(pk=reminder_id, kind=Kind.MAINTENANCE)
    )


def appointment_active(*, reminder: Outreach) -> Appointment | None:
    return (
        Appointment.objects.filter(reminder=reminder, state=Appointment.State.BOOKED)
        .select_related("team")
        .first()
    )


def schedule_for(appointment: Appointment | None) -> ServiceSchedule | None:
    """The schedule a booking is moved within (its own team's), or the one offered."""
    if appointment is not None:
        return ServiceSchedule.objects.filter(team_id=appointment.team_id).select_related(
            "team").first()  # fmt: skip
    return service_schedule_offered()


@transaction.atomic
def appointment_book(
    *, reminder_id: int, starts_at: datetime, now: datetime | None = None
) -> tuple[Appointment, bool]:
    """Book a seat of the slot starting at ``starts_at`` for the reminder's customer.
    Posting the same slot again returns the booking made (created False); another slot
    while one is booked is a move (``appointment_move``). Raises ``SlotUnavailableError``
    or ``SlotTakenError``."""
    now = now or timezone.now()
    reminder = _reminder_locked(reminder_id)
    existing = appointment_active(reminder=reminder)
    if existing is not None:
        if existing.starts_at == starts_at:
            return existing, False
        raise BookingError("already booked")
    schedule = service_schedule_offered()
    if schedule is None:
        raise SlotUnavailableError("no schedule")
    slot, slots = _offered(schedule, starts_at, now)
    appointment = _seat_claim(schedule=schedule, slot=slot, slots=slots, appointment=Appointment(
        customer=reminder.customer, team=schedule.team, reminder=reminder,
        order_item=reminder.order_item,
    ))  # fmt: skip
    event_record(kind="outreach.appointment_booked", customer=reminder.customer,
                 data={"appointment": appointment.pk, "team": schedule.team_id,
                       "starts_at": appointment.starts_at.isoformat()})  # fmt: skip
    _messages_schedule(appointment, now)
    return appointment, True


@transaction.atomic
def appointment_move(
    *, reminder_id: int, starts_at: datetime, now: datetime | None = None
) -> Appointment:
    """Move the reminder's booking to another slot (same team); the old time's reminder
    is not sent, the new time gets a confirmation and a reminder of its own."""
    now = now or timezone.now()
    reminder = _reminder_locked(reminder_id)
    appointment = appointment_active(reminder=reminder)
    if appointment is None:
        raise NoAppointmentError("nothing booked")
    if appointment.starts_at == starts_at:
        return appointment  # the same time again: nothing moves
    schedule = schedule_for(appointment)
    if schedule is None or not schedule.active:
        raise SlotUnavailableError("no schedule")
    slot, slots = _offered(schedule, starts_at, now, ignore=appointment)
    before = appointment.starts_at
    appointment.changes += 1
    _seat_claim(schedule=schedule, slot=slot, slots=slots, appointment=appointment)
    _messages_drop(appointment, reason="rescheduled")
    event_record(kind="outreach.appointment_moved", customer=reminder.customer,
                 data={"appointment": appointment.pk, "from": before.isoformat(),
                       "starts_at": appointment.starts_at.isoformat()})  # fmt: skip
    _messages_schedule(appointment, now)
    return appointment


@transaction.atomic
def appointment_cancel(*, reminder_id: int, now: datetime | None = None) -> Appointment:
    """Cancel the reminder's booking: its seat is free again, no reminder goes out."""
    now = now or timezone.now()
    reminder = _reminder_locked(reminder_id)
    appointment = appointment_active(reminder=reminder)
    if appointment is None:
        raise NoAppointmentError("nothing booked")
    appointment.state = Appointment.State.CANCELLED
    appointment.cancelled_at = now
    appointment.save(update_fields=["state", "cancelled_at"])
    _messages_drop(appointment, reason="cancelled")
    event_record(kind="outreach.appointment_cancelled", customer=reminder.customer,
                 data={"appointment": appointment.pk,
                       "starts_at": appointment.starts_at.isoformat()})  # fmt: skip
    return appointment


# --- Confirmation and reminder ------------------------------------------------------------


def _cause(kind: str, appointment: Appointment) -> str:
    return f"{kind}:{appointment.pk}:{appointment.changes}"


def _messages_schedule(appointment: Appointment, now: datetime) -> None:
    from outreach import tasks
    from outreach.services import _create, _scheduled

    confirmation, created = _create(
        cause=_cause(Kind.APPOINTMENT_BOOKED, appointment), kind=Kind.APPOINTMENT_BOOKED,
        customer=appointment.customer, appointment=appointment, send_after=now,
    )  # fmt: skip
    if created:
        _scheduled(confirmation)
        task_after_commit(tasks.outreach_send, outreach_id=confirmation.pk)
    remind_at = appointment.starts_at - REMINDER_BEFORE
    if remind_at >= now + REMINDER_MIN_NOTICE:  # the beat sweep sends it when due
        reminder, created = _create(
            cause=_cause(Kind.APPOINTMENT_REMINDER, appointment),
            kind=Kind.APPOINTMENT_REMINDER, customer=appointment.customer,
            appointment=appointment, send_after=remind_at,
        )  # fmt: skip
        if created:
            _scheduled(reminder)


def _messages_drop(appointment: Appointment, *, reason: str) -> None:
    """Skip what is still scheduled about the appointment's old time."""
    from outreach.services import _skip

    rows = Outreach.objects.select_for_update().filter(
        appointment=appointment, state=Outreach.State.SCHEDULED
    )
    for row in rows.select_related("customer"):
        _skip(row, reason)


def appointment_skip_reason(row: Outreach) -> str:
    appointment = row.appointment
    if appointment is None or appointment.state == Appointment.State.CANCELLED:
        return "cancelled"
    if row.cause != _cause(row.kind, appointment):
        return "rescheduled"
    if appointment.starts_at <= timezone.now():
        return "past"
    return ""


def appointment_when(appointment: Appointment) -> str:
    """The appointment's day and time in the team's time zone, in the active language's
    formats ("Thursday, 3 Dec 2026, 09:00–10:00 (Europe/Berlin)")."""
    zone = ZoneInfo(appointment.team.time_zone)
    starts, ends = appointment.starts_at.astimezone(zone), appointment.ends_at.astimezone(zone)
    return (f"{date_format(starts, 'l')}, {date_format(starts, 'DATETIME_FORMAT')}–"
            f"{date_format(ends, 'TIME_FORMAT')} ({appointment.team.time_zone})")  # fmt: skip


def appointment_deliver(row: Outreach, to: str) -> None:
    """A booked time's confirmation or reminder: asked for by booking, so no stop link."""
    appointment = row.appointment
    item = appointment.order_item
    name = "appointment_booked" if row.kind == Kind.APPOINTMENT_BOOKED else "appointment_reminder"
    with customer_language(row.customer):  # the time reads in the customer's language
        context = {
            "customer": row.customer, "team": appointment.team,
            "product": item.product if item else None, "when": appointment_when(appointment),
            "link": booking_url(reminder=appointment.reminder),
        }  # fmt: skip
    services.outreach_email(row, to, name=name, context=context, stop=False)


for _kind in (Kind.APPOINTMENT_BOOKED, Kind.APPOINTMENT_REMINDER):
    services.DELIVERERS[_kind] = appointment_deliver
