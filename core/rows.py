"""Several small lists in one statement: model instances from rows PostgreSQL returns as
JSON.

A page that shows a dozen short lists of one customer (addresses, consents, notes,
orders) pays more for the round trips and the ORM's work per query than for the rows
themselves. ``json_rows`` gives the SQL that returns one list as a JSON array, so one
statement can carry all of them; ``instances`` turns each array back into model
instances that behave as if the ORM had loaded them: every concrete column (or those
``json_rows`` was told to read, the others deferred), each value through its field's
``to_python``, related rows attached as the related objects.

Those statements come back with every page load and PostgreSQL spent several times
longer planning them than running them, so each is prepared once per database
connection (``PREPARE``, in the round trip of its first use) and executed by name
after that; after its fifth run PostgreSQL keeps one plan for it.

``rows_select`` (and ``rows_update``) is the same idea for the few statements an inbound
worker runs for every message (claiming the payload, the ticket and its SLA clocks under
their row locks): one plain statement, rows straight into model instances."""

from __future__ import annotations

import functools
import hashlib
import re
import weakref
from collections.abc import Iterable, Sequence
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
    names = sorted(set(_PLACEHOLDER.findall(sql)))  # the ones used, whatever else is given
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
    related: dict[str, str] | None = None, alias: str = "t", columns: Sequence[str] = (),
) -> str:  # fmt: skip
    """A scalar subquery: the model's rows matching ``where`` (SQL over ``alias``), in
    ``order_by``, as a JSON array of objects with every column (only ``columns``, when
    given). ``related`` adds one member per name: a SQL expression giving that related
    object's row (or rows) as JSON, for example ``json_row(User, "t.author_id")``, or any
    other value. A nested list takes another alias."""
    select = ", ".join(f'{alias}."{column}"' for column in columns) or f"{alias}.*"
    extra = "".join(f', {sql} AS "{name}"' for name, sql in (related or {}).items())
    cut = f" LIMIT {int(limit)}" if limit is not None else ""
    return (
        f"(SELECT coalesce(json_agg(r), '[]') FROM (SELECT {select}{extra} "  # noqa: S608
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
    fields = names = None
    built = []
    for row in rows or ():
        if fields is None:  # the columns read: every one, or those json_rows was given
            fields = [(field.attname, field) for field in model._meta.concrete_fields
                      if field.attname in row]  # fmt: skip
            names = [name for name, _field in fields]
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


@functools.cache
def _columns(model: type[models.Model], alias: str) -> tuple[str, list[str], list[list]]:
    """The select list of every concrete column of ``model`` over ``alias``, their
    attribute names, and each column's converters as the ORM applies them."""
    fields = model._meta.concrete_fields
    select = ", ".join(f'{alias}."{field.column}"' for field in fields)
    converters = []
    for field in fields:
        column = field.get_col(alias)
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.append([(function, column) for function in functions])
    return select, [field.attname for field in fields], converters


def rows_select(
    model: type[models.Model], *, where: str, params: Sequence[Any] | dict[str, Any],
    order_by: str = "", lock: str = "", also: Sequence[str] = (), alias: str = "t",
) -> list[models.Model]:  # fmt: skip
    """Model instances of ``model``'s rows matching ``where`` (SQL over ``alias``), read
    with one plain statement: for the few reads a worker makes for every message, where
    building the query costs the ORM more than the database takes to answer it. Every
    concrete column comes back through its field's converters, as the ORM loads it.
    ``lock``: a locking clause ("FOR UPDATE", "FOR UPDATE SKIP LOCKED"); ``also``: more
    SQL expressions evaluated for each row (for their effect; their values are dropped)."""
    select, _names, _converters = _columns(model, alias)
    extra = "".join(f", {expression}" for expression in also)
    order = f" ORDER BY {order_by}" if order_by else ""
    sql = (
        f"SELECT {select}{extra} FROM {model._meta.db_table} {alias} "  # noqa: S608
        f"WHERE {where}{order} {lock}"
    )
    return _built(model, alias, sql, params)


def rows_update(
    model: type[models.Model], *, assignments: str, where: str,
    params: Sequence[Any] | dict[str, Any], also: Sequence[str] = (), alias: str = "t",
) -> list[models.Model]:  # fmt: skip
    """``UPDATE`` the rows of ``model`` matching ``where`` with ``assignments`` (SQL, for
    example "state = %s, attempts = t.attempts + 1") and return them as they are now, as
    ``rows_select`` does: a change and the read of its row in one round trip. Like
    ``QuerySet.update`` it sends no signals."""
    select, _names, _converters = _columns(model, alias)
    extra = "".join(f", {expression}" for expression in also)
    sql = (
        f"UPDATE {model._meta.db_table} {alias} SET {assignments} "  # noqa: S608
        f"WHERE {where} RETURNING {select}{extra}"
    )
    return _built(model, alias, sql, params)


def _built(
    model: type[models.Model], alias: str, sql: str, params: Sequence[Any] | dict[str, Any]
) -> list[models.Model]:
    _select, names, converters = _columns(model, alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    width = len(names)
    built = []
    for row in rows:
        values = list(row[:width])
        for index, functions in enumerate(converters):
            for convert, column in functions:
                values[index] = convert(values[index], column, connection)
        built.append(model.from_db(DEFAULT_DB_ALIAS, names, values))
    return built
