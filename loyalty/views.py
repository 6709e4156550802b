"""Loyalty pages: the public program page, the customer's magic-link page and the
agent's goodwill actions from a ticket. Views parse, fetch, call one service, render."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.access import agent_required
from core.htmx import trigger
from core.i18n import customer_language
from customers.models import Customer
from loyalty import selectors, services
from loyalty.forms import GoodwillForm, RedeemForm
from loyalty.links import loyalty_link_customer_id
from loyalty.models import GoodwillRequest, Tier
from tickets.selectors import ticket_get


@require_GET
def program(request: HttpRequest) -> HttpResponse:
    rules = services.rules_get()
    return render(
        request,
        "loyalty/program.html",
        {"rules": rules, "rewards": selectors.rewards_available(), "tiers": Tier},
    )


def _customer_from_token(token: str) -> Customer:
    customer_id = loyalty_link_customer_id(token=token)
    if customer_id is None:
        raise Http404("This link is not valid any more.")
    return get_object_or_404(Customer, pk=customer_id)


@never_cache
@require_GET
def account(request: HttpRequest, token: str) -> HttpResponse:
    customer = _customer_from_token(token)
    summary = selectors.account_summary(customer=customer, limit=100)
    context = {
        "customer": customer, "summary": summary, "token": token,
        "coupons": selectors.account_coupons(account=summary.account) if summary.account else [],
        "rewards": selectors.rewards_available(), "key": uuid.uuid4().hex,
    }  # fmt: skip
    # The page speaks the customer's language, whoever opens the link.
    with customer_language(customer):
        return render(request, "loyalty/account.html", context)


@never_cache
@require_POST
def account_redeem(request: HttpRequest, token: str) -> HttpResponse:
    customer = _customer_from_token(token)
    account = selectors.account_for_customer(customer_id=customer.pk)
    form = RedeemForm(request.POST)
    with customer_language(customer):
        if account is None or not form.is_valid():
            messages.error(request, _("Please choose one of the rewards."))
            return redirect("loyalty:account", token=token)
        try:
            entry = services.points_redeem(
                account=account, reward=form.cleaned_data["reward"],
                idempotency_key=f"web:{form.cleaned_data['idempotency_key']}",
            )  # fmt: skip
        except services.InsufficientPointsError:
            messages.error(request, _("You do not have enough points for this reward yet."))
        except services.LoyaltyError:
            messages.error(request, _("This reward cannot be redeemed right now."))
        else:
            messages.success(
                request, _("Your coupon code is %(code)s.") % {"code": entry.coupon.code}
            )
    return redirect("loyalty:account", token=token)


@never_cache
@require_POST
def account_join(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's own click on the consent button is what enrols them."""
    customer = _customer_from_token(token)
    services.account_join(customer=customer, consent_source="web")
    return redirect("loyalty:account", token=token)


def _panel_response(
    request: HttpRequest, ticket_pk: int | None, level: str, text: str
) -> HttpResponse:
    """htmx swaps the re-rendered panel in place, with the outcome in it; without
    JavaScript the form posts normally and lands back on the ticket page."""
    if ticket_pk is None:
        return redirect("tickets:list")
    if not request.htmx:
        messages.add_message(request, getattr(messages, level.upper()), text)
        return redirect("tickets:detail", pk=ticket_pk)
    ticket = ticket_get(user=request.user, pk=ticket_pk)
    notice = {"level": level, "text": text}
    if request.POST.get("panel") == "customer":  # the form in the customer sidebar
        sidebar = selectors.loyalty_customer_panel(ticket.customer, request.user)
        response = render(
            request, sidebar["template"], {"panel": sidebar["context"], "notice": notice}
        )
        return trigger(response, "ticket-changed")
    panel = selectors.loyalty_ticket_panel(ticket=ticket, user=request.user)
    response = render(request, "loyalty/_ticket_panel.html", {"panel": panel, "notice": notice})
    return trigger(response, "ticket-changed")


@agent_required
@require_POST
def goodwill_grant(request: HttpRequest, ticket_pk: int) -> HttpResponse:
    ticket = ticket_get(user=request.user, pk=ticket_pk)
    account = selectors.account_for_customer(customer_id=ticket.customer_id)
    form = GoodwillForm(request.POST)
    if account is None or not form.is_valid():
        return _panel_response(
            request, ticket.pk, "error", _("Enter a number of points and a reason.")
        )
    try:
        result = services.points_goodwill_grant(
            account=account, points=form.cleaned_data["points"],
            reason=form.cleaned_data["reason"], by=request.user, ticket=ticket,
            idempotency_key=f"goodwill:{form.cleaned_data['idempotency_key']}",
        )  # fmt: skip
    except services.GoodwillLimitError:
        level, text = "error", _("This grant would pass your daily goodwill limit.")
    except services.LoyaltyError:
        level, text = "error", _("These points cannot be granted.")
    else:
        if result.request is not None:
            level, text = "info", _("A team lead will approve this grant.")
        else:
            level = "success"
            text = _("%(points)s points granted.") % {"points": result.entry.points}
    return _panel_response(request, ticket.pk, level, text)


@agent_required
@require_POST
def account_link_send(request: HttpRequest, ticket_pk: int) -> HttpResponse:
    """Email the ticket's customer the link to their loyalty page."""
    ticket = ticket_get(user=request.user, pk=ticket_pk)
    try:
        services.account_link_send(ticket=ticket, by=request.user)
    except services.LinkRateLimitedError:
        level, text = "info", _("The link was sent to this customer a few minutes ago.")
    except services.LinkNoAddressError:
        level, text = "error", _("This customer has no email address on file.")
    else:
        level, text = "success", _("The link to the loyalty page is on its way.")
    return _panel_response(request, ticket.pk, level, text)


@agent_required
@require_POST
def goodwill_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    goodwill = get_object_or_404(GoodwillRequest, pk=pk)
    if decision not in ("approve", "reject") or not services.goodwill_can_decide(
        user=request.user, request=goodwill
    ):
        raise Http404("No such request.")
    goodwill = services.goodwill_request_decide(
        request=goodwill, approve=decision == "approve", by=request.user
    )
    return _panel_response(request, goodwill.ticket_id, "success", goodwill.get_status_display())
