"""The learner's own data: download everything as JSON (accounts.data gathers it), delete the account."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from accounts.data import deletion_counts, learner_data, user_delete
from accounts.forms import DeleteAccountForm
from accounts.http import AuthenticatedHttpRequest


@login_required
@require_safe
def data_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "accounts/data.html")


@login_required
@require_safe
def data_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    body = json.dumps(learner_data(user=user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"pathwise-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for the password, then delete the user and (by CASCADE) everything of theirs."""
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request, "accounts/delete.html", {"form": form, **deletion_counts(user=user)}, status=400
            )
        email = user.email
        user_delete(user=user)
        logout(request)
        messages.success(request, f"Your account {email} and all its data have been deleted. Goodbye!")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form, **deletion_counts(user=user)})
