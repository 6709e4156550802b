from __future__ import annotations

import factory

from customers.tests.factories import CustomerFactory
from tickets.models import AgentProfile, Channel, Message, Team, Ticket
from tickets.services import agent_create

PASSWORD = "correct-horse-battery"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


def make_agent(
    *, username: str, role: str = AgentProfile.Role.AGENT, teams: list[Team] | None = None,
    language: str = "en",
) -> AgentProfile:  # fmt: skip
    """A staff member created the way the product creates them, through the service."""
    return agent_create(
        username=username, email=f"{username}@shop.example", password=PASSWORD, role=role,
        teams=teams or [], first_name=username.title(), language=language,
    )  # fmt: skip


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    subject = factory.Faker("sentence", nb_words=5)
    channel = Channel.EMAIL
    customer = factory.SubFactory(CustomerFactory)
    team = factory.SubFactory(TeamFactory)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    direction = Message.Direction.INBOUND
    channel = Channel.EMAIL
    body_text = factory.Faker("paragraph")
