"""The learner's reminder settings form."""

from __future__ import annotations

from django import forms

from accounts.models import time_zone_choices
from reminders.models import ReminderPreference

HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]


class ReminderSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Reminder e-mails",
        choices=ReminderPreference.Frequency.choices,
        widget=forms.RadioSelect,
        help_text="Off also stops nudges and, for mentors, the weekly digest.",
    )
    weekday = forms.TypedChoiceField(
        label="On (weekly reminders)", choices=ReminderPreference.Weekday.choices, coerce=int
    )
    hour = forms.TypedChoiceField(label="At", choices=HOUR_CHOICES, coerce=int)
    time_zone = forms.ChoiceField(
        label="Your time zone", choices=time_zone_choices, help_text="Reminders arrive at your local hour."
    )
