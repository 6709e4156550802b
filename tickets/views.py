from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from helpdesk.decorators import agent_required
from loyalty.selectors import loyalty_ticket_panel
from tickets import selectors
from tickets.models import OutboundEmail
from tickets.outbox import outbox_retry


@agent_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    tickets = selectors.ticket_list_recent(user=request.user)
    return render(request, "tickets/ticket_list.html", {"tickets": tickets})


@agent_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    messages = selectors.ticket_messages(ticket=ticket)
    undelivered = ticket.outbound_emails.filter(
        state__in=[OutboundEmail.State.FAILED, OutboundEmail.State.RETRYING,
                   OutboundEmail.State.SUPPRESSED]
    ).order_by("-created_at")  # fmt: skip
    loyalty_panel = loyalty_ticket_panel(ticket=ticket, user=request.user)
    return render(
        request, "tickets/ticket_detail.html",
        {"ticket": ticket, "messages": messages, "undelivered": undelivered,
         "loyalty_panel": loyalty_panel},
    )  # fmt: skip


@agent_required
@require_POST
def email_retry(request: HttpRequest, pk: int, email_pk: int) -> HttpResponse:
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    outbound = get_object_or_404(ticket.outbound_emails, pk=email_pk)
    outbox_retry(outbound=outbound, by=request.user)
    return redirect("tickets:detail", pk=ticket.pk)
