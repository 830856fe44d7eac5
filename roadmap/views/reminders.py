"""Reminder e-mail settings for the learner, and the one-click unsubscribe that needs no login."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.forms import HOUR_CHOICES
from accounts.models import Profile, User, time_zone_choices
from roadmap import reminders


class LearnerRequest(HttpRequest):
    user: User  # type: ignore[assignment]


class ReminderSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Reminder e-mails",
        choices=Profile.ReminderFrequency.choices,
        widget=forms.RadioSelect,
        help_text="Off also stops nudges and, for mentors, the weekly digest.",
    )
    weekday = forms.TypedChoiceField(
        label="On (weekly reminders)", choices=Profile.Weekday.choices, coerce=int
    )
    hour = forms.TypedChoiceField(label="At", choices=HOUR_CHOICES, coerce=int)
    time_zone = forms.ChoiceField(
        label="Your time zone", choices=time_zone_choices, help_text="Reminders arrive at your local hour."
    )


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: LearnerRequest) -> HttpResponse:
    profile, _ = Profile.objects.get_or_create(user=request.user)
    initial = {
        "frequency": profile.reminder_frequency,
        "weekday": profile.reminder_weekday,
        "hour": profile.reminder_hour,
        "time_zone": profile.time_zone,
    }
    form = ReminderSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        reminders.reminder_preferences_update(profile=profile, **form.cleaned_data)
        messages.success(request, "Your reminder settings are saved.")
        return redirect("reminders:settings")
    context = {
        "form": form,
        "profile": profile,
        "schedule": reminders.reminder_schedule_label(profile),
        "next_local": reminders.profile_next_send(profile=profile),
    }
    return render(request, "roadmap/reminders/settings.html", context)


# The signed token is the credential (RFC 8058: mail providers POST here with no cookie and no
# CSRF token), so this view alone is exempt; it can only ever turn e-mails off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = reminders.unsubscribe_token_user(token=token)
    if user is None:
        return render(request, "roadmap/reminders/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        reminders.reminders_unsubscribe(user=user)
        return render(request, "roadmap/reminders/unsubscribe.html", {"done": True, "recipient": user})
    return render(request, "roadmap/reminders/unsubscribe.html", {"done": False, "recipient": user})
