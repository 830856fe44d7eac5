"""Operational endpoints: the health check for load balancers, a trivial view for load baselines, and
/favicon.ico for clients that ask for it without reading the page's icon link."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@cache
def _redis_client(url: str) -> redis.Redis:
    # One client (and connection pool) per process; short timeouts so a dead Redis fails fast.
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _check_db() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    _redis_client(settings.REDIS_URL).ping()
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database (and Redis, when configured) answer, 503 naming what failed."""
    checks: dict[str, str] = {}
    for name, check in (("db", _check_db), ("redis", _check_redis)):
        try:
            checks[name] = check()
        except Exception as exc:
            logger.warning("health check %s failed: %r", name, exc)
            checks[name] = f"error: {type(exc).__name__}"
    healthy = all(not value.startswith("error") for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


@never_cache
@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest response the full middleware stack can give: the load test's baseline."""
    return HttpResponse("ok", content_type="text/plain")


@cache
def _favicon() -> bytes:
    return Path(settings.BASE_DIR, "static", "favicon.svg").read_bytes()


@cache_control(public=True, max_age=86400)
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """The site's icon (the SVG base.html links) at the address browsers and feed readers try first."""
    return HttpResponse(_favicon(), content_type="image/svg+xml")
