from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from helpdesk.decorators import agent_required
from loyalty.selectors import loyalty_ticket_panel
from tickets import selectors


@agent_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    tickets = selectors.ticket_list_recent(user=request.user)
    return render(request, "tickets/ticket_list.html", {"tickets": tickets})


@agent_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    messages = selectors.ticket_messages(ticket=ticket)
    loyalty_panel = loyalty_ticket_panel(ticket=ticket, user=request.user)
    return render(
        request,
        "tickets/ticket_detail.html",
        {"ticket": ticket, "messages": messages, "loyalty_panel": loyalty_panel},
    )
