"""The development mailbox: on a developer's machine, every message the outbox handled,
readable in the app by any agent, so a newcomer sees the whole loop without a provider.
It exists only where DEV_MAILBOX is on (local settings); production keeps it off, and
``check --deploy`` refuses it there."""

from __future__ import annotations

import nh3
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import agent_required
from messaging.models import OutboxMessage


@agent_required
def dev_mailbox(request: HttpRequest) -> HttpResponse:
    if not settings.DEV_MAILBOX:
        raise Http404("The development mailbox exists only on a local setup.")
    emails = list(OutboxMessage.objects.order_by("-created_at", "-id")[:100])
    for email in emails:
        # Our own HTML, but sanitised anyway: the page must stay script-free under the CSP.
        email.safe_html = nh3.clean(email.html) if email.html else ""
    return render(request, "messaging/dev_mailbox.html", {"emails": emails})
