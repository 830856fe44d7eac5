"""Typed requests for views: django-htmx's details on every request, the user behind @login_required."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """Any request: django-htmx's middleware runs on all of them (django-htmx's example)."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request behind @login_required: its user is one of ours, never anonymous."""

    user: User  # type: ignore[assignment]
