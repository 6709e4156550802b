"""``manage.py seed_demo`` outside the loaded shop: where it refuses, what it leaves
alone, and that it plans the same shop every time."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from customers.models import Customer
from helpdesk.demodata.build import demo_history_load, demo_reference_data
from surveys.models import SurveySettings
from tickets.models import Message


@pytest.mark.django_db
def test_survey_settings_someone_changed_are_left_alone():
    SurveySettings.objects.create(pk=1, csat_delay=timedelta(hours=5))

    demo_reference_data()

    assert SurveySettings.current().csat_delay == timedelta(hours=5)


@pytest.mark.django_db
def test_the_same_shop_every_time():
    demo_reference_data()

    def digest() -> str:
        with transaction.atomic():
            demo_history_load(tickets=60)
            # Recovery tickets name other tickets by id, which differ between loads.
            rows = Message.objects.filter(ticket__recovery_cases__isnull=True)
            rows = rows.order_by("ticket__subject", "body_text")
            text = "|".join(f"{s} {b}" for s, b in rows.values_list("ticket__subject", "body_text"))
            transaction.set_rollback(True)
        return hashlib.sha256(text.encode()).hexdigest()

    assert digest() == digest()


@pytest.mark.django_db
def test_demo_data_refuses_outside_a_local_setup(settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="only loaded with local settings"):
        call_command("seed_demo")
    assert not Customer.objects.exists()
