"""In production no private, loopback, link-local or reserved address is a webhook
target, also when a host name resolves to one; the tests' setting allows loopback only."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone

from helpdesk.settings import base
from webhooks import services
from webhooks.sending import TargetRefusedError, address_allowed, post_signed, target_resolve
from webhooks.tests.receiver import receiver_running

pytestmark = pytest.mark.django_db


def test_production_settings_refuse_loopback():
    assert base.WEBHOOK_ALLOW_LOOPBACK is False


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.7",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 (an address refused, not bound)
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "192.0.2.1",
        "198.18.0.1",
    ],
)
@override_settings(WEBHOOK_ALLOW_LOOPBACK=False)
def test_non_public_addresses_are_refused(address):
    assert not address_allowed(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "93.184.215.14"])
def test_public_addresses_are_allowed(address):
    assert address_allowed(address)


@override_settings(WEBHOOK_ALLOW_LOOPBACK=False)
def test_a_host_name_resolving_to_a_private_address_is_refused_and_never_contacted():
    with receiver_running() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        for url in (receiver.url, f"http://localhost:{port}/hooks"):
            with pytest.raises(TargetRefusedError):
                target_resolve(url)
            outcome = post_signed(
                url=url,
                secrets=[services.secret_new()],
                message_id="msg_1",
                timestamp=timezone.now(),
                body="{}",
            )
            assert outcome.status_code is None
            assert "private or reserved" in outcome.error
        with pytest.raises(services.EndpointError):
            services.endpoint_create(
                name="x", url=f"http://localhost:{port}/", event_types=["ticket.created"], by=None
            )
    assert receiver.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "gopher://x",
        "http://user:pw@example.com/",
        "http:///nohost",
        "javascript:alert(1)",
        "http://[::1",
        "http://example.com:99999/",
        "http://does-not-exist.invalid/",
    ],
)
def test_urls_that_are_not_public_http_targets_are_refused(url):
    with pytest.raises(TargetRefusedError):
        target_resolve(url)


def test_loopback_is_allowed_only_by_the_tests_setting():
    with receiver_running() as receiver:
        assert target_resolve(receiver.url).address == "127.0.0.1"
