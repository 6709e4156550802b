"""A lead sees their teams' numbers only, an agent their own; nobody's total includes a
team they may not see."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from reports.dashboard import dashboard_build
from reports.periods import scope_for
from reports.rollups import rollups_rebuild
from reports.tests.fixtures import at, known_week, office_team, ticket, week_period
from tickets.tests.factories import make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    berlin, istanbul = office_team("Berlin"), office_team("Istanbul")
    anna = make_agent(username="anna", teams=[berlin]).user
    known_week(berlin, agent=anna)
    ticket(berlin, created=at(17, 10), responded=None, solved=None)  # nobody's
    known_week(istanbul)  # the other team has the same week again
    for n in range(3):
        ticket(istanbul, created=at(18, 10 + n), responded=None, solved=None)
    lead = make_agent(username="lead", role="lead", teams=[berlin]).user
    admin = make_agent(username="admin", role="admin").user
    rollups_rebuild()
    return {"berlin": berlin, "istanbul": istanbul, "anna": anna, "lead": lead, "admin": admin}


def created(user, **filters):
    sections = dashboard_build(period=week_period(), scope=scope_for(user=user, **filters))
    return {k.key: k.value for s in sections for k in s.kpis}


def test_totals_by_role(world):
    assert created(world["admin"])["created"] == 4 + 1 + 4 + 3
    assert created(world["lead"])["created"] == 5  # Berlin only
    assert created(world["lead"])["csat"] == 66.7  # Istanbul's surveys left out
    assert created(world["anna"])["created"] == 4  # her own tickets
    assert created(world["admin"], team_id=world["istanbul"].pk)["created"] == 7


def test_out_of_scope_filters_answer_404(world, client):
    with pytest.raises(Http404):
        scope_for(user=world["lead"], team_id=world["istanbul"].pk)
    with pytest.raises(Http404):
        scope_for(user=world["anna"], agent_id=world["lead"].pk)
    client.force_login(world["lead"])
    url = reverse("reports:dashboard")
    assert client.get(url, {"team": world["istanbul"].pk}).status_code == 404
    assert client.get(url, {"team": world["berlin"].pk}).status_code == 200
    assert client.get(reverse("reports:team", args=[world["istanbul"].pk])).status_code == 404
    client.force_login(world["anna"])
    assert client.get(url).status_code == 403  # dashboards are for leads
    assert client.get(reverse("reports:agent", args=[world["anna"].pk])).status_code == 200
    assert client.get(reverse("reports:agent", args=[world["lead"].pk])).status_code == 404


def test_numbers_link_to_the_inbox_filtered_to_what_they_count(world, client):
    client.force_login(world["lead"])
    response = client.get(
        reverse("reports:dashboard"), {"period": "custom", "from": "2026-11-13", "to": "2026-11-19"}
    )
    kpi = next(k for s in response.context["sections"] for k in s.kpis if k.key == "created")
    inbox = client.get(kpi.url)
    assert inbox.status_code == 200
    listed = {t.pk for t in inbox.context["page"].tickets}
    assert len(listed) == kpi.value == 5


@pytest.mark.parametrize("params", [
    {"period": "custom", "from": "2026-13-40", "to": "x"},
    {"period": "custom", "from": "2026-11-19", "to": "2026-11-13"},
    {"period": "' OR 1=1 --", "team": "abc", "agent": "-5", "channel": "<script>"},
    {"period": "custom", "from": "1900-01-01", "to": "2026-11-19"},
    {"team": "9" * 40, "export": "x" * 500},
    {"period": ["7", "30"], "team": ["1", "2"]},
])  # fmt: skip
def test_hostile_and_malformed_parameters(world, client, params):
    client.force_login(world["admin"])
    response = client.get(reverse("reports:dashboard"), params)
    assert response.status_code in (200, 404)
