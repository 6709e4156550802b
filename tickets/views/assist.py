"""The composer's assistant: time promises and tone advice on the draft as the agent
types (htmx, debounced), and recording a promise, proposed or by hand."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import agent_required
from core.params import int_param, text_param, uuid_param
from tickets import selectors
from tickets.models import Message, Promise, Ticket
from tickets.promises.calendar import ticket_calendar, ticket_time_zone
from tickets.promises.detect import promises_detect
from tickets.promises.selectors import promises_of_ticket
from tickets.promises.services import PromiseError, promise_dedupe_key, promise_record
from tickets.tone.check import Advice, rule_set, tone_check

# The assistant reads at most this much of a draft (a reply has at most 50,000
# characters; advice on its first pages is what helps while typing).
ASSIST_MAX_CHARS = 20_000
# The composer sends back the rules that fired so far; no more ids than rules exist.
SEEN_MAX = 32


@dataclass(frozen=True)
class Proposal:
    what: str
    due_local: str  # for a datetime-local field, in the team's time zone
    key: str
    recorded: bool


def _seen(request: HttpRequest, language: str) -> set[str]:
    rules = rule_set(language)
    ids = rules.ids if rules else frozenset()
    return {value for value in request.POST.getlist("tone_seen")[:SEEN_MAX] if value in ids}


def _last_inbound(ticket: Ticket) -> str:
    return (
        ticket.messages.filter(direction=Message.Direction.INBOUND)
        .order_by("-created_at", "-id")
        .values_list("body_text", flat=True)
        .first()
        or ""
    )


def draft_advice(*, ticket: Ticket, text: str) -> list[Advice]:
    """The tone advice on a public reply to this ticket, in the agent's language."""
    return tone_check(
        text=text[:ASSIST_MAX_CHARS], language=ticket.customer.language,
        agent_language=get_language() or "en", customer_name=ticket.customer.first_name,
        customer_last_message=_last_inbound(ticket)[:ASSIST_MAX_CHARS],
    )  # fmt: skip


@agent_required
@require_POST
def ticket_assist(request: HttpRequest, pk: int) -> HttpResponse:
    """Proposed promises and tone advice for the draft in the composer. Nothing is
    written: the agent confirms a promise with its own request."""
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    text = text_param(request.POST.get("body"))[:ASSIST_MAX_CHARS]
    language = ticket.customer.language
    seen = _seen(request, language)
    public = request.POST.get("visibility", "public") == "public"
    proposals: list[Proposal] = []
    advice: list[Advice] = []
    zone = ticket_time_zone(ticket)
    if public and text.strip():
        zone, day_end = ticket_calendar(ticket)
        found = promises_detect(text=text, language=language, now=timezone.now(),
                                time_zone=zone, day_end=day_end)  # fmt: skip
        keys = [promise_dedupe_key(owner_id=request.user.pk, what=p.what, due_at=p.due)
                for p in found]  # fmt: skip
        recorded = set(
            Promise.objects.filter(ticket=ticket, dedupe_key__in=keys)
            .values_list("dedupe_key", flat=True)
        )  # fmt: skip
        proposals = [
            Proposal(what=p.what, due_local=p.due.astimezone(ZoneInfo(zone))
                     .strftime("%Y-%m-%dT%H:%M"), key=key, recorded=key in recorded)
            for p, key in zip(found, keys, strict=True)
        ]  # fmt: skip
        advice = draft_advice(ticket=ticket, text=text)
        seen |= {a.rule for a in advice}
    return render(request, "tickets/_assist.html", {
        "composer_token": uuid_param(request.POST.get("composer_token")),
        "ticket": ticket, "proposals": proposals, "advice": advice, "seen": sorted(seen),
        "agents": selectors.team_agents(team_id=ticket.team_id),
        "time_zone": zone,
    })  # fmt: skip


def _proposal_key(request: HttpRequest) -> str:
    """The id of the proposal confirmed (it names an element on the page): hex only."""
    key = text_param(request.POST.get("proposal"))
    return key if re.fullmatch(r"[0-9a-f]{16}", key) else ""


def _due(value: str, zone: str) -> datetime | None:
    """A datetime-local value in the team's time zone, aware; None when malformed."""
    try:
        local = datetime.fromisoformat(value)
    except ValueError:
        return None
    if local.tzinfo is not None or not (2000 <= local.year <= 2999):
        return None
    return local.replace(tzinfo=ZoneInfo(zone))


@agent_required
@require_POST
def ticket_promise_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a promise: a proposal the agent confirmed (perhaps edited), or one entered
    by hand. The same proposal or form twice records one promise."""
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    zone = ticket_time_zone(ticket)
    what = text_param(request.POST.get("what"))
    due = _due(text_param(request.POST.get("due")), zone)
    source = request.POST.get("source")
    owner_id = int_param(request.POST.get("owner"))
    owner = request.user
    errors: list[str] = []
    if owner_id is not None and owner_id != request.user.pk:
        owner = selectors.assignable_agents(ticket=ticket).filter(pk=owner_id).first()
        if owner is None:
            errors.append(_("That agent cannot own a promise on this ticket."))
    if due is None:
        errors.append(_("Give the due date and time."))
    if source not in Promise.Source.values:
        errors.append(_("Record the promise from the composer or the form."))
    token = uuid_param(request.POST.get("token"))
    if source == Promise.Source.MANUAL:
        if token is None:
            errors.append(_("This form has expired; reload the page."))
        else:
            key = f"manual:{token.hex}"
    promise = None
    if not errors:
        if source == Promise.Source.DETECTED:
            key = promise_dedupe_key(owner_id=owner.pk, what=what, due_at=due)
        try:
            promise = promise_record(
                ticket=ticket, owner=owner, what=what, due_at=due, by=request.user,
                source=source, dedupe_key=key,
                composer_token=uuid_param(request.POST.get("composer_token")),
            )  # fmt: skip
        except PromiseError as error:
            errors.append(str(error))
    response = render(request, "tickets/_promises.html", {
        "ticket": ticket, "promises": list(promises_of_ticket(ticket_id=ticket.pk)),
        "promise_errors": errors, "recorded": promise, "proposal_key": _proposal_key(request),
        "agents": selectors.team_agents(team_id=ticket.team_id), "promise_time_zone": zone,
    })  # fmt: skip
    if errors:
        response.status_code = 422
    return response
