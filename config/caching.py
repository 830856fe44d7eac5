"""Cached data (never markup) that survives an unreachable Redis, and entries an older release wrote."""

from __future__ import annotations

import contextlib
import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
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


# This process's copies of values whose key moves with all they hold (the plan page's data): a copy
# saves the Redis round trip and the unpickling, ~0.6 ms of the plan page's ~5.6 ms of CPU. A copy
# lives COPY_SECONDS at most, so what the key does not cover (catalog names) is at most that much
# staler than the cache itself lets it be.
_copies: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_copies_lock = threading.Lock()
COPIES = 256
COPY_SECONDS = 30


def cached_with_copy[T](key: str, make: Callable[[], T], seconds: int) -> T:
    """cached(), with this process's copy in front for up to COPY_SECONDS (read-only to every caller).
    A cache configured to keep nothing (the benchmarks' DummyCache) gets no copies either."""
    if isinstance(caches["default"], DummyCache):
        return make()
    now = time.monotonic()
    with _copies_lock:
        copy = _copies.get(key)
        if copy is not None and copy[0] > now:
            _copies.move_to_end(key)
            return copy[1]
    value = cached(key, make, seconds)
    with _copies_lock:
        _copies[key] = (now + COPY_SECONDS, value)
        _copies.move_to_end(key)
        while len(_copies) > COPIES:
            _copies.popitem(last=False)
    return value


def forget_copies() -> None:
    """Drop this process's copies (the tests' cache reset)."""
    with _copies_lock:
        _copies.clear()
