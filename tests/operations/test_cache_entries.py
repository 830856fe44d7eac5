"""A cache entry an older release wrote (a class since moved or renamed) is made afresh, never a 500."""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from config.caching import cached
from tests.plans import Catalog, signed_in_learner

# A pickle of an instance of tests.nowhere.Moved: how an entry looks to a release where its class
# no longer lives at that path (the plan page's cached data after a module became a package).
FROM_AN_OLDER_RELEASE = b"ctests.nowhere\nMoved\n)\x81."


def _backend() -> Any:
    return caches["default"]  # the backend itself: `django.core.cache.cache` is a proxy


def _store_raw(key: str, raw: bytes) -> None:
    cache = _backend()
    full_key = cache.make_and_validate_key(key)
    if isinstance(cache, RedisCache):
        cache._cache.get_client(write=True).set(full_key, raw)
    else:
        cache._cache[full_key] = raw
        cache._expire_info[full_key] = None


def test_an_entry_this_release_cannot_read_is_made_afresh_and_replaced() -> None:
    _store_raw("old-entry", FROM_AN_OLDER_RELEASE)
    made: list[int] = []

    def make() -> dict[str, Any]:
        made.append(1)
        return {"fresh": True}

    assert cached("old-entry", make, 60) == {"fresh": True}
    assert cached("old-entry", make, 60) == {"fresh": True}
    assert made == [1]  # replaced: the second read finds the new entry


def test_the_plan_page_answers_when_its_cached_data_came_from_an_older_release(
    client: Any, catalog: Catalog
) -> None:
    signed_in_learner(client, catalog.core)
    first = client.get(reverse("roadmap:plan"))
    assert first.status_code == 200
    keys = _cache_keys()
    assert keys  # the plan's data and the catalog's graph are cached now
    for key in keys:
        _store_raw(key, FROM_AN_OLDER_RELEASE)
    again = client.get(reverse("roadmap:plan"))
    assert again.status_code == 200
    assert again.content.count(b'class="plan-row') == first.content.count(b'class="plan-row')


def _cache_keys() -> list[str]:
    """The cache's own keys (":<version>:<key>"), less the catalog's version stamp (an int)."""
    cache = _backend()
    if isinstance(cache, RedisCache):
        raw = [k.decode() for k in cache._cache.get_client().scan_iter(match=":*")]
    else:
        raw = list(cache._cache)
    keys = [k.split(":", 2)[2] for k in raw]
    return [k for k in keys if k != "catalog:version" and not k.startswith("rl:")]


def test_a_process_copy_is_served_until_it_expires(monkeypatch: Any) -> None:
    from config import caching

    made: list[int] = []

    def make() -> list[int]:
        made.append(1)
        return [len(made)]

    clock = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: clock[0])
    first = caching.cached_with_copy("copied-entry", make, 300)
    _backend().delete("copied-entry")  # gone from the cache: the process's copy still answers
    assert caching.cached_with_copy("copied-entry", make, 300) is first and made == [1]
    clock[0] += caching.COPY_SECONDS + 1  # the copy has expired: the cache is asked, and makes it again
    assert caching.cached_with_copy("copied-entry", make, 300) == [2]


def test_no_process_copy_when_the_cache_keeps_nothing(settings: Any) -> None:
    from config import caching

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    made: list[int] = []
    for _ in range(2):
        caching.cached_with_copy("uncopied-entry", lambda: made.append(1), 300)
    assert made == [1, 1]  # what the benchmarks measure as uncached is made every time
