"""A counter per key and hour in the shared cache, for limits on public forms."""

from __future__ import annotations

from django.core.cache import cache


def rate_exceeded(key: str, limit: int) -> bool:
    """Count one more under ``key`` for the hour; True once past ``limit``."""
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > limit
