"""Configuration that rarely changes (SLA policies, business calendars, routing rules,
staff addresses, whether any webhook endpoint exists), read once per process instead of
once per message.

``config_cached(name, build)`` keeps what ``build()`` returned in this process, tagged
with the configuration version it was built under. The version is one counter in the
shared cache (Redis), so every process sees a change:

- ``config_watch(Model, ...)`` connects a model's save and delete signals. A change
  drops this process's copies at once and, once the transaction commits, moves the
  shared version on, so every other process builds afresh on its next read. Until then
  the changing thread reads the database directly (it sees its own uncommitted rows,
  and a rollback leaves nothing behind).
- Writes that send no signals (``QuerySet.update``, ``bulk_create``, raw SQL) call
  ``config_changed()`` themselves; every ``migrate`` (and a test database's flush) does.
- When the shared cache cannot be reached, every read goes to the database.
- ``config_snapshot()`` reads the version once for a unit of work (one inbound message)
  instead of once per lookup.

The version is read before the rows, so a copy built while another process commits a
change carries the old version and is dropped on the next read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

logger = logging.getLogger(__name__)

VERSION_KEY = "config:version"

T = TypeVar("T")

_copies: dict[str, tuple[Any, Any]] = {}  # name -> (version, value); shared by threads
_changing = threading.local()  # this thread changed configuration in an open transaction
_snapshot = threading.local()  # the version this thread's current unit of work reads


def _version() -> Any:
    """The shared version, started at a fresh value when the key is missing (a flushed
    cache must not bring back a version some process still holds copies for)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def config_cached(name: str, build: Callable[[], T]) -> T:
    """What ``build()`` returns, from this process's copy while the configuration has
    not changed. ``build`` must return a value nobody mutates (tuples, frozen
    dataclasses, copies made by the caller)."""
    if getattr(_changing, "active", False):
        if transaction.get_connection().in_atomic_block:
            return build()
        _changing.active = False  # that transaction rolled back
    version = getattr(_snapshot, "version", None)
    if version is None:
        try:
            version = _version()
        except Exception as error:  # no shared cache: the database is the truth
            logger.debug("configuration cache unavailable: %s", error)
            return build()
    held = _copies.get(name)
    if held is not None and held[0] == version:
        return held[1]
    value = build()
    _copies[name] = (version, value)
    return value


@contextmanager
def config_snapshot() -> Iterator[None]:
    """Read the shared version once for a unit of work (one inbound message), not once
    per lookup: the work sees the configuration as it stood when it began, as a
    transaction sees rows. A change made inside it is still seen at once."""
    if getattr(_snapshot, "version", None) is not None:
        yield  # already inside one
        return
    try:
        _snapshot.version = _version()
    except Exception as error:
        logger.debug("configuration cache unavailable: %s", error)
    try:
        yield
    finally:
        _snapshot.version = None


def _publish() -> None:
    _copies.clear()
    _changing.active = False
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet: any fresh one will do
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception as error:  # other processes keep their copies until it is back
        logger.warning("could not publish a configuration change: %s", error)


def config_changed() -> None:
    """Configuration changed in the current transaction (or just now, outside one)."""
    _copies.clear()
    if transaction.get_connection().in_atomic_block:
        _changing.active = True
        transaction.on_commit(_publish)
    else:
        _publish()


def config_clear() -> None:
    """Forget this process's copies (tests start from the database)."""
    _copies.clear()
    _changing.active = False


def config_watch(model: type[models.Model], *, fields: Iterable[str] | None = None) -> None:
    """Treat saves and deletes of ``model`` as configuration changes; with ``fields``,
    only saves that may change one of them (a user's last login is not configuration).
    A many-to-many ``through`` model (``AgentProfile.teams.through``) is watched through
    ``add``/``remove``/``set``/``clear`` too, which send no save signals."""
    watched = frozenset(fields) if fields is not None else None
    uid = f"config_watch:{model._meta.label}"

    def saved(sender, update_fields=None, **kwargs) -> None:
        if watched is None or update_fields is None or watched & set(update_fields):
            config_changed()

    def deleted(sender, **kwargs) -> None:
        config_changed()

    def m2m(sender, action: str, **kwargs) -> None:
        if action.startswith("post_"):
            config_changed()

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid)
    if model._meta.auto_created:
        m2m_changed.connect(m2m, sender=model, weak=False, dispatch_uid=uid)


def _migrated(sender, **kwargs) -> None:
    config_changed()


post_migrate.connect(_migrated, weak=False, dispatch_uid="config_cache:migrated")
