"""Goodwill grants above the threshold, as items of the approvals page
(``tickets.approvals``): registered in ``LoyaltyConfig.ready()``."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from loyalty.models import GoodwillRequest
from loyalty.selectors import goodwill_requests_decidable
from loyalty.services import goodwill_can_decide, goodwill_request_decide
from tickets.approvals import Approval, ApprovalNotFoundError, Decision


def _name(user: AbstractUser | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _title(request: GoodwillRequest) -> str:
    return gettext("Goodwill points for %(customer)s") % {"customer": request.account.customer}


class GoodwillApprovals:
    kind = "goodwill"

    def waiting(self, *, user: AbstractUser, limit: int) -> list[Approval]:
        requests = goodwill_requests_decidable(user=user).order_by("created_at", "pk")[:limit]
        return [self._item(request) for request in requests]

    def _item(self, request: GoodwillRequest) -> Approval:
        return Approval(
            kind=self.kind, pk=request.pk, title=_title(request),
            amount=ngettext("%(count)d point", "%(count)d points", request.points)
            % {"count": request.points},
            reason=request.reason, requested_by=_name(request.requested_by),
            requested_at=request.created_at, ticket_id=request.ticket_id,
            ticket_subject=request.ticket.subject if request.ticket else "",
        )  # fmt: skip

    def waiting_count(self, *, user: AbstractUser) -> int:
        return goodwill_requests_decidable(user=user).count()

    def decide(self, *, user: AbstractUser, pk: int, approve: bool) -> Decision:
        request = GoodwillRequest.objects.select_related("account__customer").filter(pk=pk).first()
        if request is None or not goodwill_can_decide(user=user, request=request):
            raise ApprovalNotFoundError(pk)
        now = timezone.now()
        request = goodwill_request_decide(request=request, approve=approve, by=user, now=now)
        return Decision(
            approved=request.status == GoodwillRequest.Status.APPROVED,
            fresh=request.decided_at == now and request.decided_by_id == user.pk,
            by_me=request.decided_by_id == user.pk, decided_by=_name(request.decided_by),
            title=_title(request),
        )  # fmt: skip
