from __future__ import annotations

import factory

from core.models import AgentProfile, Team
from core.staff import agent_create
from customers.tests.factories import ContactIdentityFactory, CustomerFactory
from messaging.models import Channel
from tickets.models import Message, Ticket

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
        skip_postgeneration_save = True

    subject = factory.Faker("sentence", nb_words=5)
    channel = Channel.EMAIL
    customer = factory.SubFactory(CustomerFactory)
    team = factory.SubFactory(TeamFactory)

    @factory.post_generation
    def reachable(self: Ticket, create: bool, extracted: object, **kwargs: object) -> None:
        """The customer of an email ticket has an address a reply can go to (pass
        ``reachable=False`` for one who has none)."""
        if not create or extracted is False or self.channel != Channel.EMAIL:
            return
        if not self.customer.identities.filter(kind="email").exists():
            ContactIdentityFactory(customer=self.customer)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    direction = Message.Direction.INBOUND
    channel = Channel.EMAIL
    body_text = factory.Faker("paragraph")
