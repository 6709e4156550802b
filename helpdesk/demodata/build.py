"""Load the demo shop: the fixed facts (teams, staff, products, rewards, macros, survey
settings) through get-or-create, then the 90 days of history once."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import AgentProfile, Team
from core.staff import agent_create
from customers.models import Customer, CustomerNote, Product
from helpdesk.demodata import catalogue
from helpdesk.demodata.conversations import customer_tickets
from helpdesk.demodata.corpus import TOPICS, texts
from helpdesk.demodata.loyalty import goodwill_waiting, ledgers_replay, members_choose
from helpdesk.demodata.shop import history_orders, person_new
from helpdesk.demodata.surveys import SurveyHistory
from helpdesk.demodata.world import World
from helpdesk.demodata.writer import plan_write
from loyalty.models import Reward
from loyalty.services import rules_get
from outreach.models import ServiceSchedule
from surveys.models import SurveyInvitation, SurveySettings
from surveys.services import recovery_lead, recovery_team
from tickets.models import BusinessCalendar, Macro, OpeningHours, RoutingRule, Tag, Ticket
from tickets.sla import sla_rebuild

HISTORY_DAYS = 90
# The plan's own calendar ends on a Tuesday at 06:00 UTC, just before the team starts
# (07:00 in Berlin, 09:00 in Istanbul): yesterday's work done, the night's mail waiting.
# Written, it ends at the latest 06:00 UTC before the load.
PLAN_ENDS = datetime(2025, 1, 7, 6, 0, tzinfo=UTC)
DEFAULT_TICKETS = 2000
SEED = 11
# What a newcomer should see: a survey in the development mailbox within a minute of
# solving a ticket, for any demo customer, however recently they were asked.
DEMO_CSAT_DELAY = timedelta(seconds=20)
DEMO_THROTTLE = timedelta(0)
DEMO_CUSTOMER_PREFIX = "demo-"


def demo_reference_data() -> int:
    """Teams, routing, staff, products, rewards, macros and survey settings; each only
    when missing. Returns how many staff members were created."""
    teams = {
        slug: Team.objects.get_or_create(slug=slug, defaults={"name": name, "country": country})[0]
        for slug, name, country in catalogue.TEAMS
    }
    # Mail to returns@ goes to Returns & Repairs; everything else lands in Orders.
    if not Team.objects.filter(is_default=True).exists():
        Team.objects.filter(pk=teams["orders"].pk).update(is_default=True)
    RoutingRule.objects.get_or_create(
        address=catalogue.RETURNS_ADDRESS, defaults={"team": teams["returns"], "position": 10}
    )
    for slug, (subdivision, hours) in catalogue.CALENDARS.items():
        calendar, new = BusinessCalendar.objects.get_or_create(
            team=teams[slug], defaults={"subdivision": subdivision}
        )
        if new:
            OpeningHours.objects.bulk_create(
                OpeningHours(calendar=calendar, weekday=day, opens=time.fromisoformat(opens),
                             closes=time.fromisoformat(closes))
                for day, opens, closes in hours
            )  # fmt: skip
    created = 0
    for member in catalogue.STAFF:
        if AgentProfile.objects.filter(user__username=member.username).exists():
            continue
        agent_create(
            username=member.username, email=f"{member.username}@shop.example",
            password=catalogue.PASSWORD, role=member.role,
            teams=[teams[slug] for slug in member.teams], first_name=member.first_name,
            last_name=member.last_name, language=member.language,
        )  # fmt: skip
        created += 1
    for spec in catalogue.PRODUCTS:
        Product.objects.get_or_create(
            sku=spec.sku, defaults={"name": spec.name, "warranty_months": spec.warranty_months}
        )
    # Devices that want a regular service, and Returns & Repairs takes the appointments.
    for sku, months in catalogue.SERVICE_INTERVALS.items():
        Product.objects.filter(sku=sku, service_interval_months__isnull=True).update(
            service_interval_months=months
        )
    ServiceSchedule.objects.get_or_create(
        team=teams["returns"], defaults={"slot_minutes": 60, "capacity": 2, "days_ahead": 14}
    )
    for reward in catalogue.REWARDS:
        Reward.objects.get_or_create(name=reward["name"], defaults=reward)
    for language, name, body in catalogue.MACROS:
        Macro.objects.get_or_create(
            name=name, team=None, defaults={"body": body, "language": language}
        )
    demo_survey_settings()
    return created


def demo_survey_settings() -> SurveySettings:
    """A short CSAT delay and no throttle, unless someone has changed them already."""
    config = SurveySettings.current()
    untouched = SurveySettings()
    if (config.csat_delay, config.throttle_period) == (
        untouched.csat_delay, untouched.throttle_period,
    ):  # fmt: skip
        config.csat_delay, config.throttle_period = DEMO_CSAT_DELAY, DEMO_THROTTLE
        config.save(update_fields=["csat_delay", "throttle_period"])
    return config


def demo_history_exists() -> bool:
    return Customer.objects.filter(external_ref__startswith=DEMO_CUSTOMER_PREFIX).exists()


def demo_history_end(now: datetime) -> datetime:
    """Where the loaded history ends: the latest 06:00 UTC at or before ``now``."""
    end = now.astimezone(UTC).replace(hour=PLAN_ENDS.hour, minute=0, second=0, microsecond=0)
    return end if end <= now else end - timedelta(days=1)


def _world(end: datetime, seed: int) -> World:
    users = get_user_model().objects.filter(username__in=[m.username for m in catalogue.STAFF])
    staff = {user.username: user for user in users.select_related("agent_profile")}
    teams = {team.slug: team for team in Team.objects.filter(slug__in=["returns", "orders"])}
    members: dict[str, list] = {"returns": [], "orders": []}
    for member in catalogue.STAFF:
        for slug in member.teams:
            members[slug].append((staff[member.username], member.workload))
    tag_names = {t for topic in TOPICS for t in topic.tags} | {"vip"}
    tag_names |= {c.lower() for carriers in catalogue.CARRIERS.values() for c in carriers}
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in sorted(tag_names)}
    products = {
        p.sku: p for p in Product.objects.filter(sku__in=[s.sku for s in catalogue.PRODUCTS])
    }
    return World(
        seed=seed, rng=random.Random(seed), now=PLAN_ENDS, shift=end - PLAN_ENDS,
        start=PLAN_ENDS - timedelta(days=HISTORY_DAYS),
        staff=staff, staff_language={u: p.agent_profile.language for u, p in staff.items()},
        teams=teams, team_members=members, products=products,
        specs={spec.sku: spec for spec in catalogue.PRODUCTS}, tags=tags,
        rewards=list(Reward.objects.filter(name__in=[r["name"] for r in catalogue.REWARDS])),
        rules=rules_get(), surveys=SurveySettings.current(),
    )  # fmt: skip


def _lead_for() -> Callable[[SurveyInvitation], tuple]:
    """The lead (and team) a detractor's recovery ticket goes to, as the service picks."""
    cache: dict[int | None, object] = {}

    def lead_for(invitation: SurveyInvitation) -> tuple:
        team = recovery_team(invitation=invitation)
        key = team.pk if team else None
        if key not in cache:
            cache[key] = recovery_lead(invitation=invitation)
        return cache[key], team

    return lead_for


def _customer_notes(world: World) -> None:
    """What agents noted about a few customers."""
    for person in world.people:
        with world.stream(f"note {person.number}"):
            if not person.tickets or not world.chance(0.05):
                continue
            story = person.tickets[0]
            agent = story.ticket.assignee or world.staff["lead"]
            language = world.staff_language[agent.username]
            at = story.ticket.last_activity_at
            body = world.pick(texts(language).CUSTOMER_NOTES)
            note = world.add(
                CustomerNote(customer=person.customer, author=agent, created_at=at, body=body)
            )
            world.event(at, "customer.note_added", actor=agent, customer=person.customer,
                        data={"note": note})  # fmt: skip


@transaction.atomic
def demo_history_load(
    *, tickets: int = DEFAULT_TICKETS, end: datetime | None = None, seed: int = SEED,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, int]:  # fmt: skip
    """Plan the shop's last 90 days with ``tickets`` customer tickets and write them,
    ending at the latest 06:00 UTC (or at ``end``). The same shop comes out whenever it
    is loaded; only its dates follow the calendar. Call ``demo_reference_data`` first.
    Returns the number of rows of each kind."""
    world = _world(end or demo_history_end(timezone.now()), seed)
    log(f"planning {tickets} tickets over {HISTORY_DAYS} days")
    stories = customer_tickets(world, tickets)
    for index in range(max(tickets // 5, 5)):  # customers who bought but never wrote to us
        with world.stream(f"shopper {index}"):
            person_new(world, at=world.start)
    for person in list(world.people):
        with world.stream(f"history {person.number}"):
            history_orders(world, person)
    with world.stream("members"):
        members = members_choose(world)
    people = {id(person.customer): person for person in world.people}
    history = SurveyHistory(world, people)
    for story in stories:
        for index, solved in enumerate(story.solves):
            history.csat(story, solved, key=f"{story.key} solve {index}")
    for person in world.people:
        for order in person.orders:
            if order.delivered_at is not None and order.delivered_at >= world.start:
                history.nps(order, person)
    history.opt_outs()
    history.deliver_all()
    history.replay(_lead_for())
    ledgers = ledgers_replay(world, members)
    with world.stream("goodwill waiting"):
        goodwill_waiting(world, stories, ledgers)
    for story in stories:
        ledger = ledgers.get(id(story.person.customer))
        if ledger is not None:
            story.context["points"] = ledger.balance_at(story.ticket.created_at)
    for story in [*stories, *(r.story for r in history.recoveries)]:
        story.read_state()
    _customer_notes(world)
    log(f"writing {len(world.events)} events and the rows they tell of")
    counts = plan_write(world)
    counts["sla clocks"] = _sla_clocks(world.now + world.shift)
    return counts


def _sla_clocks(end: datetime) -> int:
    """SLA clocks for the loaded history from what it says (it was written in bulk, so
    no service ran): every open ticket, and the last 30 days' solved ones for the
    compliance figures."""
    recent = Q(created_at__gte=end - timedelta(days=30)) | ~Q(
        status__in=[Ticket.Status.SOLVED, Ticket.Status.CLOSED]
    )
    return sum(
        len(sla_rebuild(ticket=ticket))
        for ticket in Ticket.objects.filter(
            recent, customer__external_ref__startswith=DEMO_CUSTOMER_PREFIX
        )
    )
