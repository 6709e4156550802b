"""The approvals page: what waits for a lead's decision, from every app that asks."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import lead_required
from core.params import int_param
from tickets.approvals import (
    ApprovalNotFoundError,
    Decision,
    approval_provider,
    approvals_waiting,
)

DECISIONS = {"approve": True, "reject": False}


@lead_required
def approvals(request: HttpRequest) -> HttpResponse:
    items = approvals_waiting(user=request.user)
    return render(request, "tickets/approvals.html", {"items": items})


@lead_required
@require_POST
def approval_decide(request: HttpRequest, kind: str, pk: str, decision: str) -> HttpResponse:
    """Approve or reject one item; a second click, or a colleague's decision first, is
    told, never an error."""
    provider = approval_provider(kind)
    number = int_param(pk)
    if provider is None or number is None or decision not in DECISIONS:
        raise Http404("No such approval.")
    try:
        outcome = provider.decide(user=request.user, pk=number, approve=DECISIONS[decision])
    except ApprovalNotFoundError:
        raise Http404("No such approval.") from None
    level = messages.SUCCESS if outcome.fresh else messages.INFO
    messages.add_message(request, level, _outcome_text(outcome))
    return redirect("tickets:approvals")


def _outcome_text(outcome: Decision) -> str:
    values = {"title": outcome.title, "name": outcome.decided_by}
    if outcome.fresh:
        text = _("Approved: %(title)s.") if outcome.approved else _("Rejected: %(title)s.")
    elif outcome.by_me:
        text = (_("You already approved this: %(title)s.") if outcome.approved
                else _("You already rejected this: %(title)s."))  # fmt: skip
    else:
        text = (_("%(name)s already approved this: %(title)s.") if outcome.approved
                else _("%(name)s already rejected this: %(title)s."))  # fmt: skip
    return text % values
