from __future__ import annotations

import pytest

from core.models import Event
from messaging.models import Suppression
from messaging.outbox import recipient_is_suppressed

pytestmark = pytest.mark.django_db


def test_an_address_suppressed_in_the_admin_is_stored_as_the_outbox_looks_it_up(client, boss):
    response = client.post(
        "/admin/messaging/suppression/add/",
        {
            "channel": "email",
            "address": "Kim@Example.COM",
            "reason": "complaint",
            "detail": "asked on the phone",
        },
    )

    assert response.status_code == 302
    row = Suppression.objects.get()
    assert (row.address, row.reason) == ("kim@example.com", "complaint")
    assert recipient_is_suppressed(channel="email", address="kim@example.com")
    event = Event.objects.get(kind="outbox.recipient_suppressed")
    assert event.data["address"] == "kim@example.com"
