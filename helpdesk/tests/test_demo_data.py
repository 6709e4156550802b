"""``manage.py seed_demo``: a shop's last 90 days, loaded once, consistent with what the
services and the beat sweeps would have written."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.models import AgentProfile, Event, Team
from customers.models import ContactIdentity, Customer, Order, OrderItem, Product
from helpdesk.demodata.build import DEFAULT_TICKETS, demo_history_end
from helpdesk.management.commands.seed_demo import Command
from loyalty import tasks as loyalty_tasks
from loyalty.models import Coupon, LedgerEntry, LoyaltyAccount, Reward
from loyalty.selectors import ledger_mismatches
from messaging.models import Channel
from messaging.outbox import outbox_sweep
from surveys.models import RecoveryCase, SurveyInvitation, SurveyResponse, SurveySettings
from surveys.services import survey_due_ids, surveys_schedule_missed
from tickets.models import Macro, Message, Tag, Ticket
from tickets.workflow import tickets_autoclose

TICKETS = 300  # the default is 2,000; a smaller shop keeps the test fast
MODELS = [
    get_user_model(), AgentProfile, Team, Customer, ContactIdentity, Product, Order, OrderItem,
    Ticket, Message, Tag, Event, SurveyInvitation, SurveyResponse, RecoveryCase,
    LoyaltyAccount, LedgerEntry, Reward, Coupon, Macro,
]  # fmt: skip


@pytest.fixture(scope="module")
def _shop(django_db_setup, django_db_blocker):
    """One demo shop for the module's tests, loaded once inside a transaction that is
    rolled back at the end; each test runs in a savepoint of it (the ``db`` fixture)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", tickets=TICKETS, stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_shop, db):
    return None


def test_a_second_run_adds_nothing_and_says_so(demo):
    counts = {model: model.objects.count() for model in MODELS}
    out = StringIO()

    call_command("seed_demo", tickets=TICKETS, stdout=out)

    assert {model: model.objects.count() for model in MODELS} == counts
    assert "already loaded" in out.getvalue()


def test_the_default_is_the_full_shop():
    assert DEFAULT_TICKETS == 2000
    assert Command().create_parser("manage.py", "seed_demo").parse_args([]).tickets == 2000


def test_staff_keep_the_documented_logins_and_have_different_workloads(demo):
    roles = dict(AgentProfile.objects.values_list("user__username", "role"))
    assert {"admin": "admin", "lead": "lead", "agent": "agent", "agent2": "agent"}.items() <= (
        roles.items()
    )
    assert get_user_model().objects.get(username="agent").check_password("demo1234")
    handled = dict(
        Ticket.objects.filter(assignee__isnull=False)
        .values_list("assignee__username")
        .annotate(n=Count("id"))
    )
    assert len(handled) >= 6
    assert max(handled.values()) > 2 * min(handled.values())


def test_90_days_of_tickets_on_every_channel_in_three_languages(demo):
    now = timezone.now()
    tickets = Ticket.objects.all()
    customer_tickets = tickets.filter(recovery_cases__isnull=True)

    assert customer_tickets.filter(merged_into__isnull=True).count() == TICKETS
    first = tickets.order_by("created_at").first().created_at
    assert now - timedelta(days=91) < first < now - timedelta(days=85)
    # The history ends at the latest 06:00 UTC, with the night's mail just in.
    assert tickets.order_by("-created_at").first().created_at > now - timedelta(hours=25)
    by_channel = dict(tickets.values_list("channel").annotate(n=Count("id")))
    assert set(by_channel) == set(Channel.values)
    assert max(by_channel, key=by_channel.get) == Channel.EMAIL
    languages = set(tickets.values_list("customer__language", flat=True))
    assert languages == {"en", "de", "tr"}
    assert not tickets.filter(search_vector__isnull=True).exists()
    refund = SearchQuery("Erstattungen", config="german")  # stemmed like "Erstattung"
    assert tickets.filter(customer__language="de", search_vector=refund).exists()


def test_statuses_fit_the_age_of_a_ticket(demo):
    week_ago = timezone.now() - timedelta(days=7)
    old = Ticket.objects.filter(created_at__lt=week_ago)
    done = old.filter(status__in=["solved", "closed"]).count()
    assert done / old.count() > 0.9
    live = Ticket.objects.exclude(status__in=["solved", "closed"])
    statuses = set(live.values_list("status", flat=True))
    assert {"new", "pending"} <= statuses
    assert statuses & {"open", "on_hold"}  # the full shop has both; a small one one of them
    assert live.filter(assignee__isnull=True).exists()
    assert Message.objects.filter(visibility=Message.Visibility.INTERNAL).exists()
    assert Ticket.objects.filter(tags__isnull=False).distinct().count() > TICKETS * 0.9
    assert Ticket.objects.filter(merged_into__isnull=False).exists()
    # Every ticket's timeline starts with its creation.
    created = set(Event.objects.filter(kind="ticket.created").values_list("ticket_id", flat=True))
    assert created == set(Ticket.objects.values_list("pk", flat=True))


def test_orders_have_deliveries_return_windows_and_warranties(demo):
    now = timezone.now()
    delivered = Order.objects.filter(delivered_at__isnull=False)
    assert delivered.filter(return_window_ends_at__gt=now).exists()
    assert delivered.filter(return_window_ends_at__lt=now).exists()
    assert delivered.filter(warranty_ends_at__gt=now, warranty_ends_at__lt=now + timedelta(days=14))
    assert Order.objects.filter(status=Order.Status.RETURNED, refunds__isnull=False).exists()
    assert not Order.objects.filter(items__isnull=True).exists()


def test_surveys_with_detractors_and_recovered_ones(demo):
    responses = SurveyResponse.objects.filter(looks_automated=False)
    assert responses.filter(invitation__kind="csat").exists()
    assert responses.filter(invitation__kind="nps").exists()
    detractors = responses.filter(
        Q(invitation__kind="csat", score__lte=2) | Q(invitation__kind="nps", score__lte=6)
    )
    assert detractors.exists()
    cases = RecoveryCase.objects.all()
    # One recovery ticket per human detractor answer, led by a lead.
    assert cases.count() == detractors.count()
    assert cases.filter(state="recovered", recovered_by__isnull=False).exists()  # by a lead
    assert cases.filter(state="recovered", recovered_note__startswith="later score").exists()
    assert SurveyResponse.objects.filter(looks_automated=True).exists()
    assert not RecoveryCase.objects.filter(invitation__response__looks_automated=True).exists()


def test_loyalty_members_in_every_tier_with_ledgers_that_add_up(demo):
    tiers = set(LoyaltyAccount.objects.values_list("tier", flat=True))
    assert tiers == {"bronze", "silver", "gold"}
    assert ledger_mismatches() == []
    kinds = set(LedgerEntry.objects.values_list("kind", flat=True))
    assert {"pending", "approve", "earn", "reverse"} <= kinds
    assert not LoyaltyAccount.objects.filter(balance__lt=0).exists()


def test_no_sweep_finds_anything_to_do_where_the_history_ends(demo):
    """The history ends where the beat sweeps would have left it (after that, under
    make run, they catch up on the hours since, as they would after any pause)."""
    quiet = timedelta(hours=settings.TICKET_AUTOCLOSE_AFTER_HOURS)
    end = demo_history_end(timezone.now())

    with mock.patch("django.utils.timezone.now", return_value=end + timedelta(seconds=1)):
        _assert_nothing_to_do(quiet)


def _assert_nothing_to_do(quiet: timedelta) -> None:
    assert tickets_autoclose(quiet_for=quiet) == 0
    assert surveys_schedule_missed() == 0
    assert survey_due_ids() == []
    assert loyalty_tasks.loyalty_approve_pending_due() == 0
    assert loyalty_tasks.loyalty_expiry_warn_due() == 0
    assert loyalty_tasks.loyalty_expire_due() == 0
    assert loyalty_tasks.loyalty_tiers_recalculate_due() == 0
    assert outbox_sweep() == 0


def test_demo_surveys_come_quickly_and_are_not_throttled(demo):
    config = SurveySettings.current()

    assert config.csat_delay <= timedelta(seconds=30)
    assert config.throttle_period == timedelta(0)
