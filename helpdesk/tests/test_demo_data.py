from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core.models import AgentProfile, Event, Team
from customers.models import ContactIdentity, Customer, Order
from loyalty.models import Coupon, LedgerEntry, LoyaltyAccount, Reward
from loyalty.selectors import ledger_mismatches
from tickets.models import Macro, Message, Ticket

MODELS = [
    get_user_model(),
    AgentProfile,
    Team,
    Customer,
    ContactIdentity,
    Order,
    Ticket,
    Message,
    Event,
    LoyaltyAccount,
    LedgerEntry,
    Reward,
    Coupon,
    Macro,
]


@pytest.mark.django_db
def test_demo_data_loads_once_and_a_second_run_adds_nothing():
    call_command("seed_demo")
    counts = {model: model.objects.count() for model in MODELS}
    call_command("seed_demo")

    assert {model: model.objects.count() for model in MODELS} == counts
    roles = dict(AgentProfile.objects.values_list("user__username", "role"))
    assert roles == {"admin": "admin", "lead": "lead", "agent": "agent", "agent2": "agent"}
    assert counts[Ticket] == 3
    assert counts[Macro] == 3  # one ready answer per language


@pytest.mark.django_db
def test_demo_data_has_two_loyalty_members_with_points_and_three_rewards():
    call_command("seed_demo")
    call_command("seed_demo")

    members = {a.customer.identities.get().address: a for a in LoyaltyAccount.objects.all()}
    assert set(members) == {"maria.schmidt@example.com", "john.miller@example.com"}
    assert all(a.consent_source == "demo" for a in members.values())
    maria, john = members["maria.schmidt@example.com"], members["john.miller@example.com"]
    # Maria's order is inside its return window (pending), John's is past it (confirmed).
    assert (maria.balance, maria.pending_balance) == (0, 49)
    assert (john.balance, john.pending_balance) == (49, 0)
    assert Reward.objects.filter(active=True).count() == 3
    assert ledger_mismatches() == []


@pytest.mark.django_db
def test_demo_data_refuses_outside_a_local_setup(settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="only loaded with local settings"):
        call_command("seed_demo")
    assert not Customer.objects.exists()
