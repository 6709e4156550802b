"""Bounded queries: a user-facing read that could run away (a search, a filter over a
million rows) runs under a statement timeout, and the page says "narrow your search"
when PostgreSQL cancels it, instead of hanging or answering 500."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection, transaction

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement the timeout cancelled


class QueryTooSlowError(Exception):
    """A statement in the block outlived its timeout and was cancelled."""


@contextmanager
def statement_timeout(milliseconds: int) -> Iterator[None]:
    """Run the block with every statement cancelled after ``milliseconds``; raises
    ``QueryTooSlowError`` when one is. Evaluate the querysets inside the block: a lazy
    one evaluated later runs without the limit."""
    try:
        if connection.in_atomic_block or not connection.get_autocommit():
            with _in_the_transaction(milliseconds):
                yield
        else:
            with connection.execute_wrapper(_limited(milliseconds)):
                yield
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == QUERY_CANCELED:
            raise QueryTooSlowError(str(error)) from error
        raise


def _limited(milliseconds: int):
    """Outside a transaction each statement is a transaction of its own, so the limit
    travels with it: ``SET LOCAL …; SELECT …`` in one round trip is one implicit
    transaction, and the setting ends with the statement. A page's search costs no
    extra round trips for its limit (BEGIN, the setting, COMMIT)."""
    prefix = f"SET LOCAL statement_timeout = '{int(milliseconds)}ms'; "

    def limited(execute, sql, params, many, context):
        if getattr(context["cursor"].cursor, "name", None):  # a server-side cursor
            return execute(sql, params, many, context)
        return execute(prefix + sql, params, many, context)

    return limited


@contextmanager
def _in_the_transaction(milliseconds: int) -> Iterator[None]:
    """Inside a transaction the block is a savepoint: a cancelled statement rolls it
    back (the setting with it), but on success the setting would outlive the block, so
    the old value is put back."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), "
                "set_config('statement_timeout', %s, true)", [f"{int(milliseconds)}ms"],
            )  # fmt: skip
            before = cursor.fetchone()[0]
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
