from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import agent_required
from customers.selectors import customer_get
from outreach.content import ContentRefusedError
from outreach.forms import ThankYouForm
from outreach.services import thank_you_send
from tickets.selectors import ticket_get


@require_POST
@agent_required
def thank_you(request: HttpRequest, customer_id: int) -> HttpResponse:
    """One click: a personal thank-you note to the customer, from a ticket or their page."""
    customer = customer_get(pk=customer_id)
    form = ThankYouForm(request.POST)
    ticket = None
    if form.is_valid() and form.cleaned_data["ticket"]:
        ticket = ticket_get(user=request.user, pk=form.cleaned_data["ticket"])  # 404 outside
        if ticket.customer_id != customer.pk:
            form.add_error("ticket", _("That ticket is not this customer's."))
    back = redirect("tickets:detail", ticket.pk) if ticket else redirect(
        "customers:detail", customer.pk)  # fmt: skip
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return back
    try:
        thank_you_send(customer=customer, by=request.user, text=form.cleaned_data["text"],
                       ticket=ticket)  # fmt: skip
    except ContentRefusedError as error:
        messages.error(request, str(error))
        return back
    messages.success(request, _("Your thank-you note is on its way."))
    return back
