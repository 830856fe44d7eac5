"""Shared fixtures: service requirements, the browser, the sample catalog and the role world."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

if TYPE_CHECKING:  # imported by the fixtures themselves: Django is set up by then
    from tests.celery_utils import SmtpSink
    from tests.plans import Catalog
    from tests.roles import World

# The property tests: on CI (.ci/run sets HYPOTHESIS_PROFILE=ci) the same examples on every run, so a
# landing never rests on the luck of the draw; `make test` elsewhere keeps drawing new ones, and a case
# it finds becomes an @example of its test.
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Browser tests run Django's live server in a thread next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing(item: pytest.Item) -> str | None:
    """Why a test needing a real service cannot run here, or None."""
    if item.get_closest_marker("e2e") and not os.path.exists(CHROMIUM):
        return f"Chromium not found at {CHROMIUM}"
    if item.get_closest_marker("postgres") and not settings.IS_POSTGRES:
        return "DATABASE_URL does not point at PostgreSQL"
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        return "REDIS_URL is not set"
    if item.get_closest_marker("compose") and not shutil.which("docker-compose"):
        return "docker-compose is not installed"
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: needs the real PostgreSQL (DATABASE_URL)")
    config.addinivalue_line("markers", "redis: needs the real Redis (REDIS_URL), e.g. a Celery worker")
    config.addinivalue_line("markers", "compose: needs the docker-compose binary (no Docker engine)")
    # Password hashing is deliberately slow; tests of behaviour don't need it (≈0.3 s per login).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a service, deselect (not skip) its tests, saying so; in CI a missing service fails."""
    kept, dropped = [], []
    reasons: set[str] = set()
    for item in items:
        reason = _missing(item)
        if reason is None:
            kept.append(item)
            continue
        if REQUIRE_SERVICES:
            raise pytest.UsageError(f"REQUIRE_SERVICES=1 but {reason} (needed by {item.nodeid})")
        dropped.append(item)
        reasons.add(reason)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
        print(f"\nDeselected {len(dropped)} service-backed tests: {'; '.join(sorted(reasons))}")


@pytest.fixture(autouse=True)
def celery_tasks_in_process() -> Iterator[None]:
    """Tasks run in-process even when REDIS_URL is set (CI): no test needs a worker unless it
    starts one itself (tests/reminders/test_worker.py, in subprocesses with their own settings)."""
    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache: rate-limit counters and cached pages never leak across tests."""
    _clear_cache()
    yield
    _clear_cache()


def _clear_cache() -> None:
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from config.caching import forget_copies

    forget_copies()

    cache = caches["default"]  # the backend itself: `django.core.cache.cache` is a proxy
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    # Redis also holds the Celery broker's queues and bindings (same database): delete only the
    # cache's own keys (":<version>:<key>"), never FLUSHDB under a running worker.
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=":*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def catalog(db: None) -> Catalog:
    """The sample catalog of tests/plans.py: a core track of two stages and an NLP track sharing
    Git with it, prerequisites, a course, a project idea, a retired exam and its successor."""
    from tests.plans import sample_catalog

    return sample_catalog()


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The role world of tests/roles.py (anonymous, learner, other learner, mentor, unrelated
    user, staff, with the learner's plan, progress, evidence and mentorships), built once per
    module; each test's own writes are rolled back after it, the world after the module."""
    from tests.roles import module_world

    with module_world(django_db_blocker) as built:
        yield built


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """A real SMTP server on 127.0.0.1 (aiosmtpd in a thread), for the tests with a real worker."""
    from tests.celery_utils import SmtpSink

    with SmtpSink() as sink:
        yield sink
