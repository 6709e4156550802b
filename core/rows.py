"""Several small lists in one statement: model instances from rows PostgreSQL returns as
JSON.

A page that shows a dozen short lists of one customer (addresses, consents, notes,
orders) pays more for the round trips and the ORM's work per query than for the rows
themselves. ``json_rows`` gives the SQL that returns one list as a JSON array, so one
statement can carry all of them; ``instances`` turns each array back into model
instances that behave as if the ORM had loaded them: every concrete column, each value
through its field's ``to_python``, related rows attached as the related objects.

Those statements come back with every page load and PostgreSQL spent several times
longer planning them than running them, so each is prepared once per database
connection (``PREPARE``, in the round trip of its first use) and executed by name
after that; after its fifth run PostgreSQL keeps one plan for it."""

from __future__ import annotations

import hashlib
import re
import weakref
from collections.abc import Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, models

# Per database connection (the driver's own, which a reconnect replaces): the names of
# the statements prepared on it, and whether one call failed before it was known if
# its PREPARE had run (then every statement of that connection is dropped, DEALLOCATE
# ALL, and prepared afresh).
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_UNSURE = "unsure"
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def select_together(parts: list[str], params: dict[str, Any]) -> tuple:
    """One statement of several scalar subqueries (``json_rows``, ``json_row`` or any
    other), in one round trip: their values, in order. ``params`` are named
    (``%(customer)s``) and each is used where PostgreSQL can tell its type."""
    sql = "SELECT " + ", ".join(parts)
    names = sorted(params)
    name = "rows_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:24]
    execute = f"EXECUTE {name}({', '.join(f'%({key})s' for key in names)})" if names else (
        f"EXECUTE {name}"
    )  # fmt: skip
    with connection.cursor() as cursor:
        prepared = _PREPARED.setdefault(cursor.connection, set())
        unsure = _UNSURE in prepared
        if unsure or name not in prepared:
            numbered = _PLACEHOLDER.sub(lambda match: f"${names.index(match[1]) + 1}", sql)
            execute = f"PREPARE {name} AS {numbered}; {execute}"
            if unsure:
                execute = f"DEALLOCATE ALL; {execute}"
                prepared.clear()
            prepared.add(_UNSURE)  # until this call has run
        try:
            cursor.execute(execute, params)
        except Exception:
            prepared.add(_UNSURE)
            raise
        prepared.discard(_UNSURE)
        prepared.add(name)
        return cursor.fetchone()


def json_rows(
    model: type[models.Model], *, where: str, order_by: str, limit: int | None = None,
    related: dict[str, str] | None = None, alias: str = "t",
) -> str:  # fmt: skip
    """A scalar subquery: the model's rows matching ``where`` (SQL over ``alias``), in
    ``order_by``, as a JSON array of objects with every column. ``related`` adds one
    member per name: a SQL expression giving that related object's row (or rows) as JSON,
    for example ``json_row(User, "t.author_id")``. A nested list takes another alias."""
    extra = "".join(f', {sql} AS "{name}"' for name, sql in (related or {}).items())
    cut = f" LIMIT {int(limit)}" if limit is not None else ""
    return (
        f"(SELECT coalesce(json_agg(r), '[]') FROM (SELECT {alias}.*{extra} "  # noqa: S608
        f"FROM {model._meta.db_table} {alias} WHERE {where} ORDER BY {order_by}{cut}) r)"
    )


def json_row(
    model: type[models.Model], key_sql: str, *, related: dict[str, str] | None = None,
    alias: str = "x",
) -> str:  # fmt: skip
    """A scalar subquery: the one row of ``model`` whose primary key is ``key_sql``, as
    JSON (null when there is none); ``related`` as in ``json_rows``."""
    table, pk = model._meta.db_table, model._meta.pk.column
    extra = "".join(f', {sql} AS "{name}"' for name, sql in (related or {}).items())
    return (
        f"(SELECT row_to_json(r) FROM (SELECT {alias}.*{extra} FROM {table} {alias} "  # noqa: S608
        f"WHERE {alias}.{pk} = {key_sql}) r)"
    )


def instances(
    model: type[models.Model], rows: Iterable[dict[str, Any]] | None, **related: Any
) -> list[models.Model]:
    """Model instances of JSON rows from ``json_rows``. ``related`` names a member that
    holds a related row and says how to build it: a model for a related object, forward
    or reverse one-to-one (``author=User``), or a function of the rows for anything else
    (a list to keep)."""
    fields = [(field.attname, field) for field in model._meta.concrete_fields]
    names = [name for name, _field in fields]
    built = []
    for row in rows or ():
        obj = model.from_db(
            DEFAULT_DB_ALIAS, names, [field.to_python(row[name]) for name, field in fields]
        )
        for name, build in related.items():
            value = row.get(name)
            if isinstance(build, type) and issubclass(build, models.Model):
                if value is None:  # known to be missing: never looked up again later
                    model._meta.get_field(name).set_cached_value(obj, None)
                else:
                    setattr(obj, name, instances(build, [value])[0])
            else:
                setattr(obj, name, build(value))
        built.append(obj)
    return built
