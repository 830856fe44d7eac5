"""The typed request of views behind @login_required (healthchecks' hc/accounts/http.py)."""

from __future__ import annotations

from accounts.models import User
from config.http import HtmxHttpRequest


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request behind @login_required: its user is one of ours, never anonymous."""

    # The stubs type HttpRequest.user as a union with AnonymousUser; @login_required narrows it.
    user: User  # type: ignore[assignment]
