"""Cached data (never markup) that survives an unreachable Redis: then it is made afresh each time."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from django.core.cache import cache
from redis.exceptions import RedisError


def cached[T](key: str, make: Callable[[], T], seconds: int) -> T:
    """`make()`, kept in the cache under `key` for `seconds`; made afresh when Redis cannot be reached."""
    try:
        value = cache.get(key)
    except RedisError:
        return make()
    if value is None:
        value = make()
        with contextlib.suppress(RedisError):
            cache.set(key, value, seconds)
    return value
