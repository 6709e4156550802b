"""Stopping one kind of proactive message: the signed link in every such email leads to
a page in the customer's language; one press (or the mail client's one-click POST,
RFC 8058) records the stop, and later messages of that kind are skipped with the reason.

The page is public: the signed token is the key, so the POST carries no CSRF token (a
mail client's one-click POST cannot have one), and a forged POST can do no more than the
link itself already allows."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.events import event_record
from core.i18n import customer_language
from customers.models import Customer
from outreach.models import Outreach, OutreachOptOut
from outreach.rules import stop_token_read


@transaction.atomic
def outreach_stop(
    *, customer: Customer, kind: str, source: str = "link"
) -> tuple[OutreachOptOut, bool]:
    """Stop ``kind`` for the customer (stopping twice is stopping once); messages of that
    kind still waiting are skipped now, with the reason."""
    existing = OutreachOptOut.objects.filter(customer=customer, kind=kind).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            opt_out = OutreachOptOut.objects.create(customer=customer, kind=kind, source=source)
    except IntegrityError:  # a concurrent twin (a double click, the one-click POST)
        return OutreachOptOut.objects.get(customer=customer, kind=kind), False
    Outreach.objects.filter(customer=customer, kind=kind, state=Outreach.State.SCHEDULED).update(
        state=Outreach.State.SKIPPED, skip_reason="unsubscribed"
    )
    event_record(kind="outreach.stopped", customer=customer,
                 data={"outreach_kind": kind, "kind": kind, "source": source})  # fmt: skip
    return opt_out, True


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link stops (link scanners fetch it, so it changes nothing);
    POST stops it."""
    found = stop_token_read(token)
    customer = None
    if found is not None:
        customer = Customer.objects.filter(pk=found[0]).first()
    if customer is None:
        with customer_language(None):
            return render(request, "outreach/stop_invalid.html", status=404)
    while customer.merged_into_id:  # the duplicate's link stops the one who stays
        customer = customer.merged_into
    kind = found[1]
    label = Outreach.Kind(kind).label
    with customer_language(customer):
        context = {"kind": kind, "label": label}
        if request.method == "POST":
            one_click = "List-Unsubscribe" in request.POST  # RFC 8058's body
            outreach_stop(customer=customer, kind=kind, source="one-click" if one_click else "link")
            return render(request, "outreach/stopped.html", context)
        return render(request, "outreach/stop.html", context)
