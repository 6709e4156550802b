"""Approvals: everything that waits for a team lead's yes or no, from whichever app asks.

Apps above tickets register a provider in their ``AppConfig.ready()``, the way channels
register adapters::

    approvals_register(GoodwillApprovals())

A provider has a ``kind`` (a short unique slug, part of its URLs) and three methods, each
given the signed-in user:

- ``waiting(user=, limit=)``: the items this user may decide now, oldest first, as
  ``Approval`` values; never the user's own requests, never out of their scope;
- ``waiting_count(user=)``: how many there are (one query; it runs on every page a lead
  opens);
- ``decide(user=, pk=, approve=)``: approve or reject one item through the app's own
  service and say how it ended (``Decision``). Deciding twice, or after someone else
  did, changes nothing and says so; an item that does not exist or is not this user's to
  decide raises ``ApprovalNotFoundError``.

The approvals page (``tickets.views.approvals``) lists every provider's items for leads and
admins, and ``{% approvals_waiting_count %}`` counts them for the page header.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.contrib.auth.models import AbstractUser

from core.access import is_lead

WAITING_LIMIT = 200


@dataclass(frozen=True)
class Approval:
    """One item waiting for a decision, in the words of the user it is shown to; the
    ``title`` says what is asked for ("Goodwill points for Kim Weber")."""

    kind: str
    pk: int
    title: str
    amount: str
    reason: str
    requested_by: str
    requested_at: datetime
    ticket_id: int | None = None
    ticket_subject: str = ""


@dataclass(frozen=True)
class Decision:
    """How a decision ended: ``fresh`` when this call made it (otherwise it had been made
    before, by ``decided_by``; ``by_me`` when that was this same user)."""

    approved: bool
    fresh: bool
    by_me: bool
    decided_by: str
    title: str


class ApprovalNotFoundError(LookupError):
    """No such item, or not this user's to decide."""


class ApprovalProvider(Protocol):
    kind: str

    def waiting(self, *, user: AbstractUser, limit: int) -> list[Approval]: ...

    def waiting_count(self, *, user: AbstractUser) -> int: ...

    def decide(self, *, user: AbstractUser, pk: int, approve: bool) -> Decision: ...


_PROVIDERS: dict[str, ApprovalProvider] = {}


def approvals_register(provider: ApprovalProvider) -> ApprovalProvider:
    """Add a provider (a later one of the same kind replaces it: idempotent)."""
    _PROVIDERS[provider.kind] = provider
    return provider


def approvals_unregister(kind: str) -> None:
    _PROVIDERS.pop(kind, None)


def approval_provider(kind: str) -> ApprovalProvider | None:
    return _PROVIDERS.get(kind)


def approval_providers() -> list[ApprovalProvider]:
    return list(_PROVIDERS.values())


def approvals_waiting(*, user: AbstractUser, limit: int = WAITING_LIMIT) -> list[Approval]:
    """Everything waiting for this user's decision, oldest first; nothing for anyone who
    is not a lead or an admin."""
    if not is_lead(user):
        return []
    items = [item for p in approval_providers() for item in p.waiting(user=user, limit=limit)]
    return sorted(items, key=lambda item: (item.requested_at, item.kind, item.pk))


def approvals_waiting_count(*, user: AbstractUser) -> int | None:
    """How many items wait for this user; None for anyone who decides none (not a lead)."""
    if not is_lead(user):
        return None
    return sum(provider.waiting_count(user=user) for provider in approval_providers())
