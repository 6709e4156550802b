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
    """Run the block in a transaction whose every statement is cancelled after
    ``milliseconds``; raises ``QueryTooSlowError`` when one is. Evaluate the querysets
    inside the block: a lazy one evaluated later runs without the limit."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Local to the transaction: the limit never leaks to the next request on a
                # persistent connection. Inside an outer transaction this block is a
                # savepoint, which a cancelled statement rolls back (the setting with
                # it); on success the old value is put back by hand.
                cursor.execute(
                    "SELECT current_setting('statement_timeout'), "
                    "set_config('statement_timeout', %s, true)", [f"{int(milliseconds)}ms"],
                )  # fmt: skip
                before = cursor.fetchone()[0]
            yield
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == QUERY_CANCELED:
            raise QueryTooSlowError(str(error)) from error
        raise
