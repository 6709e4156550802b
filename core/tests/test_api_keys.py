"""API keys: scopes, team limits, expiry, revocation, last use, throttling, and the
Idempotency-Key every POST takes."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from core.api.keys import ALL_SCOPES, ApiKeyError, api_key_create, api_key_revoke
from core.models import ApiKey, Event, IdempotencyRecord
from customers.models import Customer
from customers.tests.factories import CustomerFactory
from tickets.tests.factories import TeamFactory, TicketFactory

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers/"


def test_a_key_is_stored_as_a_hash_with_its_scopes_and_a_user_that_cannot_sign_in():
    api_key, key = api_key_create(name="shop", scopes=["tickets:read"])

    assert key not in (api_key.key_hash, api_key.prefix)
    assert len(key) >= 40
    assert api_key.scopes == ["tickets:read"]
    assert api_key.user is not None
    assert not api_key.user.is_active
    assert not api_key.user.has_usable_password()
    assert Event.objects.filter(kind="api_key.created").count() == 1


@pytest.mark.parametrize("scopes", [["tickets:delete"], ["*"], ["tickets:read", "x"]])
def test_unknown_scopes_are_refused(scopes):
    with pytest.raises(ApiKeyError):
        api_key_create(name="bad", scopes=scopes)


def test_the_management_command_takes_scopes_and_teams(capsys):
    team = TeamFactory(slug="returns")
    call_command("apikey_create", "erp", "--scope", "orders:write", "--team", "returns")
    key = ApiKey.objects.get(name="erp")
    assert key.scopes == ["orders:write"]
    assert list(key.teams.all()) == [team]
    assert len(capsys.readouterr().out.strip()) >= 40


def test_a_read_only_key_reads_but_cannot_write(api_client_for):
    client = api_client_for(scopes=["customers:read"])
    CustomerFactory()

    assert client.get(CUSTOMERS).status_code == 200
    response = client.post(
        CUSTOMERS, {"email": "a@b.example"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not Customer.objects.filter(identities__address="a@b.example").exists()


def test_a_key_without_the_resource_scope_is_refused_even_for_reading(api_client_for):
    client = api_client_for(scopes=["loyalty:write"])
    assert client.get(CUSTOMERS).status_code == 403
    assert client.get("/api/v1/tickets/").status_code == 403


@pytest.mark.parametrize("how", ["revoked", "expired", "deactivated"])
def test_revoked_and_expired_keys_get_401(api_client_for, how):
    client = api_client_for()
    assert client.get(CUSTOMERS).status_code == 200
    if how == "revoked":
        api_key_revoke(api_key=client.api_key, by=None)
    elif how == "expired":
        ApiKey.objects.filter(pk=client.api_key.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    else:
        ApiKey.objects.filter(pk=client.api_key.pk).update(active=False)

    response = client.get(CUSTOMERS)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Api-Key"


@pytest.mark.parametrize(
    "header",
    ["Api-Key", "Api-Key a b", "Api-Key " + "x" * 300, "Api-Key wrongwrongwrong", "Api-Key é"],
)
def test_malformed_or_unknown_keys_get_401(client, header):
    response = client.get(CUSTOMERS, HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    assert response.status_code == 401


def test_no_key_gets_401_or_403_and_never_data(client):
    CustomerFactory()
    response = client.get(CUSTOMERS)
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_last_used_is_written_at_most_once_a_minute(api_client_for):
    client = api_client_for()
    client.get(CUSTOMERS)
    first = ApiKey.objects.get(pk=client.api_key.pk).last_used_at
    client.get(CUSTOMERS)
    assert first is not None
    assert ApiKey.objects.get(pk=client.api_key.pk).last_used_at == first


@override_settings(API_RATE_PER_MINUTE=3)
def test_each_key_is_throttled_on_its_own(api_client_for):
    cache.clear()
    busy, other = api_client_for(), api_client_for()
    statuses = [busy.get(CUSTOMERS).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    refused = busy.get(CUSTOMERS)
    assert refused["Content-Type"] == "application/problem+json"
    assert int(refused["Retry-After"]) > 0
    assert other.get(CUSTOMERS).status_code == 200


def test_a_key_may_have_a_rate_of_its_own(api_client_for):
    cache.clear()
    client = api_client_for(rate_per_minute=1)
    assert [client.get(CUSTOMERS).status_code for _ in range(2)] == [200, 429]


def test_scopes_are_all_documented():
    assert "tickets:read" in ALL_SCOPES
    assert "loyalty:write" in ALL_SCOPES


# --- Idempotency-Key ----------------------------------------------------------------------


def upsert(client, key, email="ann@shop.example", **extra):
    return client.post(
        CUSTOMERS, {"email": email, **extra}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_the_same_key_and_request_answer_as_the_first_time(api_client_for):
    client = api_client_for()
    first = upsert(client, "k1", first_name="Ann")
    again = upsert(client, "k1", first_name="Ann")

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Customer.objects.count() == 1


def test_the_same_key_with_another_request_is_a_409(api_client_for):
    client = api_client_for()
    upsert(client, "k1", first_name="Ann")
    response = upsert(client, "k1", first_name="Bob")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Customer.objects.get().first_name == "Ann"


def test_keys_belong_to_their_caller(api_client_for):
    one, two = api_client_for(), api_client_for()
    assert upsert(one, "same", email="a@shop.example").status_code == 201
    assert upsert(two, "same", email="b@shop.example").status_code == 201


def test_a_refused_request_is_not_kept_and_may_be_sent_again_put_right(api_client_for):
    client = api_client_for()
    assert upsert(client, "k", email="not an email").status_code == 400
    assert upsert(client, "k").status_code == 201
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.parametrize("key", [None, "", " ", "a" * 151, "ключ", "line\nbreak", "tab\tkey"])
def test_every_post_needs_a_well_formed_key(api_client_for, key):
    client = api_client_for()
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    response = client.post(CUSTOMERS, {"email": "a@shop.example"}, format="json", **headers)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Customer.objects.exists()


def test_old_answers_are_purged():
    from core.api.idempotency import idempotency_records_purge

    IdempotencyRecord.objects.create(owner="key:1", key="old", fingerprint="x", status_code=201)
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=3))
    IdempotencyRecord.objects.create(owner="key:1", key="new", fingerprint="x", status_code=201)
    assert idempotency_records_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_do_the_work_once(api_client_for):
    client = api_client_for()
    team = TeamFactory()
    ticket = TicketFactory(team=team)
    results = []
    barrier = threading.Barrier(2)

    def send():
        barrier.wait()
        try:
            response = client.post(
                f"/api/v1/tickets/{ticket.pk}/messages/",
                {"text": "Noted", "visibility": "internal"},
                format="json",
                HTTP_IDEMPOTENCY_KEY="race",
            )
            results.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [status for status, _id in results] == [201, 201]
    assert results[0][1] == results[1][1]
    assert ticket.messages.filter(visibility="internal").count() == 1
