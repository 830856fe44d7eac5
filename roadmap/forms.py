"""Forms of a learner's step: notes and evidence links."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator

NOTES_MAX = 20_000


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Your notes",
        required=False,
        max_length=NOTES_MAX,
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
        error_messages={"invalid": "Enter a web address starting with http:// or https://."},
        help_text="A repository, notebook, certificate or write-up showing your work.",
    )
    label = forms.CharField(label="Description (optional)", max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "evidence_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_label(self) -> str:
        return str(self.cleaned_data["label"]).strip()
