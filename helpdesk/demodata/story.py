"""One ticket's life, step by step, as the services would have recorded it: each step
writes the message, moves the ticket's fields and appends the audit event that
``message_ingest``, ``ticket_reply``, ``ticket_note_add``, ``ticket_update`` and the
auto-close sweep write. A step planned after "now" has not happened yet, and neither
has anything after it: that is what leaves a live backlog of new, open and pending
tickets."""

from __future__ import annotations

from collections import ChainMap
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser

from core.models import Team
from customers.models import ContactIdentity, Order
from helpdesk.demodata import clock
from helpdesk.demodata.corpus import Topic, texts
from helpdesk.demodata.world import Person, World
from messaging.models import Channel
from tickets.models import Message, Ticket, TicketRead, TicketTag

Status = Ticket.Status
# The statuses a customer's message reopens (tickets.ingest.REOPENABLE).
REOPENABLE = {Status.SOLVED, Status.PENDING, Status.ON_HOLD}
CHATTY = {Channel.CHAT, Channel.SMS, Channel.WHATSAPP}


class Story:
    """A ticket and the steps that happened to it, in order."""

    def __init__(
        self, world: World, *, person: Person, topic: Topic | None, channel: str, team: Team | None,
        created: datetime, context: dict[str, Any], order: Order | None,
    ) -> None:  # fmt: skip
        self.world = world
        self.person = person
        self.topic = topic
        self.channel = channel
        self.order = order
        self.context = context
        self.language = person.language
        self.words = texts(person.language)
        self.clock = created
        self.stopped = False
        self.solves: list[datetime] = []  # each solve schedules a CSAT survey
        self.solved_by: dict[datetime, tuple[AbstractUser | None, Team | None]] = {}
        self.agent_seen: dict[int, tuple[AbstractUser, datetime]] = {}
        self.written = 0  # messages so far
        self.tag_names: set[str] = set()
        self.key = ""  # names its surveys in the plan (see surveys.SurveyHistory)
        self.ticket = world.add(Ticket(
            customer=person.customer, channel=channel, team=team, status=Status.NEW,
            priority=Ticket.Priority.NORMAL, created_at=created, updated_at=created,
            last_activity_at=created,
        ))  # fmt: skip
        self.ticket.follow_up_target = None
        self.ticket.merge_target = None
        person.tickets.append(self)

    # --- Time --------------------------------------------------------------------------

    def at(self, moment: datetime) -> datetime | None:
        """The moment a step happens (never before the previous one), or None when it is
        still to come, and then no later step happens either."""
        if self.stopped:
            return None
        moment = max(moment, self.clock + timedelta(seconds=1))
        if moment > self.world.now:
            self.stopped = True
            return None
        self.clock = moment
        return moment

    def _touch(self, moment: datetime, *, activity: bool = True) -> None:
        self.ticket.updated_at = moment
        if activity:
            self.ticket.last_activity_at = moment

    def _seen(self, agent: AbstractUser, moment: datetime) -> None:
        self.agent_seen[agent.pk] = (agent, moment)

    # --- Messages ----------------------------------------------------------------------

    def subject(self, template: str) -> None:
        self.world.text(self.ticket, "subject", template, self.context)

    def _sender(self) -> ContactIdentity:
        kind = {
            Channel.CHAT: ContactIdentity.Kind.CHAT, Channel.SMS: ContactIdentity.Kind.PHONE,
            Channel.PHONE: ContactIdentity.Kind.PHONE,
            Channel.WHATSAPP: ContactIdentity.Kind.WHATSAPP,
        }.get(self.channel, ContactIdentity.Kind.EMAIL)  # fmt: skip
        from helpdesk.demodata.shop import person_identity

        return person_identity(self.world, self.person, kind=kind, at=self.ticket.created_at)

    def customer_writes(self, moment: datetime, template: str) -> Message | None:
        """A message from the customer (``message_ingest``): the first one opens the
        ticket, a later one reopens a pending, on-hold or solved ticket."""
        first = self.written == 0
        if (moment := self.at(moment)) is None:
            return None
        world, ticket = self.world, self.ticket
        message = self._message(moment, direction=Message.Direction.INBOUND, template=template)
        message.sender = self._sender()
        if self.channel == Channel.EMAIL:
            token = world.rng.getrandbits(64)
            message.external_id = f"<{token:016x}@{message.sender.address.split('@')[-1]}>"
        if first:
            world.event(moment, "ticket.created", ticket=ticket, customer=ticket.customer,
                        data={"channel": self.channel, "team": ticket.team,
                              "follow_up_of": ticket.follow_up_target})  # fmt: skip
        elif ticket.status in REOPENABLE:
            world.event(moment, "ticket.reopened", ticket=ticket, customer=ticket.customer,
                        data={"from": ticket.status, "message": message})  # fmt: skip
            ticket.status = Status.OPEN
            ticket.solved_at = None
        world.event(moment, "message.received", ticket=ticket, customer=ticket.customer,
                    data={"message": message, "channel": self.channel, "automatic": "",
                          "threaded": not first, "flags": []})  # fmt: skip
        self._touch(moment)
        return message

    def agent_opens(self, moment: datetime, agent: AbstractUser, template: str) -> None:
        """A ticket the agent opens after a phone call or a visit (``ticket_open_by_agent``):
        theirs, open, answered there and then, its first message their own record."""
        if (moment := self.at(moment)) is None:
            return
        ticket = self.ticket
        ticket.status, ticket.assignee, ticket.first_response_at = Status.OPEN, agent, moment
        self.world.event(moment, "ticket.created", actor=agent, ticket=ticket,
                         customer=ticket.customer,
                         data={"channel": self.channel, "by_agent": True})  # fmt: skip
        message = self._message(moment, direction=Message.Direction.OUTBOUND, template=template,
                                author=agent, internal=True)  # fmt: skip
        self.world.event(moment, "ticket.note_added", actor=agent, ticket=ticket,
                         data={"message": message})  # fmt: skip
        self._touch(moment)
        self._seen(agent, moment)

    def agent_replies(
        self, moment: datetime, agent: AbstractUser, body: str, *, channel: str | None = None
    ) -> Message | None:
        """A public reply (``ticket_reply``), on the ticket's channel or ``channel`` (a
        call or a visit is followed up by email). An unassigned ticket becomes the
        replier's (REPLY_ASSIGNS_UNASSIGNED)."""
        if (moment := self.at(moment)) is None:
            return None
        words = self.words
        channel = channel or self.channel
        if channel in CHATTY:
            template = body[0].upper() + body[1:]
        else:
            template = f"{words.GREETING}\n\n{body}\n\n{words.SIGN_OFF}"
        message = self._message(moment, direction=Message.Direction.OUTBOUND, template=template,
                                author=agent)  # fmt: skip
        message.channel = channel
        ticket = self.ticket
        if ticket.first_response_at is None:
            ticket.first_response_at = moment
        if ticket.status == Status.NEW:
            ticket.status = Status.OPEN
        self.world.event(moment, "ticket.replied", actor=agent, ticket=ticket,
                         customer=ticket.customer, data={"message": message})  # fmt: skip
        if ticket.assignee is None and settings.REPLY_ASSIGNS_UNASSIGNED:
            ticket.assignee = agent
            self.world.event(moment, "ticket.assignee_changed", actor=agent, ticket=ticket,
                             data={"from": None, "to": agent, "reason": "reply"})  # fmt: skip
        self._touch(moment)
        self._seen(agent, moment)
        return message

    def agent_notes(self, moment: datetime, agent: AbstractUser, template: str) -> None:
        """An internal note (``ticket_note_add``), in the agent's own language."""
        if (moment := self.at(moment)) is None:
            return
        message = self._message(moment, direction=Message.Direction.OUTBOUND, template=template,
                                author=agent, internal=True)  # fmt: skip
        self.world.event(moment, "ticket.note_added", actor=agent, ticket=self.ticket,
                         data={"message": message})  # fmt: skip
        self._touch(moment)
        self._seen(agent, moment)

    def _message(
        self, moment: datetime, *, direction: str, template: str | None,
        author: AbstractUser | None = None, internal: bool = False,
    ) -> Message:  # fmt: skip
        message = self.world.add(Message(
            ticket=self.ticket, direction=direction, channel=self.channel, author=author,
            visibility=Message.Visibility.INTERNAL if internal else Message.Visibility.PUBLIC,
            created_at=moment,
        ))  # fmt: skip
        context = self.context
        if author is not None:
            context = ChainMap({"agent": author.get_full_name()}, self.context)
        if template is not None:
            self.world.text(message, "body_text", template, context)
        self.written += 1
        return message

    # --- Properties (ticket_update) ------------------------------------------------------

    def _change(self, moment: datetime, field: str, old: object, new: object, by) -> None:
        self.world.event(moment, f"ticket.{field}_changed", actor=by, ticket=self.ticket,
                         data={"from": old, "to": new})  # fmt: skip
        self._touch(moment)
        if by is not None:
            self._seen(by, moment)

    def status(self, moment: datetime, status: str, by: AbstractUser | None) -> bool:
        if (moment := self.at(moment)) is None or self.ticket.status == status:
            return False
        self._change(moment, "status", self.ticket.status, status, by)
        self.ticket.status = status
        if status == Status.SOLVED:
            self.ticket.solved_at = moment
            self.solves.append(moment)
            self.solved_by[moment] = (self.ticket.assignee, self.ticket.team)
        return True

    def assign(self, moment: datetime, agent: AbstractUser | None, by: AbstractUser) -> None:
        if (moment := self.at(moment)) is None or self.ticket.assignee == agent:
            return
        old = self.ticket.assignee
        self._change(moment, "assignee", old, agent, by)
        self.ticket.assignee = agent

    def move(self, moment: datetime, team: Team, by: AbstractUser) -> None:
        if (moment := self.at(moment)) is None or self.ticket.team == team:
            return
        self._change(moment, "team", self.ticket.team, team, by)
        self.ticket.team = team

    def prioritise(self, moment: datetime, priority: int, by: AbstractUser) -> None:
        if (moment := self.at(moment)) is None or self.ticket.priority == priority:
            return
        self._change(moment, "priority", self.ticket.priority, priority, by)
        self.ticket.priority = priority

    def tag(self, moment: datetime, name: str, by: AbstractUser) -> None:
        """``ticket_tags_add``: no activity time, one event per ticket that gets it."""
        if (moment := self.at(moment)) is None:
            return
        if name in self.tag_names:
            return
        self.tag_names.add(name)
        self.world.add(TicketTag(ticket=self.ticket, tag=self.world.tags[name]))
        self.world.event(moment, "ticket.tag_added", actor=by, ticket=self.ticket,
                         data={"tag": name})  # fmt: skip
        self.ticket.updated_at = moment

    # --- The end ------------------------------------------------------------------------

    def close_when_quiet(self) -> None:
        """The beat sweep (every 15 minutes) closes a ticket solved and quiet for
        TICKET_AUTOCLOSE_AFTER_HOURS."""
        ticket = self.ticket
        if ticket.status != Status.SOLVED:
            return
        quiet = timedelta(hours=settings.TICKET_AUTOCLOSE_AFTER_HOURS)
        due = max(ticket.solved_at, ticket.last_activity_at) + quiet
        closing = self.world.swept(due, clock.next_tick(due, minutes=15))
        if closing is None:
            return
        ticket.status = Status.CLOSED
        ticket.closed_at = ticket.updated_at = closing
        self.world.event(closing, "ticket.closed", ticket=ticket, data={"reason": "auto"})

    def read_state(self) -> None:
        """What each agent who worked on the ticket last saw of it (unread when the
        customer wrote after that)."""
        for agent, seen in self.agent_seen.values():
            self.world.add(TicketRead(ticket=self.ticket, user=agent, seen_at=seen))
