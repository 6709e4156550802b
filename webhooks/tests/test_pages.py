"""The Integrations pages: admins create, list and revoke API keys, register webhook
endpoints, rotate secrets, disable and enable them, and replay deliveries from the log.
Other staff are refused; form input is checked."""

from __future__ import annotations

import pytest

from core.models import ApiKey
from tickets.tests.factories import TeamFactory, make_agent
from webhooks import services
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.tests.helpers import deliver_due
from webhooks.tests.receiver import receiver_running

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    user = make_agent(username="boss", role="admin").user
    client.force_login(user)
    return user


def test_an_admin_creates_a_scoped_key_sees_it_once_and_revokes_it(client, admin):
    team = TeamFactory(name="Returns")
    response = client.post(
        "/settings/api-keys/",
        {
            "name": "Shop checkout",
            "scopes": ["tickets:write", "orders:read"],
            "teams": [team.pk],
            "expires_on": "2099-01-01",
            "rate_per_minute": "120",
        },
    )
    assert response.status_code == 201
    key = ApiKey.objects.get(name="Shop checkout")
    plain = response.context["created_key"]
    assert plain.startswith(key.prefix)
    assert plain in response.content.decode()
    assert (key.scopes, list(key.teams.all()), key.rate_per_minute) == (
        ["tickets:write", "orders:read"],
        [team],
        120,
    )
    assert key.created_by == admin

    listing = client.get("/settings/api-keys/").content.decode()
    assert "Shop checkout" in listing
    assert plain not in listing  # shown once only

    client.post(f"/settings/api-keys/{key.pk}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert client.get("/api/v1/tickets/", HTTP_AUTHORIZATION=f"Api-Key {plain}").status_code == 401


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scopes": ["tickets:read"]},
        {"name": "x", "scopes": []},
        {"name": "x", "scopes": ["tickets:admin"]},
        {"name": "x" * 101, "scopes": ["tickets:read"]},
        {"name": "x", "scopes": ["tickets:read"], "expires_on": "2000-01-01"},
        {"name": "x", "scopes": ["tickets:read"], "expires_on": "soon"},
        {"name": "x", "scopes": ["tickets:read"], "teams": ["999999"]},
        {"name": "x", "scopes": ["tickets:read"], "rate_per_minute": "-5"},
        {"name": "taken", "scopes": ["tickets:read"]},
    ],
)
def test_bad_key_forms_are_refused_with_the_reason(client, admin, data):
    from core.api.keys import api_key_create

    api_key_create(name="taken")
    response = client.post("/settings/api-keys/", data)
    assert response.status_code == 422
    assert ApiKey.objects.count() == 1


def test_agents_and_leads_cannot_manage_integrations(client):
    for role in ("agent", "lead"):
        client.force_login(make_agent(username=role, role=role).user)
        for url in ("/settings/api-keys/", "/settings/webhooks/"):
            assert client.get(url).status_code == 403
        assert (
            client.post(
                "/settings/api-keys/", {"name": "x", "scopes": ["tickets:read"]}
            ).status_code
            == 403
        )
    assert not ApiKey.objects.exists()


def test_an_admin_registers_an_endpoint_and_reads_its_log_and_replays(client, admin):
    with receiver_running() as receiver:
        response = client.post(
            "/settings/webhooks/",
            {"name": "ERP", "url": receiver.url, "event_types": ["ticket.created"]},
        )
        endpoint = WebhookEndpoint.objects.get()
        assert response.status_code == 302
        receiver.secret = endpoint.secret
        detail = client.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()
        assert endpoint.secret in detail

        from customers.tests.factories import CustomerFactory
        from tickets.services import ticket_open

        ticket_open(customer=CustomerFactory(), subject="s", body_text="t", channel="web")
        deliver_due()
        delivery = WebhookDelivery.objects.get()
        log = client.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()
        assert delivery.message_id in log
        assert "ticket.created" in log

        with django_on_commit() as callbacks:
            client.post(f"/settings/webhooks/deliveries/{delivery.pk}/replay/")
        assert callbacks  # the replay is queued after commit
        services.delivery_attempt(delivery_id=delivery.pk, replay=True)

    assert [r.message_id for r in receiver.requests] == [delivery.message_id] * 2
    assert WebhookAttempt.objects.count() == 2


def test_rotate_disable_and_enable_from_the_page(client, admin):
    with receiver_running() as receiver:
        endpoint = services.endpoint_create(
            name="ERP", url=receiver.url, event_types=["ticket.created"], by=admin
        )
    old = endpoint.secret
    client.post(f"/settings/webhooks/{endpoint.pk}/rotate/")
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.previous_secret == old
    client.post(f"/settings/webhooks/{endpoint.pk}/disable/")
    endpoint.refresh_from_db()
    assert not endpoint.active
    client.post(f"/settings/webhooks/{endpoint.pk}/enable/")
    endpoint.refresh_from_db()
    assert endpoint.active
    assert client.post(f"/settings/webhooks/{endpoint.pk}/explode/").status_code == 404
    assert client.get(f"/settings/webhooks/{endpoint.pk}/rotate/").status_code == 405


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x", "url": "http://10.0.0.1/hook", "event_types": ["ticket.created"]},
        {"name": "x", "url": "ftp://example.com/", "event_types": ["ticket.created"]},
        {"name": "x", "url": "not a url", "event_types": ["ticket.created"]},
        {"name": "x", "url": "https://example.com/", "event_types": ["ticket.deleted"]},
        {"name": "x", "url": "https://example.com/", "event_types": []},
        {"name": "", "url": "https://example.com/", "event_types": ["ticket.created"]},
        {"name": "x", "url": "https://example.com/" + "a" * 500, "event_types": ["ticket.created"]},
    ],
)
def test_bad_endpoints_are_refused(client, admin, data, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    response = client.post("/settings/webhooks/", data)
    assert response.status_code == 422
    assert not WebhookEndpoint.objects.exists()


class django_on_commit:  # noqa: N801 (used like a function)
    """Capture the on-commit callbacks of the test's transaction without running them."""

    def __enter__(self):
        from django.db import connection

        self.connection = connection
        self.start = len(connection.run_on_commit)
        return self

    def __exit__(self, *exc):
        self.callbacks = self.connection.run_on_commit[self.start :]
        return False

    def __bool__(self):
        return bool(self.callbacks)
