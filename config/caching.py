"""Cached data (never markup) that survives an unreachable Redis, and entries an older release wrote."""

from __future__ import annotations

import contextlib
import logging
import pickle
from collections.abc import Callable

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What unpickling an entry written by another release raises: a class moved or renamed
# (AttributeError, ImportError), its fields changed (TypeError), or a truncated value.
UNREADABLE = (pickle.UnpicklingError, AttributeError, ImportError, TypeError, EOFError, ValueError)


def cached[T](key: str, make: Callable[[], T], seconds: int) -> T:
    """`make()`, kept in the cache under `key` for `seconds`; made afresh when Redis cannot be reached,
    and in place of an entry this release cannot read."""
    try:
        value = cache.get(key)
    except RedisError:
        return make()
    except UNREADABLE:
        logger.warning("cache entry %s unreadable by this release: made afresh", key)
        value = None
    if value is None:
        value = make()
        with contextlib.suppress(RedisError):
            cache.set(key, value, seconds)
    return value
