"""Service appointments: the customer's booking page (no login, the signed link from the
maintenance reminder is the key) and the agents' day list.

A GET never changes anything, so link scanners that fetch every link book nothing; every
write is a POST with the CSRF token, counted against a per-link and a per-address limit.
The page only ever shows and changes the booking of the link's own reminder: no id of an
appointment is ever read from the request."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.access import agent_required
from core.i18n import customer_language
from core.ratelimit import rate_exceeded
from outreach import appointments as booking
from outreach.maintenance import BadLinkError, booking_reminder_id
from outreach.models import Outreach
from outreach.selectors import appointments_of_day

ACTIONS = ("book", "move", "cancel")
DONE = ("booked", "moved", "cancelled")


class BookingForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    slot = forms.CharField(required=False, max_length=20)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") in ("book", "move"):
            starts_at = booking.slot_parse(data.get("slot"))
            if starts_at is None:
                raise forms.ValidationError("slot")
            data["starts_at"] = starts_at
        return data


def _invalid(request: HttpRequest, *, expired: bool, customer: object = None) -> HttpResponse:
    with customer_language(customer):
        return render(request, "outreach/booking_invalid.html", {"expired": expired},
                      status=410 if expired else 404)  # fmt: skip


def _page(request: HttpRequest, reminder: Outreach, *, status: int = 200,
          **extra: object) -> HttpResponse:  # fmt: skip
    appointment = booking.appointment_active(reminder=reminder)
    schedule = booking.schedule_for(appointment)
    choosing = appointment is None or request.GET.get("change") == "1" or "taken" in extra
    days = []
    zone = ZoneInfo(schedule.team.time_zone) if schedule else None
    if schedule is not None and choosing and schedule.active:
        slots = booking.slots_offered(schedule=schedule, ignore=appointment)
        days = booking.slots_by_day(slots=slots, zone=zone)
    context = {
        "reminder": reminder, "product": reminder.order_item.product if reminder.order_item
        else None, "appointment": appointment, "schedule": schedule, "days": days,
        "choosing": choosing, "zone": zone,
        "when": booking.appointment_when(appointment) if appointment else "",
        "done": request.GET.get("done") if request.GET.get("done") in DONE else "",
        "hide_language_menu": True, **extra,
    }  # fmt: skip
    if zone is not None:
        with timezone.override(zone):  # slot times read in the team's zone
            return render(request, "outreach/booking.html", context, status=status)
    return render(request, "outreach/booking.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def booking_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        reminder_id = booking_reminder_id(token=token)
    except BadLinkError as error:
        return _invalid(request, expired=error.expired)
    reminder = (
        Outreach.objects.filter(pk=reminder_id, kind=Outreach.Kind.MAINTENANCE,
                                state=Outreach.State.SENT)
        .select_related("customer", "order_item__product").first()
    )  # fmt: skip
    if reminder is None:
        return _invalid(request, expired=False)
    with customer_language(reminder.customer):
        if request.method != "POST":
            return _page(request, reminder)
        return _post(request, reminder)


def _post(request: HttpRequest, reminder: Outreach) -> HttpResponse:
    ip = request.META.get("REMOTE_ADDR", "")[:45]
    if rate_exceeded(f"outreach:booking:link:{reminder.pk}",
                      settings.OUTREACH_BOOKING_POSTS_PER_LINK_HOUR) or rate_exceeded(
            f"outreach:booking:ip:{ip}", settings.OUTREACH_BOOKING_POSTS_PER_IP_HOUR):  # fmt: skip
        return _page(request, reminder, status=429, error="rate")
    form = BookingForm(request.POST)
    if not form.is_valid():
        return _page(request, reminder, status=400, error="slot")
    action, starts_at = form.cleaned_data["action"], form.cleaned_data.get("starts_at")
    try:
        if action == "book":
            booking.appointment_book(reminder_id=reminder.pk, starts_at=starts_at)
            done = "booked"
        elif action == "move":
            booking.appointment_move(reminder_id=reminder.pk, starts_at=starts_at)
            done = "moved"
        else:
            booking.appointment_cancel(reminder_id=reminder.pk)
            done = "cancelled"
    except booking.SlotTakenError as error:
        return _page(request, reminder, status=409, taken=error.next_slots)
    except booking.SlotUnavailableError:
        return _page(request, reminder, status=422, error="unavailable")
    except booking.BookingError:  # already booked, or nothing to move or cancel
        return _page(request, reminder, status=409, error="state")
    return redirect(f"{request.path}?done={done}")


@agent_required
def appointments_day(request: HttpRequest) -> HttpResponse:
    """The day's appointments of the agent's teams by time, with the days either side."""
    today = timezone.localdate()
    text = request.GET.get("day", "")
    try:
        day = date.fromisoformat(text) if 0 < len(text) <= 10 else today
    except ValueError:
        day = today
    if not date(2000, 1, 1) <= day <= date(2199, 12, 31):  # no overflow at either end
        day = today
    rows = appointments_of_day(user=request.user, day=day)
    return render(request, "outreach/appointments.html", {
        "day": day, "today": today, "appointments": rows,
        "previous": day - timedelta(days=1), "next": day + timedelta(days=1),
        "booked": sum(r.state == "booked" for r in rows), "section": "appointments",
    })  # fmt: skip
