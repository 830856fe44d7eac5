"""The API's outer guard: bodies over the limit refused with 413 before anything reads them, and any
error answer that is not problem details yet (a 404 of the resolver, a 405, a 500) turned into one."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse

from api.problems import PROBLEM_TYPE, detail_for, problem

API_PREFIX = "/api/"
HANDLED = (Http404, PermissionDenied, SuspiciousOperation, BadRequest)
logger = logging.getLogger(__name__)


class ProblemDetailsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return problem(400, "The Content-Length header is not a number.")
        if length > settings.API_MAX_BODY_BYTES:
            return problem(
                413,
                f"The request body can be at most {settings.API_MAX_BODY_BYTES:,} bytes; this one has {length:,}.",
            )
        # Read (within the limit) before anything parses it: the session's CSRF check reads a form
        # body's stream, after which django-ninja could no longer read the body (a 500).
        request.body  # noqa: B018
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(PROBLEM_TYPE):
            replaced = problem(response.status_code, detail_for(response.status_code))
            # The answer's other headers (Allow, Retry-After, Cache-Control, the request id) stay.
            for header, value in response.items():
                if header.lower() not in ("content-type", "content-length"):
                    replaced[header] = value
            return replaced
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX) or isinstance(exception, HANDLED):
            return None  # Django answers these with their status, which __call__ turns into a problem
        logger.exception("API request failed", exc_info=exception)
        return problem(500, detail_for(500))
