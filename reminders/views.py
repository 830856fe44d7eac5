"""Reminder e-mail settings for the learner, and the one-click unsubscribe that needs no login."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from reminders import schedules, services, tokens
from reminders.forms import ReminderSettingsForm


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    preference, profile = services.preference_get_or_create(user=request.user)
    initial = {
        "frequency": preference.frequency,
        "weekday": preference.weekday,
        "hour": preference.hour,
        "time_zone": profile.time_zone,
    }
    form = ReminderSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.reminder_preferences_update(preference=preference, profile=profile, **form.cleaned_data)
        messages.success(request, "Your reminder settings are saved.")
        return redirect("reminders:settings")
    context = {
        "form": form,
        "profile": profile,
        "schedule": schedules.reminder_schedule_label(preference),
        "next_local": schedules.preference_next_send(preference=preference, time_zone=profile.time_zone),
    }
    return render(request, "reminders/settings.html", context)


# The signed token is the credential (RFC 8058: mail providers POST here with no cookie and no
# CSRF token), so this view alone is exempt; it can only ever turn e-mails off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = tokens.unsubscribe_token_user(token=token)
    if user is None:
        return render(request, "reminders/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.reminders_unsubscribe(user=user)
        return render(request, "reminders/unsubscribe.html", {"done": True, "recipient": user})
    return render(request, "reminders/unsubscribe.html", {"done": False, "recipient": user})
