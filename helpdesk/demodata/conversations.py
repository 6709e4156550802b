"""Customer tickets over 90 days: when they arrive, on which channel, about what, and how
the team works them (triage, replies, notes, tags, solving, merging duplicates)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from customers.models import Order
from helpdesk.demodata import clock
from helpdesk.demodata.catalogue import APPAREL_SIZES, STREETS
from helpdesk.demodata.corpus import TOPIC, TOPICS, Topic
from helpdesk.demodata.shop import order_new, order_refund, person_new, skus_for
from helpdesk.demodata.story import CHATTY, Status, Story
from helpdesk.demodata.world import Person, World
from messaging.models import Channel
from tickets.models import Ticket

CHANNEL_SHARES = {
    Channel.EMAIL: 42, Channel.WEB: 10, Channel.PORTAL: 8, Channel.CHAT: 13,
    Channel.WHATSAPP: 9, Channel.PHONE: 6, Channel.SMS: 5, Channel.API: 6,
    Channel.IN_PERSON: 3,
}  # fmt: skip
# A call or a visit: the agent opens the ticket with a record of it, in opening hours.
BY_AGENT = {Channel.PHONE, Channel.IN_PERSON}
WEEKDAY_LOAD = [1.35, 1.15, 1.05, 1.0, 0.95, 0.7, 0.55]  # Monday first
# How the conversation goes: answered at once; answered, asked again and solved;
# the same with a thank-you before solving; waiting on a partner; never heard back.
SCENARIOS = ["one", "two", "thanks", "hold", "stalled"]
SCENARIO_SHARES = [42, 38, 12, 6, 1.5]
# Which follow-up and closing go with which first reply (see the corpus).
PAIRING = {"damaged": "same", "address": "same", "loyalty": "same", "product": "same",
           "invoice": "same", "warranty": "swap"}  # fmt: skip
# Which first reply answers which opening (long ones, then short ones); others: any.
REPLY_FOR = {
    "loyalty": ([0, 1, 0], [0, 1]), "product": ([0, 0, 1], [1, 0]),
    "invoice": ([0, 1, 0], [0, 0]), "damaged": ([1, 0, 0], [0, 0]),
    "size": ([0, 0, 1], [0, 1]),
}  # fmt: skip
# Subject i goes with long opening i for these topics; short openings take these subjects.
SUBJECT_FOR_SHORT = {"size": [1, 2], "invoice": [0, 0], "product": [2, 1]}
CARRIER_TAGS = {"wismo", "damaged"}
STRIKE_DAYS_AGO = (36, 31)  # a carrier strike: a week of where-is-my-order tickets


def arrival_times(world: World, count: int) -> list[datetime]:
    """``count`` moments over the 90 days, busier on Mondays and in the late morning and
    evening, a little busier lately, with a spike during the carrier strike."""
    rng, moments = world.rng, []
    span = (world.now - world.start).total_seconds()
    while len(moments) < count:
        moment = world.start + timedelta(seconds=span * rng.random() ** 0.93)
        hour = moment.hour + moment.minute / 60
        load = WEEKDAY_LOAD[moment.weekday()] * (
            0.15 + math.exp(-((hour - 10.5) ** 2) / 8) + 0.8 * math.exp(-((hour - 19.5) ** 2) / 6)
        )
        if rng.random() * 1.6 < load:
            moments.append(moment)
    moments.sort()
    # Whatever the size of the shop, mail came in during the last hour: a live inbox.
    for index in range(min(3, count)):
        moments[-1 - index] = world.now - world.minutes(3 + 17 * index, 15 + 17 * index)
    return sorted(moments)


def _response(world: World, moment: datetime, channel: str) -> datetime:
    """When an agent answers: minutes in a chat, hours by email, in working hours."""
    if channel == Channel.CHAT:
        return moment + world.minutes(0.5, 6)
    if channel in CHATTY:
        return clock.working(moment + world.minutes(5, 150))
    minutes = min(max(math.exp(world.rng.gauss(math.log(200), 1.0)), 15), 1900)
    return clock.working(moment + timedelta(minutes=minutes))


def _customer_delay(world: World, channel: str) -> timedelta:
    if channel == Channel.CHAT:
        return world.minutes(0.5, 5)
    hours = min(max(math.exp(world.rng.gauss(math.log(7), 1.0)), 0.3), 72)
    return timedelta(hours=hours)


def _person_for(world: World, moment: datetime, topic: Topic, channel: str) -> Person:
    """A returning customer about a third of the time, else someone new."""
    if world.people and world.chance(0.36):
        for _attempt in range(12):  # someone who was a customer by then
            person = world.pick(world.people[-600:])
            if person.customer.created_at < moment:
                return person
    via = {Channel.CHAT: "chat", Channel.SMS: "phone", Channel.WHATSAPP: "whatsapp",
           Channel.PHONE: "agent", Channel.IN_PERSON: "agent"}.get(channel, "email")  # fmt: skip
    first_seen = moment - world.days(0, 400) if topic.needs_order else moment
    return person_new(world, at=first_seen, via=via)


def ticket_context(world: World, person: Person, created: datetime) -> dict[str, Any]:
    customer = person.customer
    eta = clock.date_text(person.language, world.real(created + world.days(2.5, 4.5)))
    return {
        "eta": eta, "date": eta,
        "first": customer.first_name, "last": customer.last_name, "carrier": person.carrier,
        "street": world.pick(STREETS[person.language]), "city": person.city, "points": 0,
        "tracking": f"{world.rng.randrange(10**11, 10**12)}", "order": "", "amount": "",
        "rma": f"R-{world.rng.randrange(10000, 99999)}", "days": world.rng.randint(3, 9),
        "size": "", "size2": "",
    }  # fmt: skip


def _order_for(
    world: World, person: Person, topic: Topic, created: datetime, context: dict
) -> tuple[Order | None, str, bool]:
    """The order the ticket is about, placed and delivered as the topic needs it; the
    product it is about; and whether its return window had ended (returns only)."""
    key, late = topic.key, False
    sku = skus_for(world, topic.category)[0]
    if key == "size":
        sizes = APPAREL_SIZES[sku]
        index = world.rng.randrange(len(sizes) - 1)
        context["size"], context["size2"] = sizes[index], sizes[index + 1]
    if not topic.needs_order:
        restock = world.real(created + world.days(7, 21))
        context["date"] = clock.date_text(person.language, restock)
        return None, sku, False
    delivered: datetime | None = None
    if key in ("wismo", "address"):
        placed = created - (world.days(4, 9) if key == "wismo" else world.hours(1, 18))
        delivered = created + world.days(1, 3) if key == "wismo" else created + world.days(2, 4)
    elif key in ("damaged", "size"):
        delivered = created - world.hours(2, 30 if key == "damaged" else 190)
    elif key == "return":
        late = world.chance(0.12)
        delivered = created - (world.days(32, 60) if late else world.days(2, 25))
    elif key == "refund":
        delivered = created - world.days(15, 35)
    elif key == "warranty":
        delivered = created - world.days(90, 600)
    elif key == "loyalty":
        delivered = created - world.days(3, 20)
    else:  # invoice
        delivered = created - world.days(3, 120)
    if key not in ("wismo", "address"):
        placed = delivered - world.days(1.5, 4)
    lost = key == "wismo" and world.chance(0.15)
    never = created + timedelta(days=3650)  # a lost parcel is never delivered
    order = order_new(
        world, person, placed_at=placed, skus=[sku], delivered_at=never if lost else delivered
    )
    order.lost = lost
    context["order"] = order
    context["amount"] = clock.money_text(person.language, order.total_cents)
    language = person.language
    dates = {
        "wismo": placed, "return": delivered + timedelta(days=30),
        "refund": created - world.days(5, 12), "warranty": order.warranty_ends_at,
        "loyalty": delivered + timedelta(days=30),
    }  # fmt: skip
    context["date"] = clock.date_text(language, world.real(dates.get(key) or placed))
    return order, sku, late


def _words_for(context: dict, world: World, sku: str, language: str) -> None:
    spec = world.specs[sku]
    context["product"] = spec.model
    context["p"] = {"en": spec.en, "tr": spec.tr}.get(language, spec.model)
    context["p_acc"], context["p_dat"] = spec.de


def ticket_story(world: World, *, created: datetime, topic: Topic, channel: str) -> Story:
    """Plan one customer ticket from its first message to wherever it is now."""
    if channel == Channel.CHAT or channel in BY_AGENT:  # staffed in working hours only
        if clock.working(created) <= world.now:
            created = clock.working(created)
        else:  # offline: the chat offers the web form, a caller writes an email instead
            channel = Channel.WEB if channel == Channel.CHAT else Channel.EMAIL
    person = _person_for(world, created, topic, channel)
    if topic.key == "loyalty" and person.member_since is None:
        person.member_since = created - world.days(40, 300)
    context = ticket_context(world, person, created)
    order, sku, late = _order_for(world, person, topic, created, context)
    _words_for(context, world, sku, person.language)
    teams = world.teams
    # Mail to returns@ lands in Returns & Repairs (the routing rule), the rest in Orders.
    returns_mail = channel == Channel.EMAIL and topic.team == "returns" and world.chance(0.85)
    story = Story(world, person=person, topic=topic, channel=channel, order=order,
                  team=teams["returns"] if returns_mail else teams["orders"], created=created,
                  context=context)  # fmt: skip
    previous = [s for s in person.tickets[:-1] if s.ticket.status == Status.CLOSED
                and s.ticket.closed_at and s.ticket.closed_at < created]  # fmt: skip
    if previous and channel == Channel.EMAIL and world.chance(0.35):
        story.ticket.follow_up_target = previous[-1].ticket
        story.ticket.team = previous[-1].ticket.team
    if channel in BY_AGENT:
        _tell_by_agent(world, story)
    else:
        _tell(world, story, late=late)
    return story


def _tell_by_agent(world: World, story: Story) -> None:
    """A call or a visit: mostly settled there and then; a repair, a refund or a lost
    parcel waits for a partner, and the agent follows up by email."""
    key, ticket = story.topic.key, story.ticket
    created, team = ticket.created_at, world.teams[story.topic.team]
    agent = world.agent_for(story.topic.team)
    ticket.team = team  # the agent opens it in their own team
    if story.channel == Channel.PHONE:
        from helpdesk.demodata.shop import person_identity

        person_identity(world, story.person, kind="phone", at=created)  # the caller's number
    own = world_words(world, agent)
    record = own.CALL if story.channel == Channel.PHONE else own.VISIT
    story.subject(world.pick(story.words.SUBJECTS[key]))
    story.agent_opens(created, agent, record.replace("{summary}", own.SUMMARIES[key]))
    story.tag(created + world.minutes(0.5, 2), story.topic.tags[0], by=agent)
    order = story.order
    if key == "refund" and order is not None:
        order_refund(world, order, at=created + world.minutes(1, 5), by=agent)
    if key in ("warranty", "refund", "wismo") and world.chance(0.35):
        story.status(created + world.minutes(1, 5), Status.ON_HOLD, by=agent)
        answer = clock.working(created + world.days(2, 7))
        closing = story.words.CLOSINGS[key][1 if key == "refund" else 0]
        story.agent_replies(answer, agent, closing, channel=Channel.EMAIL)
        story.status(answer + world.minutes(0.2, 3), Status.SOLVED, by=agent)
    else:
        story.status(created + world.minutes(1, 8), Status.SOLVED, by=agent)
        if key == "return" and order is not None:
            order_refund(world, order, at=created + world.days(4, 9), by=None)
    story.close_when_quiet()


def _tell(world: World, story: Story, *, late: bool) -> None:
    topic, channel, words = story.topic, story.channel, story.words
    key, ticket = topic.key, story.ticket
    created = ticket.created_at
    short = channel in CHATTY
    openings = words.SHORT[key] if short else words.OPENINGS[key]
    opening_index = world.rng.randrange(len(openings))
    opening = openings[opening_index]
    subject_index = world.rng.randrange(len(words.SUBJECTS[key]))
    if key in SUBJECT_FOR_SHORT:
        subject_index = SUBJECT_FOR_SHORT[key][opening_index] if short else opening_index
    story.subject(words.SUBJECTS[key][subject_index])
    story.customer_writes(created, opening)
    team = world.teams[topic.team]
    agent = world.agent_for(topic.team)
    lead = world.staff["lead"]
    first = _response(world, created, channel)
    # Triage: the ticket moves to the team that handles its topic; a lead sometimes
    # assigns it before anyone answers.
    if ticket.team != team:
        mover = lead if world.chance(0.4) else world.agent_for(ticket.team.slug)
        story.move(min(first - timedelta(minutes=2), clock.working(created + world.minutes(3, 50))),
                   team, by=mover)  # fmt: skip
    triage = clock.working(created + world.minutes(5, 90))
    if world.chance(0.15) and triage < first - timedelta(minutes=5):
        story.assign(triage, agent, by=lead)
    unassigned = world.chance(0.07)
    if not unassigned:
        story.assign(first - timedelta(minutes=1), agent, by=agent)
    story.tag(first, topic.tags[0], by=agent)
    if key in CARRIER_TAGS and world.chance(0.5):
        story.tag(first, story.person.carrier.lower(), by=agent)
    if story.person.big_spender and world.chance(0.6):
        story.tag(first, "vip", by=agent)
    _priority(world, story, first, agent)
    scenario = world.weighted(SCENARIOS, SCENARIO_SHARES)
    if key in ("warranty", "refund") and world.chance(0.35):
        scenario = "hold"
    order = story.order
    lost = order is not None and getattr(order, "lost", False)
    reply_index = world.rng.randrange(2)
    if key in REPLY_FOR:
        reply_index = REPLY_FOR[key][short][opening_index]
    reply = words.LATE_RETURN[0] if late else words.REPLIES[key][reply_index]
    if lost:
        scenario = "two"
    story.agent_replies(first, agent, reply)
    if key == "refund" and order is not None:
        order_refund(world, order, at=first + world.minutes(1, 5), by=agent)
    if world.chance(0.22):
        note = world.pick(world_words(world, agent).NOTES[key])
        story.agent_notes(first + world.minutes(1, 40), agent, note)
    pairing = PAIRING.get(key, "free")
    follow_index = {"same": reply_index, "swap": 1 - reply_index}.get(
        pairing, world.rng.randrange(2)
    )
    closing_index = 1 if lost else (follow_index if pairing != "swap" else reply_index)
    if late:  # a voucher instead of a refund: the customer agrees, the agent solves
        story.status(first + world.minutes(0.2, 3), Status.PENDING, by=agent)
        story.customer_writes(first + _customer_delay(world, channel), world.pick(words.THANKS))
        story.status(_response(world, story.clock, channel), Status.SOLVED, by=agent)
    elif scenario == "one":
        story.status(first + world.minutes(0.2, 3), Status.SOLVED, by=agent)
        if key == "return" and order is not None:
            order_refund(world, order, at=first + world.days(4, 9), by=None)
    elif scenario == "stalled":
        story.status(first + world.minutes(0.2, 3), Status.PENDING, by=agent)
    else:
        waiting = Status.ON_HOLD if scenario == "hold" else Status.PENDING
        if scenario == "two" and world.chance(0.3):
            waiting = Status.OPEN  # the agent keeps it open: they will look into it again
        story.status(first + world.minutes(0.2, 3), waiting, by=agent)
        if scenario == "hold":
            answer = clock.working(first + world.days(3, 10))
        else:
            story.customer_writes(first + _customer_delay(world, channel),
                                  words.FOLLOW_UPS[key][follow_index])  # fmt: skip
            answer = _response(world, story.clock, channel)
        if scenario == "two" and key in ("wismo", "damaged") and world.chance(0.15):
            world.goodwill.append((answer, agent, story, world.rng.choice([50, 100, 150])))
        story.agent_replies(answer, agent, words.CLOSINGS[key][closing_index])
        if order is not None and (lost or (key == "return" and closing_index == 0)):
            order_refund(world, order, at=answer + world.minutes(1, 5), by=agent)
        if scenario == "thanks":
            story.status(answer + world.minutes(0.2, 2), Status.PENDING, by=agent)
            story.customer_writes(answer + _customer_delay(world, channel),
                                  world.pick(words.THANKS))  # fmt: skip
            story.status(_response(world, story.clock, channel), Status.SOLVED, by=agent)
        else:
            story.status(answer + world.minutes(0.2, 3), Status.SOLVED, by=agent)
    story.close_when_quiet()


def _priority(world: World, story: Story, moment: datetime, agent) -> None:
    key = story.topic.key
    if world.chance(0.015):
        story.prioritise(moment, Ticket.Priority.URGENT, by=agent)
    elif (key == "damaged" and world.chance(0.3)) or (key == "wismo" and world.chance(0.12)):
        story.prioritise(moment, Ticket.Priority.HIGH, by=agent)
    elif key in ("product", "invoice") and world.chance(0.25):
        story.prioritise(moment, Ticket.Priority.LOW, by=agent)


def world_words(world: World, agent):
    """The corpus in the agent's own language (internal notes)."""
    from helpdesk.demodata.corpus import texts

    return texts(world.staff_language[agent.username])


def duplicate_story(world: World, original: Story) -> Story | None:
    """The customer asked the same thing again on another channel before anyone answered;
    the agent merges the copy into the original (``ticket_merge``): its messages move,
    it closes with a pointer to the original."""
    ticket = original.ticket
    if ticket.first_response_at is None or ticket.assignee is None:
        return None
    created = ticket.created_at + world.minutes(10, 50)
    merged_at = ticket.first_response_at - timedelta(minutes=3)
    if merged_at <= created:
        return None
    channel = Channel.EMAIL if original.channel != Channel.EMAIL else Channel.CHAT
    copy = Story(world, person=original.person, topic=original.topic, channel=channel,
                 team=ticket.team, created=created, context=original.context,
                 order=original.order)  # fmt: skip
    copy.subject(world.pick(copy.words.SUBJECTS[copy.topic.key]))
    message = copy.customer_writes(created, world.pick(copy.words.SHORT[copy.topic.key]))
    message.ticket = ticket  # moved by the merge
    source = copy.ticket
    source.merge_target = ticket
    source.status = Status.CLOSED
    source.closed_at = source.last_activity_at = source.updated_at = merged_at
    data = {"source": source, "target": ticket, "messages": 1}
    agent = ticket.assignee
    world.event(merged_at, "ticket.merged_away", actor=agent, ticket=source, data=data)
    world.event(merged_at, "ticket.merged_in", actor=agent, ticket=ticket, data=data)
    return copy


def customer_tickets(world: World, count: int) -> list[Story]:
    """Every customer ticket of the 90 days, oldest first, on every channel."""
    moments = arrival_times(world, count)
    channels = list(CHANNEL_SHARES)
    channels += world.rng.choices(channels, weights=list(CHANNEL_SHARES.values()),
                                  k=max(count - len(channels), 0))  # fmt: skip
    world.rng.shuffle(channels)
    stories = []
    strike_from = world.now - timedelta(days=STRIKE_DAYS_AGO[0])
    strike_until = world.now - timedelta(days=STRIKE_DAYS_AGO[1])
    for index, (moment, channel) in enumerate(zip(moments, channels, strict=False)):
        with world.stream(f"ticket {index}"):
            topic = world.weighted(TOPICS, [t.weight for t in TOPICS])
            if strike_from <= moment <= strike_until and world.chance(0.45):
                topic = TOPIC["wismo"]
            story = ticket_story(world, created=moment, topic=topic, channel=channel)
            story.key = f"ticket {index}"
            stories.append(story)
            if story.channel not in BY_AGENT and world.chance(0.025):
                copy = duplicate_story(world, story)
                if copy is not None:
                    copy.key = f"ticket {index} copy"
                    stories.append(copy)
    return stories
