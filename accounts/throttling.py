"""Who is asking from where, and how often: the client address behind a trusted proxy, login
throttling for django-axes, and the cache-backed rate limits (django-ratelimit) every view shares."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from ipware import get_client_ip


def client_ip(request: HttpRequest) -> str:
    """The client's address: the proxy's forwarding header only when BEHIND_PROXY says a trusted
    proxy (PROXY_COUNT of them) sets it; otherwise the socket's peer, whatever headers say."""
    if settings.BEHIND_PROXY:
        ip, _routable = get_client_ip(
            request,
            proxy_count=settings.PROXY_COUNT,
            request_header_order=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        )
        if ip:
            return str(ip)
    return str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 (a key, not a bind address)


def limit_reached(
    request: HttpRequest, *, group: str, rate: str, key: str | Callable[[str, HttpRequest], str] = "ip"
) -> bool:
    """Count this request against `group` (per client IP by default, or e.g. "user", "post:email")
    and say whether it is over `rate` ("5/h"). Limits are off with RATELIMIT_ENABLE=0."""
    return bool(is_ratelimited(request, group=group, key=key, rate=rate, increment=True))


def posted_email(group: str, request: HttpRequest) -> str:
    """A rate-limit key (django-ratelimit's callable form): the posted e-mail address, normalised
    so that "Prof@Example.org " and "prof@example.org" count as one."""
    return str(request.POST.get("email", "")).strip().lower()[:254]


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The attempted username as axes records it: cut to its 255-character column, lower-cased."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()[:254]
