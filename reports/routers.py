"""Report reads may go to a read replica: when ``DATABASE_REPLICA_URL`` is set, the
settings add a ``replica`` database and this router sends the reports app's reads there
(writes, and every other app, stay on ``default``). Raw report queries ask
``report_database()`` for the same alias."""

from __future__ import annotations

from typing import Any

from django.conf import settings

REPLICA = "replica"


def report_database() -> str:
    return REPLICA if REPLICA in settings.DATABASES else "default"


class ReportsRouter:
    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if model._meta.app_label == "reports":
            return report_database()
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"
