"""Forms of the sharing settings page."""

from __future__ import annotations

from django import forms

from sharing.models import HANDLE_MAX_LENGTH, SESSION_MINUTES_MAX, WEEKDAYS
from sharing.services import HANDLE, RESERVED_HANDLES


class SessionsForm(forms.Form):
    days = forms.TypedMultipleChoiceField(
        choices=list(enumerate(WEEKDAYS)), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        label="Study days",
    )  # fmt: skip
    start = forms.TimeField(
        label="Starting at (your time zone)", widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.IntegerField(min_value=15, max_value=SESSION_MINUTES_MAX, label="Minutes per session")


class PublicPageForm(forms.Form):
    public = forms.BooleanField(required=False, label="Show my public progress page")
    handle = forms.CharField(
        max_length=HANDLE_MAX_LENGTH,
        required=False,
        help_text="3 to 30 lower-case letters, digits or hyphens.",
    )
    show_progress = forms.BooleanField(required=False, label="Tracks and overall progress")
    show_stages = forms.BooleanField(required=False, label="A bar per stage")
    show_map = forms.BooleanField(required=False, label="The map of my roadmap")
    show_projects = forms.BooleanField(required=False, label="Finished projects with their evidence links")
    show_badges = forms.BooleanField(required=False, label="My badges")
    show_streak = forms.BooleanField(required=False, label="My current streak")
    indexable = forms.BooleanField(required=False, label="Let search engines index the page")

    def clean_handle(self) -> str:
        handle = str(self.cleaned_data.get("handle", "")).strip().lower()
        if handle and not HANDLE.fullmatch(handle):
            raise forms.ValidationError("Use 3 to 30 lower-case letters, digits or hyphens.")
        if handle in RESERVED_HANDLES:
            raise forms.ValidationError("That handle is reserved; choose another.")
        return handle

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("public") and not data.get("handle"):
            self.add_error("handle", "Pick a handle: it is the page's address.")
        return data


class VerifyForm(forms.Form):
    credential = forms.CharField(
        required=False, max_length=64 * 1024, widget=forms.Textarea(attrs={"rows": 6}),
        label="Paste a credential (its JSON or its compact JWS)",
    )  # fmt: skip
    upload = forms.FileField(required=False, label="Or upload the credential's file")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is not None and hasattr(upload, "size"):
            if upload.size > 64 * 1024:
                self.add_error("upload", "That file is too large to be one of our credentials.")
                return data
            try:
                data["credential"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("upload", "That file is not a credential (not text).")
        if not data.get("credential") and not self.errors:
            self.add_error("credential", "Paste a credential or upload its file.")
        return data
