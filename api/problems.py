"""RFC 9457 problem details: every error of the API as application/problem+json with a clear message."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, detail: str, *, title: str | None = None, **extra: Any) -> HttpResponse:
    """A problem response: `type` is about:blank, so `title` is the status's own phrase (RFC 9457 4.2.1)."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    body = {"type": "about:blank", "title": title or phrase, "status": status, "detail": detail, **extra}
    return HttpResponse(json.dumps(body, default=str), status=status, content_type=PROBLEM_TYPE)


# What a bare status means when a layer below the API (the URL resolver, a method check) answers it.
DETAILS = {
    400: "The request could not be read.",
    401: "Send a personal access token as 'Authorization: Bearer <token>', or log in.",
    403: "You may not do this.",
    404: "There is nothing at this address.",
    405: "This address does not take this method.",
    413: "The request body is too large.",
    429: "Too many requests: wait and try again.",
    500: "Something went wrong on our side; it has been logged.",
}


def detail_for(status: int) -> str:
    return DETAILS.get(status, HTTPStatus(status).phrase if status in HTTPStatus else "Error")
