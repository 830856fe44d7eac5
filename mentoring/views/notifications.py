"""Notification settings, for mentors and learners alike: how each kind of mentoring news reaches them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from mentoring.forms import NotificationSettingsForm
from mentoring.notifications import KINDS, notification_settings_get, notification_settings_update


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = notification_settings_get(user=request.user)
    initial = {kind: current.delivery(kind) for kind in KINDS}
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notification_settings_update(user=request.user, choices=form.cleaned_data)
        messages.success(request, "Your notification settings are saved.")
        return redirect("mentoring:notifications")
    status = 400 if request.method == "POST" else 200
    return render(request, "mentoring/notifications.html", {"form": form}, status=status)
