"""Request id and structured access logging for every request."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import patch_cache_control
from django.utils.functional import empty

from config.logging import redact_path, request_id_var

access_log = logging.getLogger("pathwise.access")

# An id from a proxy or client is kept only if it cannot smuggle anything into logs or headers.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    # Never load the user just for the log line: that would add a query to pages that did not need it.
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestIdMiddleware:
    """Give each request an id (X-Request-ID if sane), echo it back, and log one JSON access line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            # Redacted in the record itself, not only by the handlers' filter: no handler added
            # later (an error tracker's) can see a token.
            path = redact_path(request.path)
            access_log.info(
                "%s %s %s %sms",
                request.method,
                path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path_info:
        return True
    sources = [request.GET, request.COOKIES]
    if request.method == "POST":
        sources.append(request.POST)
    for data in sources:
        items = data.lists() if hasattr(data, "lists") else ((k, [v]) for k, v in data.items())
        for key, values in items:
            if NUL in key or any(NUL in value for value in values):
                return True
    return False


class RejectNulMiddleware:
    """Answer 400 to a NUL character anywhere in the path, query, cookies or form data.

    No form accepts one, and PostgreSQL refuses it in any text parameter: a NUL in a URL
    parameter (a mentorship key) or a cookie (the session key) would otherwise end in a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return HttpResponseBadRequest(
                "Bad request: it contains a NUL character (\\0), which no page or form accepts.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Mark every response to a logged-in user `Cache-Control: private, no-store`: plans, notes,
    mentees and account data must stay out of shared caches and off the browser's disk (a shared
    computer's back button). A view whose Cache-Control says `public` keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        directives = {
            part.split("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(",")
        }
        # Decided already (never_cache on /healthz/ping): no user lookup for it.
        if "public" in directives or {"private", "no-store"} <= directives:
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
