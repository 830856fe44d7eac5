"""Who is asking from where, and how often: the client address behind a trusted proxy, login
throttling for django-axes, and the cache-backed rate limits (django-ratelimit) every view shares."""

import ipaddress
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage, is_ratelimited
from redis.exceptions import RedisError

LOGIN_FAILURES = "login-failures"


def client_ip(request: HttpRequest) -> str:
    """The client's address: with BEHIND_PROXY, the one the outermost of the PROXY_COUNT trusted
    proxies saw; otherwise the socket's peer, whatever headers say.

    Each proxy appends the address of its peer to X-Forwarded-For, so the client is the
    PROXY_COUNT-th entry from the right; whatever stands left of it the client wrote itself.
    (django-ipware counts proxies whose own addresses are in the header, and its count of 0
    takes the left-most, forgeable entry: it would give every client the proxy's address.)"""
    peer = str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 (a key, not a bind address)
    if not settings.BEHIND_PROXY:
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if settings.PROXY_COUNT < 1 or len(hops) < settings.PROXY_COUNT:
        return peer
    try:
        return str(ipaddress.ip_address(hops[-settings.PROXY_COUNT]))
    except ValueError:
        return peer


def limit_reached(
    request: HttpRequest, *, group: str, rate: str, key: str | Callable[[str, HttpRequest], str] = "ip"
) -> bool:
    """Count this request against `group` (per client IP by default, or e.g. "user", "post:email")
    and say whether it is over `rate` ("5/h"). Limits are off with RATELIMIT_ENABLE=0."""
    return bool(is_ratelimited(request, group=group, key=key, rate=rate, increment=True))


def login_failures_exhausted(request: HttpRequest) -> bool:
    """Whether this client address has failed LOGIN_FAILURES_PER_IP log-ins, whatever the accounts
    (password spraying stays under axes' per-account limit). Counts nothing itself."""
    return _login_failures(request, increment=False)


def login_failure_count(request: HttpRequest) -> None:
    """Count one refused log-in against the client address."""
    _login_failures(request, increment=True)


def _login_failures(request: HttpRequest, *, increment: bool) -> bool:
    rate = settings.LOGIN_FAILURES_PER_IP
    try:
        usage = get_usage(request, group=LOGIN_FAILURES, key="ip", rate=rate, increment=increment)
    except RedisError:
        return False  # axes' per-account lockout (in the database) still holds while Redis is away
    return usage is not None and usage["count"] >= usage["limit"]


def posted_email(group: str, request: HttpRequest) -> str:
    """A rate-limit key (django-ratelimit's callable form): the posted e-mail address, normalised
    so that "Prof@Example.org " and "prof@example.org" count as one."""
    return str(request.POST.get("email", "")).strip().lower()[:254]


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The attempted username as axes records it: cut to its 255-character column, lower-cased."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()[:254]
