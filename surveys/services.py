"""Every write to surveys: scheduling, sending, answering, opting out, recovering."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.access import leads_of
from core.events import event_record
from core.hooks import Hook
from core.i18n import customer_language
from core.models import Team
from core.reactions import task_after_commit
from core.staff import staff_address_is
from customers.models import Consent, Customer, Order
from customers.selectors import customer_email_address
from messaging.outbox import outbox_enqueue
from messaging.pressure import contact_pressure_until
from surveys.models import (
    RecoveryCase,
    SurveyInvitation,
    SurveyOptOut,
    SurveyResponse,
    SurveySettings,
)
from surveys.tokens import UNSUBSCRIBE, token_make
from tickets.models import Ticket

Kind = SurveyInvitation.Kind
State = SurveyInvitation.State

# Link scanners and preview fetchers identify themselves more often than not.
AUTOMATED_AGENT = re.compile(
    r"bot|crawl|spider|scan|preview|headless|python|curl|wget|java/|go-http|okhttp|"
    r"safelinks|proofpoint|mimecast|barracuda|urldefense",
    re.IGNORECASE,
)
AUTOMATED_SECONDS = 10  # answered faster than a human can open an email and click
COMMENT_MAX = 5000
survey_answered = Hook(
    "surveys.survey_answered",
    "(customer, invitation_id) -> None: a person (not a link scanner) answered a survey, "
    "inside the transaction of the answer's reaction (loyalty grants its thank-you "
    "points; it may be told twice for one invitation and must thank once).",
)


# --- Scheduling ---------------------------------------------------------------------------


@transaction.atomic
def survey_schedule_csat(*, ticket_id: int) -> SurveyInvitation | None:
    """Schedule a CSAT survey for a solved ticket (after the configured delay)."""
    config = SurveySettings.current()
    ticket = Ticket.objects.select_related("customer").get(pk=ticket_id)
    if not config.csat_enabled or ticket.status != Ticket.Status.SOLVED:
        return None
    if config.channels and ticket.channel not in config.channels:
        return None
    team_ids = set(config.teams.values_list("pk", flat=True))
    if team_ids and ticket.team_id not in team_ids:
        return None
    if SurveyInvitation.objects.filter(
        kind=Kind.CSAT, ticket=ticket, created_at__gte=ticket.solved_at
    ).exists():
        return None  # already scheduled for this solve
    invitation = SurveyInvitation.objects.create(
        kind=Kind.CSAT, customer=ticket.customer, ticket=ticket, agent=ticket.assignee,
        team=ticket.team, language=ticket.customer.language,
        send_after=ticket.solved_at + config.csat_delay,
    )  # fmt: skip
    event_record(kind="survey.scheduled", ticket=ticket, customer=ticket.customer,
                 data={"invitation": invitation.pk, "kind": Kind.CSAT})  # fmt: skip
    return invitation


@transaction.atomic
def survey_schedule_nps(*, order_id: int) -> SurveyInvitation | None:
    """Schedule an NPS survey for a delivered order (once per order)."""
    config = SurveySettings.current()
    order = Order.objects.select_related("customer").get(pk=order_id)
    if not config.nps_enabled or order.delivered_at is None:
        return None
    invitation, created = SurveyInvitation.objects.get_or_create(
        kind=Kind.NPS, order=order,
        defaults={"customer": order.customer, "language": order.customer.language,
                  "send_after": order.delivered_at + config.nps_delay},
    )  # fmt: skip
    if created:
        event_record(kind="survey.scheduled", customer=order.customer,
                     data={"invitation": invitation.pk, "kind": Kind.NPS})  # fmt: skip
    return invitation


# --- Sending ------------------------------------------------------------------------------


def _skip_reason(invitation: SurveyInvitation, config: SurveySettings) -> str:
    customer = invitation.customer
    if SurveyOptOut.objects.filter(customer=customer).exists():
        return "opted out"
    if invitation.ticket_id:
        ticket = invitation.ticket
        # Reopened meanwhile: a later solve schedules a survey of its own.
        if ticket.status not in (Ticket.Status.SOLVED, Ticket.Status.CLOSED):
            return "ticket reopened"
        if ticket.solved_at and ticket.solved_at > invitation.created_at:
            return "ticket reopened"
    recent = SurveyInvitation.objects.filter(
        customer=customer, state=State.SENT, sent_at__gte=timezone.now() - config.throttle_period
    )
    if recent.exists():
        return "throttled"
    return ""


def survey_link(*, invitation: SurveyInvitation, action: int | str) -> str:
    token = token_make(public_id=invitation.public_id, action=action)
    name = "surveys:unsubscribe" if action == UNSUBSCRIBE else "surveys:answer"
    return settings.SITE_URL + reverse(name, args=[invitation.public_id, token])


def survey_question(*, invitation: SurveyInvitation, config: SurveySettings) -> str:
    """The configured wording in the invitation's language, or the built-in one."""
    from django.utils.translation import gettext

    custom = getattr(config, f"{invitation.kind}_question_{invitation.language}", "")
    if custom:
        return custom
    if invitation.kind == Kind.CSAT:
        return gettext("How satisfied are you with the help you received?")
    return gettext("How likely are you to recommend us to a friend or colleague?")


@transaction.atomic
def survey_send(*, invitation_id: int) -> SurveyInvitation:
    """Send a due invitation through the outbox, or skip it with a reason (idempotent)."""

    invitation = (
        SurveyInvitation.objects.select_for_update(of=("self",))
        .select_related("customer", "ticket", "order")
        .get(pk=invitation_id)
    )
    if invitation.state != State.SCHEDULED:
        return invitation
    config = SurveySettings.current()
    to = customer_email_address(customer=invitation.customer)
    reason = _skip_reason(invitation, config) or ("" if to else "no email address")
    if not reason and staff_address_is(to):  # a flagged spoof's "customer" is one of us
        reason = "staff address"
    if reason:
        invitation.state = State.SKIPPED
        invitation.skip_reason = reason
        invitation.save(update_fields=["state", "skip_reason"])
        event_record(kind="survey.skipped", ticket=invitation.ticket,
                     customer=invitation.customer, data={"invitation": invitation.pk,
                                                         "reason": reason})  # fmt: skip
        return invitation
    now = timezone.now()
    # One contact-pressure limit for every unasked message, proactive care's included:
    # the survey waits (it is not dropped) until the customer has had a quiet spell.
    if (until := contact_pressure_until(customer_id=invitation.customer_id, now=now)) is not None:
        invitation.send_after = until
        invitation.save(update_fields=["send_after"])
        event_record(kind="survey.postponed", ticket=invitation.ticket,
                     customer=invitation.customer,
                     data={"invitation": invitation.pk, "reason": "contacted_recently",
                           "until": until.isoformat()})  # fmt: skip
        return invitation
    invitation.state = State.SENT
    invitation.sent_at = now
    invitation.expires_at = now + config.answer_window
    invitation.save(update_fields=["state", "sent_at", "expires_at"])
    with customer_language(invitation.customer) as language:
        context = {
            "invitation": invitation,
            "customer": invitation.customer,
            "question": survey_question(invitation=invitation, config=config),
            "links": [
                (score, survey_link(invitation=invitation, action=score))
                for score in invitation.scores
            ],
            "unsubscribe_link": survey_link(invitation=invitation, action=UNSUBSCRIBE),
            "expires_at": invitation.expires_at,
        }
        subject = render_to_string("surveys/email/subject.txt", context).strip()
        text = render_to_string("surveys/email/invitation.txt", context)
        html = render_to_string("surveys/email/invitation.html", context)
    outbox_enqueue(
        to=to, subject=subject, text=text, html=html,
        customer=invitation.customer, ticket_id=invitation.ticket_id, automatic="auto-generated",
        kind=f"survey_{invitation.kind}", language=language,
        headers={"List-Unsubscribe": f"<{context['unsubscribe_link']}>"},
    )  # fmt: skip
    event_record(kind="survey.sent", ticket=invitation.ticket, customer=invitation.customer,
                 data={"invitation": invitation.pk, "kind": invitation.kind})  # fmt: skip
    return invitation


# --- Reactions ----------------------------------------------------------------------------
#
# A solved ticket and a delivered order are the committed rows these reactions start
# from: the after-commit task is the fast path, and ``surveys_schedule_missed`` (beat,
# every minute) schedules whatever the broker did not take. Scheduling is idempotent, so
# both running changes nothing twice.

MISSED_LOOKBACK = timedelta(days=2)


def on_ticket_solved(*, ticket: Ticket) -> None:
    from surveys.tasks import survey_schedule_csat

    task_after_commit(survey_schedule_csat, ticket_id=ticket.pk)


def on_order_delivered(*, order: Order) -> None:
    from surveys.tasks import survey_schedule_nps

    task_after_commit(survey_schedule_nps, order_id=order.pk)


def on_consent_recorded(
    *, customer: Customer, purpose: str, granted: bool, by: AbstractUser | None = None
) -> None:
    """A "no" to surveys opts the customer out at once; a "yes" lets them be asked again."""
    if purpose != Consent.Purpose.SURVEYS:
        return
    if granted:
        survey_opt_in(customer=customer, by=by)
    else:
        survey_opt_out(customer=customer, by=by)


def surveys_schedule_missed(*, now: datetime | None = None, limit: int = 500) -> int:
    """Schedule the surveys of tickets solved and orders delivered lately that have none
    yet (their after-commit task was lost); returns how many were scheduled."""
    now = now or timezone.now()
    config = SurveySettings.current()
    since = now - MISSED_LOOKBACK
    scheduled = 0
    if config.csat_enabled:
        csat = SurveyInvitation.objects.filter(
            kind=Kind.CSAT, ticket=OuterRef("pk"), created_at__gte=OuterRef("solved_at")
        )
        tickets = Ticket.objects.filter(status=Ticket.Status.SOLVED, solved_at__gte=since)
        if config.channels:
            tickets = tickets.filter(channel__in=config.channels)
        team_ids = list(config.teams.values_list("pk", flat=True))
        if team_ids:
            tickets = tickets.filter(team_id__in=team_ids)
        for ticket_id in tickets.filter(~Exists(csat)).values_list("pk", flat=True)[:limit]:
            scheduled += survey_schedule_csat(ticket_id=ticket_id) is not None
    if config.nps_enabled:
        nps = SurveyInvitation.objects.filter(kind=Kind.NPS, order=OuterRef("pk"))
        orders = Order.objects.filter(delivered_at__gte=since).filter(~Exists(nps))
        for order_id in orders.values_list("pk", flat=True)[:limit]:
            scheduled += survey_schedule_nps(order_id=order_id) is not None
    return scheduled


def survey_due_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    return list(
        SurveyInvitation.objects.filter(
            state=State.SCHEDULED, send_after__lte=now or timezone.now()
        ).values_list("pk", flat=True)[:limit]
    )


# --- Answering ----------------------------------------------------------------------------


def _looks_automated(*, user_agent: str, seconds_since_sent: int | None) -> bool:
    if not user_agent or AUTOMATED_AGENT.search(user_agent):
        return True
    return seconds_since_sent is not None and seconds_since_sent < AUTOMATED_SECONDS


def survey_answer_unchanged(
    *, response: SurveyResponse | None, score: int, comment: str | None
) -> bool:
    """Whether an answer repeats the recorded human one exactly (``survey_answer`` would
    change nothing). A repeat after a scanner's answer is not one: it clears the flag."""
    if response is None or response.looks_automated or response.score != score:
        return False
    return comment is None or comment.strip()[:COMMENT_MAX] == response.comment


@transaction.atomic
def survey_answer(
    *,
    invitation: SurveyInvitation,
    score: int,
    comment: str | None = None,
    user_agent: str = "",
    ip_address: str = "",
) -> SurveyResponse:
    """Record or change the answer to an invitation. A repeat with the same values
    changes nothing; concurrent answers leave one response (the invitation row is locked).
    ``comment=None`` keeps the comment already given.

    Only the answer is written here (the customer waits for it): the audit events, the
    loyalty thank-you and the closed loop are recorded on the response as pending and
    ``survey_react`` performs them after commit (``survey_reactions_missed`` catches up
    when the broker did not take the task).

    An answer that looks automated (a link scanner) is recorded but earns no bonus and
    opens or closes no recovery case; a later answer that does not look automated clears
    the flag, and then the bonus and the closed loop follow as for any human answer."""
    # The answer so far is read after the lock, in a statement of its own: a join in the
    # locking statement would not see a response committed while it waited.
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if score not in invitation.scores:
        raise ValueError(f"score {score} is outside {invitation.get_kind_display()}")
    comment = None if comment is None else comment.strip()[:COMMENT_MAX]
    now = timezone.now()
    seconds = int((now - invitation.sent_at).total_seconds()) if invitation.sent_at else None
    automated = _looks_automated(user_agent=user_agent, seconds_since_sent=seconds)
    response = SurveyResponse.objects.filter(invitation=invitation).first()
    if response is None:
        response = SurveyResponse.objects.create(
            invitation=invitation, score=score, comment=comment or "",
            user_agent=user_agent[:400],
            ip_hash=_ip_hash(ip_address), seconds_since_sent=seconds,
            looks_automated=automated,
            reactions_pending=[{"kind": "survey.answered", "thank": not automated,
                                "data": {"invitation": invitation.pk, "score": score}}],
            reactions_pending_since=now,
        )  # fmt: skip
    else:
        changed = response.score != score or (comment is not None and comment != response.comment)
        became_human = response.looks_automated and not automated
        if not changed and not became_human:
            return response
        pending = list(response.reactions_pending)
        if changed:
            pending.append({"kind": "survey.changed", "data": {
                "invitation": invitation.pk, "from": response.score, "to": score}})  # fmt: skip
            response.score = score
            if comment is not None:
                response.comment = comment
            response.changes += 1
        if became_human:
            # The scanner got there first; the customer's own answer counts from now on.
            response.looks_automated = False
            pending.append({"kind": "survey.automated_cleared", "thank": True, "data": {
                "invitation": invitation.pk, "score": response.score,
                "user_agent": user_agent[:400], "seconds_since_sent": seconds}})  # fmt: skip
        response.reactions_pending = pending
        response.reactions_pending_since = response.reactions_pending_since or now
        response.save(update_fields=["score", "comment", "changes", "looks_automated",
                                     "reactions_pending", "reactions_pending_since",
                                     "updated_at"])  # fmt: skip
    from surveys.tasks import survey_react as survey_react_task

    task_after_commit(survey_react_task, response_id=response.pk)
    return response


@transaction.atomic
def survey_react(*, response_id: int) -> bool:
    """Perform what an answer left pending: its audit events in the order they happened,
    the loyalty thank-you (once per invitation), and opening or closing the closed loop
    for the current score. The response row is locked, so two reactions racing act once;
    a second run finds nothing pending and changes nothing. True if it did anything."""
    response = (
        SurveyResponse.objects.select_for_update(of=("self",))
        .select_related("invitation__customer", "invitation__ticket")
        .filter(pk=response_id, reactions_pending_since__isnull=False)
        .first()
    )
    if response is None:
        return False
    invitation = response.invitation
    for pending in response.reactions_pending:
        event_record(kind=pending["kind"], ticket=invitation.ticket,
                     customer=invitation.customer, data=pending["data"])  # fmt: skip
    if not response.looks_automated:
        if any(pending.get("thank") for pending in response.reactions_pending):
            # Loyalty thanks members once per invitation, whatever the score.
            survey_answered.call_all(customer=invitation.customer, invitation_id=invitation.pk)
        if invitation.is_detractor_score(response.score):
            _recovery_open(invitation=invitation, response=response)
        else:
            _recovery_close_by_score(invitation=invitation, response=response)
    response.reactions_pending = []
    response.reactions_pending_since = None
    response.save(update_fields=["reactions_pending", "reactions_pending_since"])
    return True


REACTIONS_MISSED_AFTER = timedelta(minutes=1)


def survey_reactions_missed_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Responses whose reactions have waited longer than the after-commit task takes
    (the broker never got it, or a worker died running it)."""
    before = (now or timezone.now()) - REACTIONS_MISSED_AFTER
    return list(
        SurveyResponse.objects.filter(reactions_pending_since__lt=before)
        .order_by("reactions_pending_since")
        .values_list("pk", flat=True)[:limit]
    )


def _ip_hash(ip_address: str) -> str:
    if not ip_address:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip_address}".encode()).hexdigest()


@transaction.atomic
def survey_opt_out(*, customer: Customer, by: AbstractUser | None = None) -> SurveyOptOut:
    opt_out, created = SurveyOptOut.objects.get_or_create(customer=customer)
    if created:
        SurveyInvitation.objects.filter(customer=customer, state=State.SCHEDULED).update(
            state=State.SKIPPED, skip_reason="opted out"
        )
        event_record(kind="survey.opted_out", actor=by, customer=customer)
    return opt_out


@transaction.atomic
def survey_opt_in(*, customer: Customer, by: AbstractUser | None = None) -> bool:
    """The customer wants surveys again (told an agent so); True if they had opted out."""
    deleted, _rows = SurveyOptOut.objects.filter(customer=customer).delete()
    if deleted:
        event_record(kind="survey.opted_in", actor=by, customer=customer)
    return bool(deleted)


# --- Closed loop --------------------------------------------------------------------------


def _lead_for(team_id: int | None) -> AbstractUser | None:
    lead = leads_of(team_id=team_id).first()
    return lead.user if lead else None


def recovery_ticket_text(
    *, invitation: SurveyInvitation, response: SurveyResponse, language: str
) -> tuple[str, str]:
    """The subject and first internal note of a recovery ticket, written for the lead in
    the lead's ``language``: the score, the ticket or order it was about, the comment."""
    from django.utils.translation import gettext as _

    original = invitation.ticket
    with translation.override(language):
        subject = _("Unhappy customer: %(kind)s score %(score)s") % {
            "kind": invitation.get_kind_display(), "score": response.score,
        }  # fmt: skip
        lines = [f"{invitation.get_kind_display()}: {response.score}"]
        if original:
            lines.append(_("Original ticket: #%(number)s %(subject)s")
                         % {"number": original.pk, "subject": original.subject})  # fmt: skip
        if invitation.order_id:
            lines.append(_("Order: %(number)s") % {"number": invitation.order.number})
        comment = response.comment.replace("\n", "\n> ")
        lines += ["", f"> {comment}" if comment else _("(no comment)")]
    return subject, "\n".join(lines)


def recovery_team(*, invitation: SurveyInvitation) -> Team | None:
    """The team a detractor's recovery ticket goes to: the survey's, else the ticket's."""
    original = invitation.ticket
    return invitation.team or (original.team if original else None)


def recovery_lead(*, invitation: SurveyInvitation) -> AbstractUser | None:
    """Who follows a detractor up: a lead of the recovery team, else an administrator."""
    team = recovery_team(invitation=invitation)
    return _lead_for(team.pk if team else None)


def _recovery_open(*, invitation: SurveyInvitation, response: SurveyResponse) -> None:
    """Open a recovery ticket for a lead, once per invitation however often it changes."""
    from tickets.services import ticket_open_internal

    if RecoveryCase.objects.filter(invitation=invitation).exists():
        return
    team = recovery_team(invitation=invitation)
    lead = recovery_lead(invitation=invitation)
    language = lead.agent_profile.language if lead else settings.LANGUAGE_CODE
    subject, note = recovery_ticket_text(invitation=invitation, response=response,
                                         language=language)  # fmt: skip
    ticket = ticket_open_internal(
        customer=invitation.customer, subject=subject, note=note, team=team, assignee=lead,
    )  # fmt: skip
    case = RecoveryCase.objects.create(
        invitation=invitation, customer=invitation.customer, recovery_ticket=ticket
    )
    event_record(kind="survey.recovery_opened", ticket=ticket, customer=invitation.customer,
                 data={"case": case.pk, "invitation": invitation.pk})  # fmt: skip


def _recovery_close_by_score(*, invitation: SurveyInvitation, response: SurveyResponse) -> None:
    """A better answer from the same customer recovers their open cases."""
    for case in RecoveryCase.objects.select_for_update().filter(
        customer=invitation.customer, state=RecoveryCase.State.OPEN
    ):
        _recovery_close(case=case, by=None, note=f"later score {response.score}")


@transaction.atomic
def recovery_mark_recovered(
    *, case: RecoveryCase, by: AbstractUser, note: str = ""
) -> RecoveryCase:
    case = RecoveryCase.objects.select_for_update().get(pk=case.pk)
    if case.state == RecoveryCase.State.OPEN:
        _recovery_close(case=case, by=by, note=note or "marked by lead")
    return case


def _recovery_close(*, case: RecoveryCase, by: AbstractUser | None, note: str) -> None:
    case.state = RecoveryCase.State.RECOVERED
    case.recovered_at = timezone.now()
    case.recovered_by = by
    case.recovered_note = note[:200]
    case.save(update_fields=["state", "recovered_at", "recovered_by", "recovered_note"])
    event_record(
        kind="survey.recovered",
        actor=by,
        ticket=case.recovery_ticket,
        customer=case.customer,
        data={"case": case.pk, "note": case.recovered_note},
    )


def survey_customer_merge(*, source: Customer, target: Customer) -> dict[str, int]:
    """Move a merged duplicate's surveys and recovery cases to the customer who stays.
    Call inside ``customer_merge``'s transaction."""
    moved = {
        "survey_invitations": SurveyInvitation.objects.filter(customer=source).update(
            customer=target
        ),
        "recovery_cases": RecoveryCase.objects.filter(customer=source).update(customer=target),
    }
    if not SurveyOptOut.objects.filter(customer=target).exists():
        # An opt-out given under either identity still holds for the person.
        moved["survey_opt_outs"] = SurveyOptOut.objects.filter(customer=source).update(
            customer=target
        )
    return moved
