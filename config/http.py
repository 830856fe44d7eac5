"""django-htmx's typed request (its example's HtmxHttpRequest): every app may use it, the catalog included."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Any request: django-htmx's middleware runs on all of them."""

    htmx: HtmxDetails
