"""Macros in the customer's language come first in the composer, then those for any
language, then the others, each under its own heading."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from customers.tests.factories import CustomerFactory
from tickets.models import Macro
from tickets.selectors import macro_groups, macros_for
from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(slug="returns")


@pytest.fixture
def macros(team):
    other_team = TeamFactory(slug="orders")
    for name, language, macro_team in [
        ("Replacement on its way", "en", None), ("Ersatz ist unterwegs", "de", None),
        ("Yenisi yolda", "tr", None), ("Thanks", "", None), ("Abholung", "de", team),
        ("Rückruf", "de", other_team),  # another team's: never offered here
    ]:  # fmt: skip
        Macro.objects.create(name=name, body=name, language=language, team=macro_team)


def _ticket(team, language: str):
    return TicketFactory(team=team, customer=CustomerFactory(first_name="Kim", language=language))


def test_the_customers_language_comes_first_then_any_language_then_the_others(team, macros):
    ticket = _ticket(team, "de")

    with translation.override("en"):
        groups = macro_groups(ticket=ticket)

    assert [(g.label, [m.name for m in g.macros]) for g in groups] == [
        ("German (the customer's language)", ["Abholung", "Ersatz ist unterwegs"]),
        ("Any language", ["Thanks"]),
        ("English", ["Replacement on its way"]),
        ("Turkish", ["Yenisi yolda"]),
    ]


def test_a_customer_whose_language_has_no_macros_sees_any_language_first(team, macros):
    Macro.objects.filter(language="tr").delete()
    ticket = _ticket(team, "tr")

    with translation.override("en"):
        labels = [g.label for g in macro_groups(ticket=ticket)]

    assert labels == ["Any language", "German", "English"]  # the others by language code


def test_the_headings_speak_the_agents_language(team, macros):
    ticket = _ticket(team, "tr")

    with translation.override("de"):
        labels = [g.label for g in macro_groups(ticket=ticket)]

    assert labels[0].startswith("Türkisch")


def test_grouping_costs_one_query(team, macros):
    ticket = _ticket(team, "de")
    ticket.customer  # noqa: B018 - loaded with the ticket on the page already

    with CaptureQueriesContext(connection) as queries:
        macro_groups(ticket=ticket)

    assert len(queries) == 1


def test_the_composer_lists_them_in_optgroups_in_that_order(client, team, macros):
    make_agent(username="ayse", teams=[team])
    client.login(username="ayse", password=PASSWORD)
    ticket = _ticket(team, "en")

    page = client.get(reverse("tickets:detail", args=[ticket.pk])).text

    select = page.split('id="macro-select"')[1].split("</select>")[0]
    assert re.findall(r'<optgroup label="([^"]+)">', select) == [
        "English (the customer&#x27;s language)", "Any language", "German", "Turkish",
    ]  # fmt: skip
    assert re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select) == [
        "Replacement on its way", "Thanks", "Abholung", "Ersatz ist unterwegs", "Yenisi yolda",
    ]  # fmt: skip


def test_a_macro_of_any_language_can_still_be_picked(client, team, macros):
    make_agent(username="ayse", teams=[team])
    client.login(username="ayse", password=PASSWORD)
    ticket = _ticket(team, "en")
    german = Macro.objects.get(name="Ersatz ist unterwegs")

    response = client.get(reverse("tickets:macro", args=[ticket.pk]), {"macro": german.pk})

    assert response.status_code == 200
    assert re.search(rf'<option value="{german.pk}" selected>', response.text)


def test_another_teams_macro_is_not_offered_nor_served(client, team, macros):
    make_agent(username="ayse", teams=[team])
    client.login(username="ayse", password=PASSWORD)
    ticket = _ticket(team, "de")
    foreign = Macro.objects.get(name="Rückruf")

    assert foreign not in macros_for(ticket=ticket)
    response = client.get(reverse("tickets:macro", args=[ticket.pk]), {"macro": foreign.pk})
    assert response.status_code == 404
