"""The job-ad form: the pasted text, and a title and company when the ad is kept."""

from __future__ import annotations

from django import forms

from jobs.matching import MAX_AD_CHARS
from jobs.models import COMPANY_MAX_LENGTH, TITLE_MAX_LENGTH
from jobs.validation import AdTextError, clean_ad_text


class AdForm(forms.Form):
    # The cap is checked by clean_ad_text with a message in words; the widget only hints at it.
    text = forms.CharField(
        label="The job ad",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "maxlength": MAX_AD_CHARS * 2}),
        help_text=f"Paste the ad's text (up to {MAX_AD_CHARS:,} characters).",
        error_messages={"required": "Paste the text of a job ad first."},
    )
    title = forms.CharField(label="Job title", max_length=TITLE_MAX_LENGTH, required=False)
    company = forms.CharField(label="Company (optional)", max_length=COMPANY_MAX_LENGTH, required=False)

    def clean_text(self) -> str:
        try:
            return clean_ad_text(self.cleaned_data["text"])
        except AdTextError as error:
            raise forms.ValidationError(str(error)) from error
