"""Report reads may go to a read replica: when ``DATABASE_REPLICA_URL`` is set, the
settings add a ``replica`` database and this router sends the reports app's reads there
(writes, and every other app, stay on ``default``). Raw report queries ask
``report_database()`` for the same alias."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections, transaction

REPLICA = "replica"
_open: ContextVar[dict[str, Any] | None] = ContextVar("report_session", default=None)


def report_database() -> str:
    return REPLICA if REPLICA in settings.DATABASES else "default"


@contextmanager
def report_session(*, using: str | None = None) -> Iterator[Any]:
    """A transaction on the report database, and a cursor in it, with PostgreSQL's JIT
    off: the planner cannot estimate the per-hour range joins of the rollups, rates them
    expensive, and compiling them costs seconds where running them costs milliseconds."""
    alias = using or report_database()
    sessions = _open.get() or {}
    if alias in sessions:  # inside a session already (a dashboard's several reads)
        yield sessions[alias]
        return
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        token = _open.set({**sessions, alias: cursor})
        try:
            yield cursor
        finally:
            _open.reset(token)


class ReportsRouter:
    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if model._meta.app_label == "reports":
            return report_database()
        # Inside a report session on the replica, other apps' selectors read there too.
        if REPLICA in (_open.get() or {}):
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"
