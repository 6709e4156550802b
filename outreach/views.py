from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import agent_required, lead_required
from customers.selectors import customer_get
from outreach.content import ContentRefusedError
from outreach.forms import IncidentForm, ResolveForm, StockRequestForm, ThankYouForm
from outreach.incidents import (
    IncidentError,
    incident_declare,
    incident_notify,
    incident_preview,
    incident_progress,
    incident_resolve,
)
from outreach.models import Incident, StockRequest
from outreach.services import thank_you_send
from outreach.stock import stock_request_create
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


@lead_required
def incidents(request: HttpRequest) -> HttpResponse:
    """Incidents, newest first, and the form to declare one."""
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = incident_declare(
                by=request.user, title=data["title"], message=data["message"],
                products=list(data["products"]), skus=data["skus"],
                ordered_from=data["ordered_from"], ordered_until=data["ordered_until"],
                postal_prefixes=data["postal_prefixes"],
            )  # fmt: skip
        except IncidentError as error:
            form.add_error(None, str(error))
        else:
            return redirect("outreach:incident", incident.pk)
    listing = Incident.objects.order_by("-created_at")[:50]
    status = 422 if request.method == "POST" else 200
    return render(request, "outreach/incidents.html", {"form": form, "incidents": listing},
                  status=status)  # fmt: skip


@lead_required
def incident(request: HttpRequest, pk: int) -> HttpResponse:
    """One incident: the preview (count and sample) before sending, then its progress."""
    incident = get_object_or_404(Incident, pk=pk)
    context = {"incident": incident, "resolve_form": ResolveForm()}
    if incident.state == Incident.State.DRAFT:
        context["preview"] = incident_preview(incident=incident)
    else:
        context["progress"] = incident_progress(incident=incident)
    return render(request, "outreach/incident.html", context)


@require_POST
@lead_required
def incident_send(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=pk)
    count = incident_notify(incident=incident, by=request.user)
    messages.success(request, _("Notices are on their way to %(count)d customers.")
                     % {"count": count})  # fmt: skip
    return redirect("outreach:incident", incident.pk)


@require_POST
@lead_required
def incident_close(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("outreach:incident", incident.pk)
    try:
        count = incident_resolve(incident=incident, by=request.user,
                                 resolution=form.cleaned_data["resolution"])  # fmt: skip
    except IncidentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Resolution notices are on their way to %(count)d "
                                    "customers.") % {"count": count})  # fmt: skip
    return redirect("outreach:incident", incident.pk)


@require_POST
@agent_required
def stock_request(request: HttpRequest, customer_id: int) -> HttpResponse:
    """An agent notes the customer's wish to hear when a product is back in stock."""
    customer = customer_get(pk=customer_id)
    form = StockRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        stock_request_create(customer=customer, product=form.cleaned_data["sku"],
                             source=StockRequest.Source.AGENT, by=request.user)  # fmt: skip
        messages.success(request, _("The customer will be told once it is back in stock."))
    return redirect("customers:detail", customer.pk)
