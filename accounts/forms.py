"""Forms for sign-up and the learner profile."""

import datetime as dt
import functools
import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils import timezone

from accounts.models import Profile, User
from roadmap.models import Category, Skill, Track


class SignupForm(BaseUserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email", "display_name")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this e-mail address already exists. Log in instead.")
        return email


# ---------------------------------------------------------------- profile, onboarding and settings


class DisplayNameForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("display_name",)
        labels = {"display_name": "Your name"}
        help_texts = {"display_name": "Shown to your mentors. Leave empty to show your e-mail address."}


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    """The IANA time zones, by name ("Factory" and "localtime" are not places)."""
    names = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})
    return [(name, name.replace("_", " ")) for name in names]


HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]
ID_RANGE = range(-(2**63), 2**63)


class CatalogChoicesField(forms.ModelMultipleChoiceField):
    """Checkboxes of catalog rows; an id no 64-bit column can hold is an invalid choice, not a
    database error (SQLite overflows, PostgreSQL raises) and a 500."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            text = str(pk).strip()
            if text.lstrip("+-").isdigit() and int(text) not in ID_RANGE:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super().clean(value)


class LearnerProfileForm(forms.ModelForm):
    """What onboarding asks, also the settings page: goals, pace and known skills (reminder e-mails
    have their own page, roadmap:reminder_settings)."""

    tracks = CatalogChoicesField(
        label="Your goal",
        queryset=Track.objects.order_by("-is_core", "order", "name"),
        widget=forms.CheckboxSelectMultiple,
        help_text="The core ML Engineer track, and any specialisations you want on top.",
        error_messages={"required": "Choose at least one track."},
    )
    known_skills = CatalogChoicesField(
        label="Skills you already have",
        queryset=Skill.objects.order_by("category", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="They stay in your plan, marked as known, and count as done.",
    )
    time_zone = forms.TypedChoiceField(
        label="Your time zone", choices=time_zone_choices, help_text="Reminders arrive at your local hour."
    )
    target_date = forms.DateField(
        label="Target date (optional)",
        required=False,
        # ISO, whatever the locale: an <input type="date"> shows nothing for "02/06/2027".
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="When you would like to be done. We warn you if your hours per week cannot make it.",
    )
    hours_per_week = forms.IntegerField(
        label="Hours per week", min_value=1, max_value=80, help_text="How much time you can give each week."
    )

    class Meta:
        model = Profile
        fields = (
            "background",
            "tracks",
            "hours_per_week",
            "target_date",
            "time_zone",
            "known_skills",
        )
        labels = {"background": "Your background"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target: dt.date | None = data.get("target_date")
        # The learner's own today: late on the 1st in Auckland is already the 2nd.
        today = timezone.now().astimezone(zoneinfo.ZoneInfo(data.get("time_zone") or "UTC")).date()
        if target is not None and target < today:
            self.add_error(
                "target_date", "The target date is in the past. Choose a later date or leave it empty."
            )
        return data

    def skill_groups(self) -> list[tuple[str, list[Any]]]:
        """The known-skills checkboxes grouped by category, in the categories' order."""
        labels = dict(Category.choices)
        groups: dict[str, list[Any]] = {}
        for checkbox in self["known_skills"]:
            groups.setdefault(checkbox.data["value"].instance.category, []).append(checkbox)
        return [(labels.get(c, c), groups[c]) for c in labels if c in groups]
