"""``manage.py seed_demo`` outside the loaded shop: where it refuses, what it leaves
alone, and that it plans the same shop every time."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from customers.models import Customer
from helpdesk.demodata.build import demo_history_end, demo_history_load, demo_reference_data
from helpdesk.demodata.catalogue import MONTHS
from surveys.models import SurveySettings
from tickets.models import Message


@pytest.mark.django_db
def test_survey_settings_someone_changed_are_left_alone():
    SurveySettings.objects.create(pk=1, csat_delay=timedelta(hours=5))

    demo_reference_data()

    assert SurveySettings.current().csat_delay == timedelta(hours=5)


@pytest.mark.django_db
def test_the_same_shop_whenever_it_is_loaded():
    """Loaded on another day, or at another hour, the shop is the same: only its dates
    follow the calendar."""
    demo_reference_data()
    end = demo_history_end(timezone.now())
    months = "|".join(name for names in MONTHS.values() for name in names)
    date = re.compile(rf"\d{{1,2}}\.? ({months})")

    def shop(**load: object) -> tuple[str, dict[str, int]]:
        with transaction.atomic():
            counts = demo_history_load(tickets=60, **load)
            # Recovery tickets name other tickets by id, which differ between loads.
            rows = Message.objects.filter(ticket__recovery_cases__isnull=True)
            rows = rows.order_by("ticket__created_at", "created_at", "body_text")
            text = "|".join(f"{s} {b}" for s, b in rows.values_list("ticket__subject", "body_text"))
            transaction.set_rollback(True)
        return hashlib.sha256(date.sub("<date>", text).encode()).hexdigest(), counts

    today = shop()
    with mock.patch("django.utils.timezone.now", return_value=end + timedelta(hours=13)):
        later_today = shop()
    assert later_today == today
    assert shop(end=end + timedelta(days=3)) == today


@pytest.mark.django_db
def test_demo_data_refuses_outside_a_local_setup(settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="only loaded with local settings"):
        call_command("seed_demo")
    assert not Customer.objects.exists()
