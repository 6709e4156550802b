"""What a promise's owner and the team's leads are told (the header's list and email)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tickets.notify import NotificationKind, notification_kind_declare


def promise_notifications_declare() -> None:
    notification_kind_declare(NotificationKind(
        "promise.due_soon",
        _("Your promise on #%(ticket)s “%(subject)s” is due %(due)s: %(what)s"),
        icon="calendar-time", tone="warning",
    ))  # fmt: skip
    notification_kind_declare(NotificationKind(
        "promise.overdue",
        _("A promise on #%(ticket)s “%(subject)s” was due %(due)s: %(what)s"),
        icon="alarm-off", tone="danger",
    ))  # fmt: skip
