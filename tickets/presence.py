"""Who else has a ticket open, and who is typing: short-lived entries in Redis.

Each open ticket page polls every few seconds; an entry lives ``TTL`` seconds, so a
closed tab disappears on its own. Nothing here touches PostgreSQL."""

from __future__ import annotations

import json
import time
from functools import cache

import redis
from django.conf import settings

TTL = 20


@cache
def _client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def _key(ticket_id: int) -> str:
    return f"helpdesk:presence:ticket:{ticket_id}"


def presence_touch(*, ticket_id: int, user_id: int, name: str, typing: bool) -> None:
    now = time.time()
    client = _client()
    pipe = client.pipeline()
    pipe.hset(
        _key(ticket_id), str(user_id), json.dumps({"name": name, "typing": typing, "at": now})
    )
    pipe.expire(_key(ticket_id), TTL)
    pipe.execute()


def presence_others(*, ticket_id: int, user_id: int) -> list[dict]:
    """The other agents on this ticket within the last TTL seconds."""
    now = time.time()
    others = []
    for uid, raw in _client().hgetall(_key(ticket_id)).items():
        if int(uid) == user_id:
            continue
        entry = json.loads(raw)
        if now - entry["at"] <= TTL:
            others.append(entry)
    return sorted(others, key=lambda e: e["name"])
