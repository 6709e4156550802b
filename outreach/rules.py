"""The rules every proactive message follows, whatever its kind: quiet hours in the
customer's time zone, one contact-pressure limit shared with surveys, the consents, and a
stop link per kind.

The order in which ``outreach_send`` applies them: a message the customer said no to
(consent withdrawn, kind stopped) is skipped; one that is due while the customer had an
unasked message lately waits for the pressure window to pass; one due in the customer's
quiet hours waits for their end. A postponement names its reason and the time it waits
for, on the row (the customer page) and as an event (the ticket's timeline).

Quiet hours apply to incident notices too unless ``OUTREACH_QUIET_HOURS_EXEMPT`` lists
them: an email is read when the customer wakes either way, and a notice landing at
midnight reads like an alarm. The pressure limit does not apply to incidents, shipment
delays and appointments (``PRESSURE_EXEMPT``): the customer needs those whatever else they
heard from us."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.urls import reverse

from customers.models import Customer
from customers.selectors import customer_time_zone
from outreach.models import Outreach, OutreachOptOut

Kind = Outreach.Kind
STOP_SALT = "outreach.stop"
TOKEN_MAX = 200


# --- Quiet hours --------------------------------------------------------------------------


def quiet_window() -> tuple[time, time] | None:
    """The configured nightly window (start, end), or None when there is none. A window
    that is not "HH:MM-HH:MM" is a configuration error, raised at first use."""
    raw = (settings.OUTREACH_QUIET_HOURS or "").strip()
    if not raw:
        return None
    start, end = (time.fromisoformat(part.strip()) for part in raw.split("-", 1))
    return (start, end) if start != end else None


def _is_quiet(local: datetime, window: tuple[time, time] | None) -> datetime | None:
    """The local instant the quiet time around ``local`` ends, or None when it is not
    quiet then."""
    if local.isoweekday() in settings.OUTREACH_QUIET_WEEKDAYS:
        return datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=local.tzinfo)
    if window is None:
        return None
    start, end = window
    now = local.time().replace(tzinfo=None)
    if start > end:  # over midnight: 20:00-08:00
        if now >= start:
            return datetime.combine(local.date() + timedelta(days=1), end, tzinfo=local.tzinfo)
        if now < end:
            return datetime.combine(local.date(), end, tzinfo=local.tzinfo)
        return None
    if start <= now < end:  # within one day: 12:00-14:00
        return datetime.combine(local.date(), end, tzinfo=local.tzinfo)
    return None


def quiet_until(*, customer: Customer, at: datetime, kind: str) -> datetime | None:
    """When the customer's quiet time around ``at`` ends, or None when ``at`` is not in
    it (or the kind ignores quiet hours)."""
    if kind in settings.OUTREACH_QUIET_HOURS_EXEMPT:
        return None
    window = quiet_window()
    if window is None and not settings.OUTREACH_QUIET_WEEKDAYS:
        return None
    zone: ZoneInfo = customer_time_zone(customer=customer)
    local = at.astimezone(zone)
    moved = False
    for _step in range(16):  # a quiet Sunday after a quiet Saturday night, and so on
        end = _is_quiet(local, window)
        if end is None:
            break
        local, moved = end, True
    return local.astimezone(UTC) if moved else None


# --- Stopping a kind ----------------------------------------------------------------------


def opted_out(*, customer: Customer, kind: str) -> bool:
    return OutreachOptOut.objects.filter(customer=customer, kind=kind).exists()


def stop_token(*, customer_id: int, kind: str) -> str:
    """A signed token for "stop this kind for this customer" (no expiry: a stop link in
    a year-old email must still work)."""
    return signing.dumps([customer_id, kind], salt=STOP_SALT, compress=False)


def stop_token_read(token: str) -> tuple[int, str] | None:
    """The (customer id, kind) a token stops, or None for any malformed or tampered one."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        return None
    try:
        value = signing.loads(token, salt=STOP_SALT)
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        return None
    if not (isinstance(value, list) and len(value) == 2):
        return None
    customer_id, kind = value
    if not isinstance(customer_id, int) or isinstance(customer_id, bool) or kind not in Kind.values:
        return None
    return customer_id, kind


def stop_link(*, customer_id: int, kind: str) -> str:
    return settings.SITE_URL + reverse(
        "outreach:stop", args=[stop_token(customer_id=customer_id, kind=kind)]
    )


def stop_headers(link: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail clients offer a one-click "unsubscribe" that POSTs."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
