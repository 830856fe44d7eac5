"""Who calls the API: a personal access token (Authorization: Bearer) or the browser session (with
CSRF on writes, as for the pages); every caller, anonymous ones on the catalog too, rate-limited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import get_usage
from ninja.errors import AuthorizationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from accounts.models import User
from accounts.throttling import client_ip
from api.selectors import token_find
from api.services import token_touch

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RateLimited(HttpError):
    """Over the API rate: a 429 whose Retry-After says when the window ends."""

    def __init__(self, wait: int) -> None:
        super().__init__(429, f"Too many requests: at most {settings.API_RATE}. Try again in {wait} s.")
        self.wait = wait


def rate_check(request: HttpRequest, key: str) -> None:
    """Count this request against `key` (a token, a user or an address) and refuse it over API_RATE."""
    usage = get_usage(
        request, group="api", key=lambda group, req: key, rate=settings.API_RATE, increment=True
    )
    if usage is not None and usage["should_limit"]:
        raise RateLimited(max(int(usage["time_left"]), 1))


class TokenAuth(HttpBearer):
    """A personal access token; a read-only one may only read."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_find(token)
        if found is None:
            return None
        rate_check(request, f"token:{found.pk}")
        if request.method not in SAFE_METHODS and not found.writes:
            raise AuthorizationError(
                403, "This token is read only: create a read and write token to change things."
            )
        token_touch(token=found, now=timezone.now())
        # The token's user is the request's user from here: per-user rate limits, private caching.
        request.user = found.user
        return found.user


class SessionUser(SessionAuth):
    """The logged-in browser session; ninja checks CSRF on unsafe methods, as Django does for forms."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user:
            rate_check(request, f"user:{user.pk}")
        return user


def public(request: HttpRequest) -> bool:
    """The catalog is open to anyone: counted per client address."""
    rate_check(request, f"ip:{client_ip(request)}")
    return True


LEARNER_AUTH = [TokenAuth(), SessionUser()]


def caller(request: HttpRequest) -> User:
    """The authenticated user of a request that passed LEARNER_AUTH."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
