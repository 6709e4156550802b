from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from core.events import event_record
from core.models import Event


@pytest.mark.django_db
def test_events_cannot_be_updated_or_deleted_through_the_orm_or_raw_sql():
    event = event_record(kind="ticket.created", data={"channel": "email"})

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(kind="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_event WHERE id = %s", [event.pk])

    event.refresh_from_db()
    assert event.kind == "ticket.created"
