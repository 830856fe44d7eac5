"""Forms of a learner's step: notes and evidence links."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator

from roadmap.models import NOTES_MAX_LENGTH

# Every capped text a user writes says the limit and how far over it they are.
TOO_LONG = {
    "max_length": "This is too long: at most %(limit_value)s characters are allowed and it has %(show_value)s. "
    "Shorten it, or split it in two."
}


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Your notes",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        error_messages=TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 8}),
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
