"""A stamp that changes whenever catalog content changes, so others can cache what they derive from it."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.core.cache import cache
from redis.exceptions import RedisError

KEY = "catalog:version"


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
