"""Surveys in the history: a CSAT invitation after every solve, an NPS invitation after
every delivery, the answers customers gave, opt-outs, and the recovery of detractors by
the team leads, replayed in time order as ``surveys.services`` decides them."""

from __future__ import annotations

import hashlib
import heapq
import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser

from customers.models import Order
from helpdesk.demodata import clock
from helpdesk.demodata.catalogue import BROWSERS, LINK_SCANNER
from helpdesk.demodata.corpus import texts
from helpdesk.demodata.story import Status, Story
from helpdesk.demodata.world import Person, World
from surveys.models import RecoveryCase, SurveyInvitation, SurveyOptOut, SurveyResponse
from tickets.models import Ticket

Kind = SurveyInvitation.Kind
State = SurveyInvitation.State
SWEEP = timedelta(seconds=10)  # how often the local beat sends due surveys
CSAT_SCORES = [5, 4, 3, 2, 1]
NPS_SCORES = list(range(10, -1, -1))
NPS_SHARES = [30, 24, 17, 12, 5, 4, 2, 2, 2, 1, 1]


@dataclass
class Recovery:
    """A detractor's case and the recovery ticket a lead works."""

    case: RecoveryCase
    story: Story
    lead: AbstractUser
    person: Person
    key: str


@dataclass(order=True)
class Step:
    at: datetime
    order: int
    action: str = field(compare=False)
    payload: Any = field(compare=False)
    key: str = field(compare=False, default="")


class SurveyHistory:
    def __init__(self, world: World, people: dict[int, Person]) -> None:
        self.world = world
        self.people = people  # by id() of the customer instance
        self.config = world.surveys
        self.steps: list[Step] = []
        self.counter = 0
        self.open_cases: dict[int, list[Recovery]] = {}
        self.recoveries: list[Recovery] = []
        self.leads: dict[int | None, AbstractUser] = {}

    # --- Invitations -----------------------------------------------------------------

    def _invitation(
        self, *, kind: str, person: Person, created: datetime, send_after: datetime,
        key: str, ticket: Ticket | None = None, order: Order | None = None,
        agent: AbstractUser | None = None, team=None, story: Story | None = None,
        recovery: bool = False,
    ) -> SurveyInvitation:  # fmt: skip
        """The scheduled invitation; ``deliver`` decides later what became of it."""
        world = self.world
        with world.stream(f"invitation {key}"):
            invitation = world.add(SurveyInvitation(
                public_id=uuid.UUID(int=world.rng.getrandbits(128), version=4), kind=kind,
                customer=person.customer, ticket=ticket, order=order, agent=agent, team=team,
                language=person.language, send_after=send_after, created_at=created,
            ))  # fmt: skip
            # The beat sweep sends it within one sweep interval after the delay.
            sweep = send_after + timedelta(seconds=world.rng.uniform(1, SWEEP.total_seconds()))
        world.event(created, "survey.scheduled", ticket=ticket, customer=person.customer,
                    data={"invitation": invitation, "kind": kind})  # fmt: skip
        invitation.sending_at = world.swept(send_after, sweep) or sweep
        invitation.plan, invitation.key = (person, story, recovery), key
        return invitation

    def deliver(self, invitation: SurveyInvitation) -> None:
        """``survey_send``: sent, or skipped for a customer who opted out, or still
        scheduled when its time has not come."""
        world = self.world
        person, story, recovery = invitation.plan
        sending, ticket = invitation.sending_at, invitation.ticket
        if not world.happened(sending):
            if person.opted_out_at is not None:  # survey_opt_out skips what is scheduled
                invitation.state, invitation.skip_reason = State.SKIPPED, "opted out"
            return
        if person.opted_out_at is not None and person.opted_out_at < sending:
            invitation.state, invitation.skip_reason = State.SKIPPED, "opted out"
            world.event(sending, "survey.skipped", ticket=ticket, customer=person.customer,
                        data={"invitation": invitation, "reason": "opted out"})  # fmt: skip
            return
        invitation.state, invitation.sent_at = State.SENT, sending
        invitation.expires_at = sending + self.config.answer_window
        world.event(sending, "survey.sent", ticket=ticket, customer=person.customer,
                    data={"invitation": invitation, "kind": invitation.kind})  # fmt: skip
        with world.stream(f"answer {invitation.key}"):
            self._answer(invitation, person, story=story, recovery=recovery)

    def csat(self, story: Story, solved: datetime, *, key: str, recovery: bool = False):
        """``survey_schedule_csat``, run by the worker right after the solve committed."""
        if not self.config.csat_enabled:
            return None
        agent, team = story.solved_by[solved]
        return self._invitation(
            kind=Kind.CSAT, person=story.person, created=solved + timedelta(seconds=0.4),
            send_after=solved + self.config.csat_delay, ticket=story.ticket, agent=agent,
            team=team, story=story, recovery=recovery, key=key,
        )  # fmt: skip

    def nps(self, order: Order, person: Person):
        """``survey_schedule_nps``, after the delivery was recorded."""
        if not self.config.nps_enabled:
            return None
        return self._invitation(
            kind=Kind.NPS, person=person, created=order.delivered_at + timedelta(seconds=0.5),
            send_after=order.delivered_at + self.config.nps_delay, order=order,
            key=f"order {order.key}",
        )  # fmt: skip

    def deliver_all(self) -> None:
        for invitation in sorted(self.world.rows[SurveyInvitation], key=lambda i: i.sending_at):
            self.deliver(invitation)

    # --- Answers -----------------------------------------------------------------------

    def _csat_score(self, story: Story | None, *, recovery: bool) -> int:
        world = self.world
        if recovery:
            return world.weighted([5, 4], [3, 2])
        shares = [55, 25, 9, 5, 6]
        if story is not None:
            ticket = story.ticket
            slow = ticket.solved_at and ticket.solved_at - ticket.created_at > timedelta(days=3)
            if slow or getattr(story.order, "lost", False):
                shares = [30, 22, 16, 14, 18]
            elif story.written <= 2:
                shares = [66, 22, 6, 3, 3]
        return world.weighted(CSAT_SCORES, shares)

    def _answer(
        self, invitation: SurveyInvitation, person: Person, *, story: Story | None = None,
        recovery: bool = False,
    ) -> None:  # fmt: skip
        """Whether and how the customer answered (``survey_answer``)."""
        world = self.world
        rate = 0.5 if recovery else (0.36 if invitation.kind == Kind.CSAT else 0.24)
        if not world.chance(rate):
            return
        automated = not recovery and world.chance(0.03)
        if automated:
            delay = timedelta(seconds=world.rng.uniform(1, 8))
        else:
            minutes = min(max(math.exp(world.rng.gauss(math.log(90), 1.3)), 2), 4 * 24 * 60)
            delay = timedelta(minutes=minutes)
        answered = invitation.sent_at + delay
        if not world.happened(answered) or answered > invitation.expires_at:
            return
        if invitation.kind == Kind.CSAT:
            score = self._csat_score(story, recovery=recovery)
        else:
            score = world.weighted(NPS_SCORES, NPS_SHARES)
        words = texts(person.language)
        comment = ""
        if world.chance(0.4):
            if invitation.kind == Kind.CSAT:
                mood = "happy" if score >= 4 else "neutral" if score == 3 else "unhappy"
                comment = world.pick(words.CSAT_COMMENTS[mood])
            else:
                mood = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
                comment = world.pick(words.NPS_COMMENTS[mood])
        address = f"198.51.100.{world.rng.randrange(1, 255)}"
        response = world.add(SurveyResponse(
            invitation=invitation, score=score, comment=comment,
            user_agent=LINK_SCANNER if automated else world.pick(BROWSERS),
            ip_hash=hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest(),
            seconds_since_sent=int(delay.total_seconds()), looks_automated=automated,
            created_at=answered, updated_at=answered,
        ))  # fmt: skip
        data = {"invitation": invitation, "score": score}
        world.event(answered, "survey.answered", ticket=invitation.ticket,
                    customer=person.customer, data=data)  # fmt: skip
        changed = answered + world.minutes(3, 600)
        if not automated and world.chance(0.04) and world.happened(changed):
            # Same side of the line: the closed loop below sees one kind of answer.
            new = score + (1 if score in (1, 4, 9) else -1 if score not in (0, 7) else 1)
            if invitation.is_detractor_score(new) == invitation.is_detractor_score(score):
                response.score, response.changes, response.updated_at = new, 1, changed
                world.event(changed, "survey.changed", ticket=invitation.ticket,
                            customer=person.customer,
                            data={"invitation": invitation, "from": score, "to": new})  # fmt: skip
        if not automated:
            world.answers.append((answered, person, invitation))
            self._push(answered, "answer", (invitation, response, person), invitation.key)

    # --- Opting out --------------------------------------------------------------------

    def opt_outs(self) -> None:
        """About one customer in fifty unsubscribes from the first survey email they get."""
        world = self.world
        first: dict[int, datetime] = {}
        for invitation in world.rows[SurveyInvitation]:
            if world.happened(invitation.sending_at):
                key = id(invitation.customer)
                first[key] = min(first.get(key, invitation.sending_at), invitation.sending_at)
        for key, sent in sorted(first.items(), key=lambda item: item[1]):
            person = self.people[key]
            with world.stream(f"opt-out {person.number}"):
                moment = sent + world.hours(0.2, 30)
                if not world.chance(0.02) or not world.happened(moment):
                    continue
            person.opted_out_at = moment
            world.add(SurveyOptOut(customer=person.customer, created_at=moment))
            world.event(moment, "survey.opted_out", customer=person.customer)

    # --- The closed loop ------------------------------------------------------------------

    def _push(self, moment: datetime, action: str, payload: Any, key: str) -> None:
        if self.world.happened(moment):
            self.counter += 1
            heapq.heappush(self.steps, Step(moment, self.counter, action, payload, key))

    def replay(self, lead_for) -> None:
        """Detractors open recovery tickets, later good answers and leads recover them,
        in time order (``_recovery_open``, ``_recovery_close_by_score``,
        ``recovery_mark_recovered``)."""
        self.lead_for = lead_for
        while self.steps:
            step = heapq.heappop(self.steps)
            with self.world.stream(f"{step.action} {step.key}"):
                getattr(self, f"_on_{step.action}")(step.at, step.payload)
        for recovery in self.recoveries:
            recovery.story.close_when_quiet()

    def _on_answer(self, moment: datetime, payload) -> None:
        invitation, response, person = payload
        if invitation.is_detractor_score(response.score):
            if not any(r.case.invitation is invitation for r in self.recoveries):
                self._open(moment, invitation, response, person)
            return
        for recovery in self.open_cases.pop(id(person), []):
            self._recover(moment, recovery, by=None, note=f"later score {response.score}")
            # The lead sees the case recovered and solves the recovery ticket.
            later = clock.working(moment + self.world.hours(1, 20))
            self._push(later, "lead_tidies", recovery, recovery.key)

    def _open(self, moment: datetime, invitation, response, person: Person) -> None:
        """``ticket_open_internal`` for the lead: open, high priority, an internal note
        (its text is written once the original ticket has its number)."""
        from helpdesk.demodata.conversations import ticket_context

        world = self.world
        lead, team = self.lead_for(invitation)
        story = Story(world, person=person, topic=None, channel="email", team=team,
                      created=moment, context=ticket_context(world, person, moment),
                      order=invitation.order)  # fmt: skip
        ticket = story.ticket
        ticket.status, ticket.priority, ticket.assignee = Status.OPEN, Ticket.Priority.HIGH, lead
        ticket.recovery_for = (invitation, response, lead)
        story.clock = moment
        # The note's text comes from surveys.services once the original ticket has its id.
        note = story._message(moment, direction="out", template=None, internal=True)
        note.recovery_note_for = ticket.recovery_for
        world.event(moment, "ticket.created", ticket=ticket, customer=person.customer,
                    data={"channel": "email", "internal": True})  # fmt: skip
        case = world.add(RecoveryCase(invitation=invitation, customer=person.customer,
                                      recovery_ticket=ticket, created_at=moment))  # fmt: skip
        world.event(moment, "survey.recovery_opened", ticket=ticket, customer=person.customer,
                    data={"case": case, "invitation": invitation})  # fmt: skip
        recovery = Recovery(case=case, story=story, lead=lead, person=person,
                            key=f"recovery of {invitation.key}")  # fmt: skip
        story.key = recovery.key
        self.recoveries.append(recovery)
        self.open_cases.setdefault(id(person), []).append(recovery)
        self._push(clock.working(moment + world.hours(1, 20)), "lead_reply", recovery, recovery.key)

    def _recover(self, moment: datetime, recovery: Recovery, *, by, note: str) -> None:
        case = recovery.case
        if case.state == RecoveryCase.State.RECOVERED:
            return
        case.state, case.recovered_at, case.recovered_by = RecoveryCase.State.RECOVERED, moment, by
        case.recovered_note = note[:200]
        cases = self.open_cases.get(id(recovery.person), [])
        if recovery in cases:
            cases.remove(recovery)
        data = {"case": case, "note": case.recovered_note}
        self.world.event(moment, "survey.recovered", actor=by, ticket=case.recovery_ticket,
                         customer=case.customer, data=data)  # fmt: skip

    def _on_lead_reply(self, moment: datetime, recovery: Recovery) -> None:
        world, story, lead = self.world, recovery.story, recovery.lead
        story.agent_replies(moment, lead, world.pick(story.words.RECOVERY_REPLIES))
        story.status(moment + world.minutes(0.5, 3), Status.PENDING, by=lead)
        world.goodwill.append((moment + world.minutes(1, 4), lead, story,
                               world.rng.choice([100, 150, 200])))  # fmt: skip
        branch = world.weighted(["thanks", "silent", "nothing"], [58, 32, 10])
        if branch == "thanks":
            self._push(moment + world.hours(2, 30), "customer_thanks", recovery, recovery.key)
        elif branch == "silent":
            later = clock.working(moment + world.days(2, 4))
            self._push(later, "lead_solve", recovery, recovery.key)

    def _on_customer_thanks(self, moment: datetime, recovery: Recovery) -> None:
        story = recovery.story
        story.customer_writes(moment, self.world.pick(story.words.RECOVERY_THANKS))
        later = clock.working(moment + self.world.hours(0.5, 6))
        self._push(later, "lead_recovers", recovery, recovery.key)

    def _on_lead_recovers(self, moment: datetime, recovery: Recovery) -> None:
        language = self.world.staff_language[recovery.lead.username]
        note = self.world.pick(texts(language).RECOVERY_NOTES)
        self._recover(moment, recovery, by=recovery.lead, note=note)
        self._solve(moment + self.world.minutes(1, 5), recovery)

    def _on_lead_solve(self, moment: datetime, recovery: Recovery) -> None:
        self._solve(moment, recovery)
        if self.world.chance(0.5):
            later = clock.working(moment + self.world.days(5, 8))
            self._push(later, "lead_marks", recovery, recovery.key)

    def _on_lead_tidies(self, moment: datetime, recovery: Recovery) -> None:
        if recovery.story.ticket.status not in (Status.SOLVED, Status.CLOSED):
            self._solve(moment, recovery)

    def _on_lead_marks(self, moment: datetime, recovery: Recovery) -> None:
        language = self.world.staff_language[recovery.lead.username]
        self._recover(moment, recovery, by=recovery.lead,
                      note=self.world.pick(texts(language).RECOVERY_NOTES))  # fmt: skip

    def _solve(self, moment: datetime, recovery: Recovery) -> None:
        story = recovery.story
        if story.status(moment, Status.SOLVED, by=recovery.lead):
            invitation = self.csat(story, story.solves[-1], recovery=True,
                                   key=f"{recovery.key} solve {len(story.solves)}")  # fmt: skip
            if invitation is not None:
                self.deliver(invitation)
