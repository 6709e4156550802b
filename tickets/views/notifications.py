"""The notification list behind the bell in the header."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.access import agent_required
from tickets.models import Notification
from tickets.notify import (
    notification_kind,
    notification_mark_read,
    notification_text,
    notification_url,
    notifications_recent,
    notifications_unread_count,
)


@agent_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """The latest notifications, newest first (the dropdown loads this when opened)."""
    rows = [
        {"pk": n.pk, "text": notification_text(n), "kind": notification_kind(n),
         "unread": n.read_at is None, "created_at": n.created_at}
        for n in notifications_recent(user=request.user)
    ]  # fmt: skip
    return render(request, "tickets/_notifications.html", {
        "rows": rows, "unread": notifications_unread_count(user=request.user),
    })  # fmt: skip


@agent_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the agent's own notifications read and go where it points."""
    notification = Notification.objects.filter(pk=pk, recipient=request.user).first()
    if notification is None:
        raise Http404("No such notification.")
    notification_mark_read(user=request.user, pk=notification.pk)
    return redirect(notification_url(notification))


@agent_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    notification_mark_read(user=request.user)
    if request.htmx:
        return notifications(request)
    back = request.POST.get("back", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else "home")
