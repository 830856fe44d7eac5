"""The learner's token settings page: make a token (shown once), see when each was last used, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.throttling import limit_reached
from api.forms import TokenForm
from api.models import ApiToken
from api.selectors import user_tokens
from api.services import TokenError, token_create, token_revoke

TOKEN_CREATION_RATE = "20/h"  # noqa: S105 (a rate, not a secret)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = raw = None
    status = 200
    if request.method == "POST" and form.is_valid():
        if limit_reached(request, group="api-token", rate=TOKEN_CREATION_RATE, key="user"):
            form.add_error(None, "You have made many tokens in the last hour: wait a while, then try again.")
            status = 429
        else:
            try:
                created, raw = token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    expires_at=form.expires_at(),
                )
                form = TokenForm()
            except TokenError as exc:
                form.add_error(None, str(exc))
    elif request.method == "POST":
        status = 400
    # The new token is in this response only: rendered, never redirected through the session.
    context = {"form": form, "tokens": user_tokens(user=request.user), "created": created, "raw": raw}
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(user=request.user, token_id=token.pk)
    messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("api_tokens")
