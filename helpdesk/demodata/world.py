"""The plan of the demo shop's history, held in memory until it is written in one go.

Rows are unsaved model instances that point at each other; the writer saves parents
before children, so a foreign key to an instance picks up its primary key. Audit events
are kept as ``EventSpec`` until every row has its id, and message texts as templates
until the last fact they mention (a customer's points) is known."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractUser
from django.db import models

from core.models import Team
from customers.models import ContactIdentity, Customer, Order, Product
from helpdesk.demodata.catalogue import ProductSpec
from loyalty.models import LoyaltyRules, Reward
from surveys.models import SurveySettings
from tickets.models import Tag, Ticket

T = TypeVar("T")


@dataclass
class EventSpec:
    """An audit event to write once the rows it names have ids (model instances in
    ``data`` become their primary keys)."""

    at: datetime
    kind: str
    actor: AbstractUser | None = None
    ticket: Ticket | None = None
    customer: Customer | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Person:
    """A customer with what the plan needs to know about them."""

    customer: Customer
    number: int  # the n-th customer of the plan
    language: str
    email: ContactIdentity
    street: str
    city: str
    carrier: str
    phone: ContactIdentity | None = None
    whatsapp: ContactIdentity | None = None
    chat: ContactIdentity | None = None
    orders: list[Order] = field(default_factory=list)
    tickets: list[Any] = field(default_factory=list)  # conversations, oldest first
    member_since: datetime | None = None  # joined the loyalty programme
    big_spender: str = ""  # "gold" or "silver": a member who buys a lot
    opted_out_at: datetime | None = None  # no more surveys from then on


@dataclass
class World:
    """The plan is made on a calendar of its own that always ends at the same moment
    (``now``), so that it comes out the same whenever it is made; ``shift`` moves it to
    the real calendar (a whole number of days, so the hours of the day stay) when it is
    written."""

    seed: int
    rng: random.Random
    now: datetime
    start: datetime
    shift: timedelta
    staff: dict[str, AbstractUser]
    staff_language: dict[str, str]
    teams: dict[str, Team]
    team_members: dict[str, list[tuple[AbstractUser, float]]]
    products: dict[str, Product]
    specs: dict[str, ProductSpec]
    tags: dict[str, Tag]
    rewards: list[Reward]
    rules: LoyaltyRules
    surveys: SurveySettings
    people: list[Person] = field(default_factory=list)
    rows: dict[type[models.Model], list[models.Model]] = field(
        default_factory=lambda: defaultdict(list)
    )
    events: list[EventSpec] = field(default_factory=list)
    # (instance, attribute, template, context): filled in just before writing.
    texts: list[tuple[models.Model, str, str, dict[str, Any]]] = field(default_factory=list)
    sequence: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Goodwill points an agent gives on a ticket: (when, agent, story, points).
    goodwill: list[tuple[datetime, AbstractUser, Any, int]] = field(default_factory=list)
    # Survey answers of people (not link scanners), for loyalty's thank-you points.
    answers: list[Any] = field(default_factory=list)

    # --- Planning helpers ---------------------------------------------------------------

    @contextmanager
    def stream(self, key: str) -> Iterator[None]:
        """Draw from a generator of ``key``'s own inside the block: what happens to one
        ticket, survey or account depends on how far its story has got by now, and that
        must not change what the others draw (the same shop whenever it is loaded)."""
        saved = self.rng
        self.rng = random.Random(f"{self.seed}/{key}")
        try:
            yield
        finally:
            self.rng = saved

    def add(self, row: T) -> T:
        self.rows[type(row)].append(row)
        return row

    def event(self, at: datetime, kind: str, **fields: Any) -> None:
        self.events.append(EventSpec(at=at, kind=kind, **fields))

    def text(self, row: models.Model, attribute: str, template: str, context: dict) -> None:
        self.texts.append((row, attribute, template, context))

    def next_number(self, name: str, start: int) -> int:
        self.sequence[name] += 1
        return start + self.sequence[name]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def weighted(self, items: Sequence[T], weights: Sequence[float]) -> T:
        return self.rng.choices(items, weights=weights)[0]

    def minutes(self, low: float, high: float) -> timedelta:
        return timedelta(minutes=self.rng.uniform(low, high))

    def hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.rng.uniform(low, high))

    def days(self, low: float, high: float) -> timedelta:
        return timedelta(days=self.rng.uniform(low, high))

    def agent_for(self, team: str) -> AbstractUser:
        """Someone of the team, by how much of the team's work they do."""
        members = self.team_members[team]
        return self.weighted([user for user, _ in members], [share for _, share in members])

    def real(self, moment: datetime) -> datetime:
        """A moment of the plan on the real calendar (dates in texts are real dates)."""
        return moment + self.shift

    def happened(self, moment: datetime | None) -> bool:
        return moment is not None and moment <= self.now

    def swept(self, due: datetime, run: datetime) -> datetime | None:
        """When a beat sweep dealt with something due at ``due``: at its next ``run``, or
        at the end of the history if that run is still to come (the history ends with the
        sweeps caught up); None when it is not due yet."""
        return min(run, self.now) if due <= self.now else None
