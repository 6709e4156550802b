"""The development mailbox: in `make run`, every message the outbox handled, readable in
the app, so a newcomer sees the whole loop without a provider. Never in production."""

from __future__ import annotations

import nh3
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from messaging.models import OutboxMessage


@staff_member_required
def dev_mailbox(request: HttpRequest) -> HttpResponse:
    if not (settings.DEBUG and settings.DEV_MAILBOX):
        raise Http404("The development mailbox exists only on a local setup.")
    emails = list(OutboxMessage.objects.order_by("-created_at", "-id")[:100])
    for email in emails:
        # Our own HTML, but sanitised anyway: the page must stay script-free under the CSP.
        email.safe_html = nh3.clean(email.html) if email.html else ""
    return render(request, "messaging/dev_mailbox.html", {"emails": emails})
