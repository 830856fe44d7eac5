"""A stamp that changes whenever catalog content changes, so others can cache what they derive from it."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from redis.exceptions import RedisError

from config.caching import cached

KEY = "catalog:version"
CACHE_SECONDS = 300


def catalog_version() -> str:
    """The current stamp ("" when the cache cannot be reached: then nothing should be cached)."""
    try:
        version = cache.get(KEY)
        if version is None:
            cache.add(KEY, uuid.uuid4().hex, None)
            version = cache.get(KEY)
    except RedisError:
        return ""
    return str(version or "")


def catalog_changed(**_: Any) -> None:
    """A receiver of every catalog model's saves and deletions (and the importer, which writes in bulk)."""
    with contextlib.suppress(RedisError):
        cache.set(KEY, uuid.uuid4().hex, None)


# This process's copies of the cached content values (read-only to every caller), for the current
# catalog version only: unpickling the graph on every plan read and re-plan took ~1 ms at the shipped
# catalog's size and ~5 ms at a thousand items (make bench BENCH=replan).
_local: dict[str, Any] = {}
LOCAL_ENTRIES = 64


def content_cached[T](name: str, make: Callable[[], T]) -> T:
    """`make()`, cached under the catalog's version stamp (and for at most CACHE_SECONDS), and kept in
    this process while the stamp stays the same."""
    version = catalog_version()
    if not version:
        return make()
    key = f"{name}:{version}"
    if key in _local:
        return _local[key]
    value = cached(key, make, CACHE_SECONDS)
    if len(_local) >= LOCAL_ENTRIES or any(not k.endswith(f":{version}") for k in _local):
        _local.clear()
    _local[key] = value
    return value
