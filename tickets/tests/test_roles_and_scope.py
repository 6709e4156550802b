from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AgentProfile
from tickets.tests.factories import PASSWORD, MessageFactory, TeamFactory, TicketFactory, make_agent


@pytest.fixture
def teams():
    return TeamFactory(slug="team-a", name="A"), TeamFactory(slug="team-b", name="B")


@pytest.mark.django_db
def test_roles_are_groups_with_permissions_and_admin_site_access(teams):
    agent = make_agent(username="agent", teams=[teams[0]]).user
    lead = make_agent(username="lead", role=AgentProfile.Role.LEAD, teams=[teams[0]]).user
    admin = make_agent(username="boss", role=AgentProfile.Role.ADMIN).user

    assert list(agent.groups.values_list("name", flat=True)) == ["agent"]
    assert agent.has_perm("tickets.change_ticket")
    assert not agent.has_perm("core.change_team")
    assert not agent.is_staff
    assert lead.has_perm("core.change_team")
    assert lead.is_staff
    assert not lead.is_superuser
    assert admin.is_superuser


@pytest.mark.django_db
@pytest.mark.parametrize("role", [AgentProfile.Role.AGENT, AgentProfile.Role.LEAD])
def test_staff_see_their_teams_tickets_and_get_404_for_other_teams(client, teams, role):
    team_a, team_b = teams
    make_agent(username="member", role=role, teams=[team_a])
    own = MessageFactory(ticket=TicketFactory(team=team_a, subject="Kettle leaks")).ticket
    foreign = MessageFactory(ticket=TicketFactory(team=team_b, subject="Secret other team")).ticket
    client.login(username="member", password=PASSWORD)

    listing = client.get(reverse("tickets:list"))
    assert "Kettle leaks" in listing.text
    assert "Secret other team" not in listing.text
    assert client.get(reverse("tickets:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("tickets:detail", args=[foreign.pk])).status_code == 404


@pytest.mark.django_db
def test_admins_see_every_ticket(client, teams):
    make_agent(username="boss", role=AgentProfile.Role.ADMIN)
    ticket = TicketFactory(team=teams[1])
    client.login(username="boss", password=PASSWORD)

    assert client.get(reverse("tickets:detail", args=[ticket.pk])).status_code == 200


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login_and_users_without_a_profile_are_refused(client):
    from django.contrib.auth import get_user_model

    assert client.get(reverse("tickets:list")).url.startswith(reverse("login"))
    get_user_model().objects.create_user(username="shopper", password=PASSWORD)
    client.login(username="shopper", password=PASSWORD)
    assert client.get(reverse("tickets:list")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_joining_or_leaving_a_team_changes_what_an_agent_sees_at_the_next_page(client, teams):
    """Memberships are read once per change (committed writes: inside a test's
    transaction the configuration is read from the database every time)."""
    team_a, team_b = teams
    profile = make_agent(username="member", teams=[team_a])
    own = TicketFactory(team=team_a, subject="Kettle leaks")
    other = TicketFactory(team=team_b, subject="Toaster sparks")
    client.login(username="member", password=PASSWORD)

    def status(ticket) -> int:
        return client.get(reverse("tickets:detail", args=[ticket.pk])).status_code

    assert (status(own), status(other)) == (200, 404)
    profile.teams.add(team_b)
    assert (status(own), status(other)) == (200, 200)
    profile.teams.remove(team_a)
    assert (status(own), status(other)) == (404, 200)
    profile.teams.clear()
    assert (status(own), status(other)) == (404, 404)
