"""Forms of the roadmap: the learner's goals and pace (onboarding, settings), a step's notes and evidence links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.validators import URLValidator

from accounts.models import Profile, time_zone_choices, today_in
from catalog.models import Category, ChoiceOption, Skill, Track
from roadmap.models import NOTES_MAX_LENGTH, WEEKLY_GOAL_MAX, EvidenceLink, WeeklyGoal

# Every capped text a user writes says the limit and how far over it they are.
TOO_LONG = {
    "max_length": "This is too long: at most %(limit_value)s characters are allowed and it has %(show_value)s. "
    "Shorten it, or split it in two."
}


def long_text(
    *, label: str, max_length: int, rows: int, required: bool = True, help_text: str = ""
) -> forms.CharField:
    """A text box for prose (notes, comments, reviews) capped at `max_length`, saying the cap when passed."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages=TOO_LONG,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class NotesForm(forms.Form):
    notes = long_text(
        label="Your notes",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        rows=8,
        help_text="Markdown: **bold**, _italic_, lists, `code`, [links](https://example.com).",
    )
    notes_shared = forms.BooleanField(
        label="Share these notes with my mentors",
        required=False,
        help_text="Off by default: your notes are private until you share them.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_notes(self) -> str:
        # Browsers send CRLF; store plain newlines.
        return str(self.cleaned_data["notes"]).replace("\r\n", "\n").strip()


class WebURLField(forms.URLField):
    """A URL a browser can open as a page: http or https only (no javascript:, data:, ftp:)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="This link is",
        choices=EvidenceLink.Kind.choices,
        initial=EvidenceLink.Kind.EVIDENCE,
        required=False,
        widget=forms.RadioSelect,
    )
    url = WebURLField(
        label="Link",
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address starting with http:// or https://.", **TOO_LONG},
        help_text="A repository, notebook, certificate or write-up showing your work.",
    )
    label = forms.CharField(
        label="Description (optional)", max_length=120, required=False, error_messages=TOO_LONG
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "evidence_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_label(self) -> str:
        return str(self.cleaned_data["label"]).strip()


# ---------------------------------------------------------------- goals and pace


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


class GoalsForm(forms.ModelForm):
    """What onboarding asks, also the settings page: goals, pace and known skills (reminder e-mails
    have their own page, reminders:settings). It only validates: goals_save writes."""

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

    options = CatalogChoicesField(
        label="Your choices",
        queryset=ChoiceOption.objects.select_related("group"),
        required=False,
        help_text="Where a track says “one of”, the option you follow.",
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
        widgets = {"background": forms.RadioSelect}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target: dt.date | None = data.get("target_date")
        # The learner's own today, in the zone they are choosing.
        if target is not None and target < today_in(data.get("time_zone")):
            self.add_error(
                "target_date", "The target date is in the past. Choose a later date or leave it empty."
            )
        return data

    def clean_options(self) -> list[ChoiceOption]:
        """At most one option per group, each from a stage of a chosen track."""
        options: list[ChoiceOption] = list(self.cleaned_data.get("options") or [])
        tracks = {t.pk for t in self.cleaned_data.get("tracks") or []}
        groups: set[int] = set()
        for option in options:
            if option.group_id in groups:
                raise forms.ValidationError(f"Choose one option of “{option.group.title}”, not several.")
            groups.add(option.group_id)
        stage_tracks = dict(
            ChoiceOption.objects.filter(pk__in=[o.pk for o in options]).values_list(
                "pk", "group__stage__track_id"
            )
        )
        if tracks and any(stage_tracks.get(o.pk) not in tracks for o in options):
            raise forms.ValidationError("Choose options of the tracks you follow.")
        return options

    def skill_groups(self) -> list[tuple[str, list[Any]]]:
        """The known-skills checkboxes grouped by category, in the categories' order."""
        labels = dict(Category.choices)
        groups: dict[str, list[Any]] = {}
        for checkbox in self["known_skills"]:
            groups.setdefault(checkbox.data["value"].instance.category, []).append(checkbox)
        return [(labels.get(c, c), groups[c]) for c in labels if c in groups]


class OwnStepForm(forms.Form):
    """A step of the learner's own: own_step_add checks it again and writes it."""

    title = forms.CharField(label="Title", max_length=160, error_messages=TOO_LONG)
    url = WebURLField(
        label="Link (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address starting with http:// or https://.", **TOO_LONG},
    )
    hours = forms.IntegerField(label="Hours", min_value=0, max_value=500, initial=5)
    stage = forms.TypedChoiceField(label="Stage", coerce=int, required=False, empty_value=None)
    shared = forms.BooleanField(label="Show it to my mentors", required=False)

    def __init__(self, *args: Any, stages: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "own_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        stage = self.fields["stage"]
        assert isinstance(stage, forms.TypedChoiceField)
        stage.choices = [("", "At the end of my plan"), *stages]


class WeeklyGoalForm(forms.Form):
    """The learner's weekly goal on the activity page: a number and its unit."""

    target = forms.IntegerField(
        label="Each week I want to finish", min_value=1, max_value=max(WEEKLY_GOAL_MAX.values())
    )
    unit = forms.ChoiceField(label="Unit", choices=WeeklyGoal.Unit.choices)
