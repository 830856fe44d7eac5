"""The form that makes a personal access token on the settings page."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from api.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=80, help_text='What the token is for, e.g. "Obsidian sync" or "team chat bot".'
    )
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="Read only can see your plan and progress; read and write can also change statuses and notes.",
    )
    expires_on = forms.DateField(
        required=False,
        label="Expires on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional. The token stops working at the start of this day (UTC).",
    )

    def clean_expires_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("expires_on")
        if day is not None and not timezone.now().date() < day <= timezone.now().date() + dt.timedelta(
            days=3650
        ):
            raise forms.ValidationError("Choose a day after today, within ten years.")
        return day

    def expires_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("expires_on")
        return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC) if day else None
