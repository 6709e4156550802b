"""Policy pages are made from the product's data: SLA targets, hours, holidays, the
return window and the warranty periods."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from customers.services import RETURN_WINDOW
from customers.tests.factories import ProductFactory
from tickets.models import BusinessCalendar, Closure, OpeningHours, SlaPolicy
from tickets.selectors import service_promises
from tickets.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_the_service_promise_changes_when_a_team_sla_target_changes(client):
    team = TeamFactory(name="Returns", slug="returns")
    policy = SlaPolicy.objects.create(team=team, priority=None, first_response_minutes=240)
    url = reverse("helpcenter:service_promise", args=["en"])
    page = client.get(url).content.decode()
    assert "Returns" in page
    assert "4 business hours" in page
    policy.first_response_minutes = 90
    policy.save()
    page = client.get(url).content.decode()
    assert "1 business hour 30 minutes" in page
    assert "4 business hours" not in page.split("Returns", 1)[1].split("</section>", 1)[0]


def test_the_service_promise_shows_hours_holidays_and_closures_in_the_page_language(client):
    team = TeamFactory(name="Kundendienst", slug="kd")
    team.country = "DE"
    team.save()
    calendar = BusinessCalendar.objects.create(team=team)
    OpeningHours.objects.create(calendar=calendar, weekday=0, opens=time(8), closes=time(16))
    Closure.objects.create(calendar=calendar, first=date(2026, 12, 28), last=date(2026, 12, 29),
                           reason="Inventur")  # fmt: skip
    promises = service_promises(today=date(2026, 12, 20), language="de")
    mine = next(p for p in promises if p.team == "Kundendienst")
    assert mine.week[0][1] == [(time(8), time(16))]
    assert any(day == date(2026, 12, 25) for day, _name, _half in mine.holidays)
    assert mine.closures == [(date(2026, 12, 28), date(2026, 12, 29), "Inventur")]
    page = client.get(reverse("helpcenter:service_promise", args=["de"])).content.decode()
    assert "Öffnungszeiten" in page or "Opening hours" in page
    assert "08:00–16:00" in page


def test_the_returns_policy_uses_the_return_window_and_the_warranty_periods(client):
    ProductFactory(warranty_months=24)
    ProductFactory(warranty_months=24)
    ProductFactory(warranty_months=36)
    page = client.get(reverse("helpcenter:returns", args=["en"])).content.decode()
    assert f"within {RETURN_WINDOW.days} days of its delivery" in page
    assert "36 months: 1 product" in page
    assert "24 months: 2 products" in page
    assert reverse("loyalty:program") in page


def test_without_products_the_default_warranty_is_shown(client):
    page = client.get(reverse("helpcenter:returns", args=["de"])).content.decode()
    assert "24" in page
    assert 'lang="de"' in page


def test_the_loyalty_program_page_links_to_the_policies(client):
    page = client.get(reverse("loyalty:program")).content.decode()
    assert reverse("helpcenter:returns", args=["en"]) in page
