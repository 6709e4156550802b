"""Model instances from JSON rows behave like the ORM's: the same values of every
column, related objects attached, and nothing left to load later."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.events import event_record
from core.models import Event
from core.querylimits import QueryTooSlowError, statement_timeout
from core.rows import instances, json_row, json_rows, rows_select, rows_update, select_together
from customers.models import CustomerNote, Order, OrderItem, Product
from customers.selectors import _customer_lists, customer_history
from customers.tests.factories import CustomerFactory, OrderFactory, OrderItemFactory
from messaging.models import InboundPayload
from tickets.tests.factories import make_agent

pytestmark = pytest.mark.django_db


def _values(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_every_column_comes_back_as_the_orm_loads_it():
    customer = CustomerFactory()
    order = OrderFactory(
        customer=customer, delivered_at=None, total_cents=2**40, currency="TRY",
        return_window_ends_at=timezone.now() + timedelta(days=3, microseconds=7),
    )  # fmt: skip
    OrderItemFactory(order=order, quantity=3)
    OrderItemFactory(order=order, product__name="Wasserkocher „Ü“ <b>")
    lines = json_rows(OrderItem, alias="i", where="i.order_id = t.id", order_by="i.id",
                      related={"product": json_row(Product, "i.product_id")})  # fmt: skip
    orders = json_rows(Order, where="t.customer_id = %(c)s", order_by="t.id",
                       related={"lines": lines})  # fmt: skip
    (rows,) = select_together([orders], {"c": customer.pk})
    loaded = Order.objects.get(pk=order.pk)
    expected = list(OrderItem.objects.filter(order=order).select_related("product"))
    with connection.execute_wrapper(_no_queries):
        (built,) = instances(
            Order, rows, lines=lambda items: instances(OrderItem, items, product=Product)
        )
        assert _values(built) == _values(loaded)
        assert not built._state.adding
        assert [_values(line) for line in built.lines] == [_values(item) for item in expected]
        assert [_values(line.product) for line in built.lines] == [
            _values(item.product) for item in expected
        ]
        assert built.return_window_ends_at.tzinfo is not None
        assert built.get_status_display() == order.get_status_display()


def test_a_missing_related_row_is_none_and_an_empty_list_is_empty():
    customer = CustomerFactory()
    author = make_agent(username="nora").user
    CustomerNote.objects.create(customer=customer, author=author, body="calls after six")
    CustomerNote.objects.create(customer=customer, author=None, body="no author")
    user = get_user_model()
    with_author = json_rows(CustomerNote, where="t.customer_id = %(c)s", order_by="t.id",
                            related={"author": json_row(user, "t.author_id")})  # fmt: skip
    nothing = json_rows(CustomerNote, where="t.customer_id = -1", order_by="t.id")
    notes, none = select_together([with_author, nothing], {"c": customer.pk})
    with connection.execute_wrapper(_no_queries):
        first, second = instances(CustomerNote, notes, author=user)
        assert first.author.get_username() == "nora"
        assert first.author_id == author.pk
        assert second.author is None
        assert instances(CustomerNote, none) == []


def test_the_history_reads_its_lists_in_one_statement(django_assert_num_queries):
    customer = CustomerFactory()
    for _ in range(3):
        OrderItemFactory(order=OrderFactory(customer=customer))
    agent = make_agent(username="ada").user
    with django_assert_num_queries(1):
        *_others, orders = _customer_lists(customer=customer, limit=20)
        assert [len(order.lines) for order in orders] == [1, 1, 1]
        assert orders[0].lines[0].product.name
    history = customer_history(customer=customer, user=agent)
    assert [order.pk for order in history.orders] == list(
        customer.orders.order_by("-placed_at").values_list("pk", flat=True)
    )


def test_plain_rows_come_back_as_the_orm_loads_them():
    event = event_record(kind="ticket.reopened", ticket_id=2**40,
                         data={"from": "solved", "names": ["Ümit", "Zoë"], "n": 1.5})  # fmt: skip
    raw = b"From: kim@example.com\r\n\r\n\x00\xff caf\xc3\xa9"
    payload = InboundPayload.objects.create(
        source=InboundPayload.Source.PIPE, dedupe_key="k", raw_sha256="s", raw=raw, size=len(raw)
    )
    (built,) = rows_select(Event, where="t.id = %s", params=[event.pk])
    assert _values(built) == _values(Event.objects.get(pk=event.pk))
    assert built.data["names"] == ["Ümit", "Zoë"]
    assert not built._state.adding
    (row,) = rows_select(InboundPayload, where="t.dedupe_key = %(key)s", params={"key": "k"})
    assert bytes(row.raw) == raw
    assert _values(row) == _values(InboundPayload.objects.get(pk=payload.pk))
    assert rows_select(Event, where="t.id = %s", params=[-1]) == []


def test_rows_are_read_in_order_under_the_lock_with_the_extra_expressions_run():
    first = event_record(kind="a.one", data={})
    second = event_record(kind="a.two", data={})
    with CaptureQueriesContext(connection) as captured:
        rows = rows_select(
            Event, where="t.kind LIKE %s", params=["a.%"], order_by="t.id DESC",
            lock="FOR UPDATE SKIP LOCKED", also=["set_config('application_name', 'rows', true)"],
        )  # fmt: skip
    assert [row.pk for row in rows] == [second.pk, first.pk]
    (statement,) = captured.captured_queries
    assert statement["sql"].endswith("FOR UPDATE SKIP LOCKED")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('application_name')")
        assert cursor.fetchone() == ("rows",)


def test_an_update_returns_the_rows_as_they_are_now_in_one_statement():
    kept, changed = (
        InboundPayload.objects.create(source=InboundPayload.Source.PIPE, dedupe_key=key,
                                      raw_sha256=key, raw=b"x", size=1)
        for key in ("kept", "changed")
    )  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        (row,) = rows_update(
            InboundPayload, assignments="state = %s, attempts = t.attempts + 2",
            where="t.id = %s", params=[InboundPayload.State.QUARANTINED, changed.pk],
        )  # fmt: skip
    assert len(captured.captured_queries) == 1
    assert _values(row) == _values(InboundPayload.objects.get(pk=changed.pk))
    assert (row.state, row.attempts) == (InboundPayload.State.QUARANTINED, 2)
    assert InboundPayload.objects.get(pk=kept.pk).attempts == 0
    assert rows_update(InboundPayload, assignments="size = 2", where="t.id = %s", params=[-1]) == []


def _no_queries(execute, sql, params, many, context):
    raise AssertionError(f"a query after the rows were read: {sql}")


def _customer_notes() -> str:
    return json_rows(CustomerNote, where="t.customer_id = %(c)s", order_by="t.id")


def test_a_statement_is_prepared_in_its_first_round_trip_and_run_by_name_after():
    customer = CustomerFactory()
    CustomerNote.objects.create(customer=customer, body="prefers email, 100% sure")
    with CaptureQueriesContext(connection) as first:
        (rows,) = select_together([_customer_notes()], {"c": customer.pk})
    with CaptureQueriesContext(connection) as second:
        (again,) = select_together([_customer_notes()], {"c": customer.pk})

    assert len(first) == len(second) == 1
    assert first[0]["sql"].startswith("PREPARE rows_")
    assert second[0]["sql"].startswith("EXECUTE rows_")
    assert [row["body"] for row in rows] == [row["body"] for row in again]
    assert rows[0]["body"] == "prefers email, 100% sure"
    other = CustomerFactory()
    assert select_together([_customer_notes()], {"c": other.pk}) == ([],)  # new values


@pytest.mark.django_db(transaction=True)
def test_a_call_that_failed_after_preparing_leaves_the_next_one_working():
    customer = CustomerFactory()
    CustomerNote.objects.create(customer=customer, body="call after six")
    slow = "(SELECT count(*) FROM pg_sleep(0.3) WHERE %(c)s::bigint > 0)"
    with pytest.raises(QueryTooSlowError), statement_timeout(50):
        select_together([slow, _customer_notes()], {"c": customer.pk})  # prepared, then cancelled
    with CaptureQueriesContext(connection) as retried:
        count, rows = select_together([slow, _customer_notes()], {"c": customer.pk})

    assert retried[0]["sql"].startswith("DEALLOCATE ALL; PREPARE")
    assert (count, [row["body"] for row in rows]) == (1, ["call after six"])
    connection.close()  # a new connection has nothing prepared
    with CaptureQueriesContext(connection) as reconnected:
        select_together([_customer_notes()], {"c": customer.pk})
    assert reconnected[0]["sql"].startswith("PREPARE")


@pytest.mark.django_db(transaction=True)
def test_statements_dropped_behind_its_back_fail_once_then_are_prepared_again():
    customer = CustomerFactory()
    select_together([_customer_notes()], {"c": customer.pk})
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a pooler's DISCARD ALL would
    with pytest.raises(DatabaseError, match="does not exist"):
        select_together([_customer_notes()], {"c": customer.pk})
    assert select_together([_customer_notes()], {"c": customer.pk}) == ([],)
