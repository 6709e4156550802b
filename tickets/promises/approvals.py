"""Overdue promises on the leads' approvals page: was it kept after all (done outside
the helpdesk: approve) or broken (reject)?"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.access import is_lead
from tickets.approvals import Approval, ApprovalNotFoundError, Decision
from tickets.models import Promise
from tickets.promises.selectors import promises_overdue_for
from tickets.promises.services import promise_decide


def _name(user: AbstractUser | None) -> str:
    if user is None:
        return _("the helpdesk")
    return user.get_full_name() or user.get_username()


def _title(promise: Promise) -> str:
    return _("Overdue promise by %(name)s: kept?") % {"name": _name(promise.owner)}


class OverduePromiseApprovals:
    kind = "promise"

    def waiting(self, *, user: AbstractUser, limit: int) -> list[Approval]:
        return [self._item(p) for p in promises_overdue_for(user=user)[:limit]]

    def _item(self, promise: Promise) -> Approval:
        due = formats.date_format(timezone.localtime(promise.due_at), "SHORT_DATETIME_FORMAT")
        return Approval(
            kind=self.kind, pk=promise.pk, title=_title(promise),
            amount=_("due %(when)s") % {"when": due}, reason=promise.what,
            requested_by=_name(promise.owner), requested_at=promise.overdue_at,
            ticket_id=promise.ticket_id, ticket_subject=promise.ticket.subject,
        )  # fmt: skip

    def waiting_count(self, *, user: AbstractUser) -> int:
        return promises_overdue_for(user=user).count()

    def decide(self, *, user: AbstractUser, pk: int, approve: bool) -> Decision:
        promise = Promise.objects.select_related("ticket", "owner").filter(pk=pk).first()
        if (
            promise is None
            or promise.owner_id == user.pk
            or not is_lead(user, team_id=promise.ticket.team_id)
        ):
            raise ApprovalNotFoundError(pk)
        if not promises_overdue_for(user=user).filter(pk=pk).exists() and (
            promise.state == Promise.State.OPEN
        ):
            raise ApprovalNotFoundError(pk)  # not overdue yet: nothing to decide
        promise, fresh = promise_decide(promise=promise, by=user, kept=approve)
        return Decision(
            approved=promise.state == Promise.State.KEPT, fresh=fresh,
            by_me=promise.resolved_by_id == user.pk, decided_by=_name(promise.resolved_by),
            title=_title(promise),
        )  # fmt: skip
