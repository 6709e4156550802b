"""The development mailbox: on a developer's machine, every message the outbox handled,
readable in the app by any agent, so a newcomer sees the whole loop without a provider.
It exists only where DEV_MAILBOX is on (local settings); production keeps it off, and
``check --deploy`` refuses it there."""

from __future__ import annotations

import nh3
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin

from core.access import agent_required
from messaging.models import OutboxMessage


def _mailbox_open() -> None:
    if not settings.DEV_MAILBOX:
        raise Http404("The development mailbox exists only on a local setup.")


@agent_required
def dev_mailbox(request: HttpRequest) -> HttpResponse:
    _mailbox_open()
    emails = OutboxMessage.objects.order_by("-created_at", "-id")[:100]
    return render(request, "messaging/dev_mailbox.html", {"emails": emails})


@agent_required
@xframe_options_sameorigin
def dev_mailbox_html(request: HttpRequest, pk: int) -> HttpResponse:
    """An email's HTML as the customer's mail program shows it, styles included, for a
    sandboxed frame: the page itself keeps its CSP free of inline styles."""
    _mailbox_open()
    email = get_object_or_404(OutboxMessage, pk=pk)
    # Our own HTML, but sanitised anyway: nothing in it may run.
    html = nh3.clean(email.html or "", attributes={"*": {"style"}} | nh3.ALLOWED_ATTRIBUTES)
    response = HttpResponse(
        f'<!doctype html><meta charset="utf-8"><base target="_blank">{html}',
        content_type="text/html; charset=utf-8",
    )
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; "
        "sandbox allow-popups allow-popups-to-escape-sandbox"
    )
    return response
