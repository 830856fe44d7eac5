"""The typed request of views behind @login_required (healthchecks' hc/accounts/http.py), and where a
request may send its user next."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import MAX_URL_REDIRECT_LENGTH  # type: ignore[attr-defined]  # Django 6.1, not in the stubs yet
from django.utils.encoding import iri_to_uri
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import User
from config.http import HtmxHttpRequest


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request behind @login_required: its user is one of ours, never anonymous."""

    # The stubs type HttpRequest.user as a union with AnonymousUser; @login_required narrows it.
    user: User  # type: ignore[assignment]


def safe_next(request: HttpRequest, default: str) -> str:
    """The posted (or queried) `next` when it points back into this site and fits in a Location
    header (Django refuses a longer redirect with a 400), else `default`."""
    target = str(request.POST.get("next") or request.GET.get("next") or "")
    if (
        target
        and len(iri_to_uri(target)) <= MAX_URL_REDIRECT_LENGTH
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
