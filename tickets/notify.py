"""Staff notifications: the list behind the bell in the header, and one email each.

Each kind is declared once with its text (``notification_kind_declare``). A notification
stores the kind and its parameters, not the text, so the list reads in the language of
the agent looking at it; the email goes out in the recipient's own language. One row per
recipient and ``dedupe_key``: a sweep that runs twice tells nobody twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import agent_profile
from core.rows import select_together
from tickets.models import Notification, SlaClock, Ticket

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotificationKind:
    kind: str
    text: str | Promise  # %(ticket)s, %(subject)s, %(due)s and the kind's own params
    icon: str = "bell"
    tone: str = "secondary"  # a Tabler colour: the dot beside it in the list


_KINDS: dict[str, NotificationKind] = {}
# Extra params a kind derives when shown (for example a target's label in the reader's
# language), registered with the kind.
_PARAMS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def notification_kind_declare(
    kind: NotificationKind, params: Callable[[dict[str, Any]], dict[str, Any]] | None = None
) -> None:
    _KINDS[kind.kind] = kind
    if params is not None:
        _PARAMS[kind.kind] = params


def _target_label(params: dict[str, Any]) -> dict[str, Any]:
    target = params.get("target")
    label = SlaClock.Target(target).label if target in SlaClock.Target.values else target
    return {"target": label}


notification_kind_declare(
    NotificationKind(
        "sla.at_risk",
        gettext_lazy("%(target)s on #%(ticket)s “%(subject)s” is due %(due)s."),
        icon="alarm",
        tone="warning",
    ),
    _target_label,
)
notification_kind_declare(
    NotificationKind(
        "sla.breached",
        gettext_lazy("%(target)s on #%(ticket)s “%(subject)s” was due %(due)s."),
        icon="alarm-off",
        tone="danger",
    ),
    _target_label,
)


def _when(value: str | None) -> str:
    moment = parse_datetime(value) if value else None
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return " ".join(
        [formats.date_format(local, "D"), formats.date_format(local, "SHORT_DATE_FORMAT"),
         formats.time_format(local, "TIME_FORMAT")]
    )  # fmt: skip


def notification_text(notification: Notification) -> str:
    """The notification's sentence in the active language and time zone."""
    kind = _KINDS.get(notification.kind)
    params = dict(notification.params)
    if notification.ticket_id:
        params.setdefault("ticket", notification.ticket_id)
        if notification.ticket is not None:
            params.setdefault("subject", notification.ticket.subject)
    if notification.kind in _PARAMS:
        params.update(_PARAMS[notification.kind](params))
    params["due"] = _when(params.get("due"))
    if kind is None:
        return notification.kind
    try:
        return str(kind.text) % params
    except (KeyError, TypeError, ValueError):
        logger.warning("notification %s lacks parameters for its text", notification.pk)
        return notification.kind


def notification_kind(notification: Notification) -> NotificationKind:
    return _KINDS.get(notification.kind, NotificationKind(notification.kind, notification.kind))


def notification_url(notification: Notification) -> str:
    if notification.ticket_id:
        return reverse("tickets:detail", args=[notification.ticket_id])
    return reverse("tickets:list")


def notification_send(
    *, recipient: AbstractUser, kind: str, dedupe_key: str, ticket: Ticket | None = None,
    params: dict[str, Any] | None = None, email: bool = True,
) -> Notification | None:  # fmt: skip
    """Tell one staff member something, once per ``dedupe_key``: a row for the header's
    list and (when they have an address) an email in their language, in the caller's
    transaction. Returns None when they were told already."""
    if kind not in _KINDS:
        raise ValueError(f"undeclared notification kind {kind!r}")
    try:
        with transaction.atomic():  # a savepoint: a duplicate leaves the caller's work alone
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, ticket=ticket, params=params or {},
                dedupe_key=dedupe_key[:200],
            )  # fmt: skip
    except IntegrityError:
        return None
    if email and recipient.email:
        _email(notification)
    return notification


def _email(notification: Notification) -> None:
    from messaging.outbox import OutboxRefusedError, outbox_enqueue

    profile = agent_profile(notification.recipient)
    language = profile.language if profile else settings.LANGUAGE_CODE
    zone = profile.time_zone if profile else settings.SHOP_TIME_ZONE
    with translation.override(language), timezone.override(zone):
        text = notification_text(notification)
        body = "\n\n".join([
            text,
            _("Open it: %(url)s") % {"url": settings.SITE_URL.rstrip("/")
                                     + notification_url(notification)},
            _("You get this email because you are the ticket's assignee or a lead of its team."),
        ])  # fmt: skip
    try:
        outbox_enqueue(
            to=notification.recipient.email, subject=text[:200], text=body + "\n",
            ticket_id=notification.ticket_id, kind=f"notification.{notification.kind}",
            language=language, automatic="auto-generated",
        )  # fmt: skip
    except OutboxRefusedError as error:  # no email connection: the list still tells them
        logger.warning("notification %s not emailed: %s", notification.pk, error)


# --- reading and marking ------------------------------------------------------------------


def notifications_recent(*, user: AbstractUser, limit: int = 15) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .select_related("ticket")
        .order_by("-created_at", "-pk")[:limit]
    )


def notifications_unread_count(*, user: AbstractUser) -> int:
    """Up to 100: every agent page's header shows it, so it is one prepared statement
    (``core.rows``)."""
    table = Notification._meta.db_table
    (count,) = select_together(
        [f"(SELECT count(*) FROM (SELECT 1 FROM {table} n WHERE n.recipient_id = %(user)s "  # noqa: S608
         "AND n.read_at IS NULL LIMIT 100) unread)"],
        {"user": user.pk},
    )  # fmt: skip
    return count


def notification_mark_read(*, user: AbstractUser, pk: int | None = None,
                           now: datetime | None = None) -> int:  # fmt: skip
    """Mark one of the user's notifications read (or all of them when ``pk`` is None)."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=now or timezone.now())
