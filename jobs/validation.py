"""What a pasted job ad must be before we analyse it: one rule for the page and the command."""

from __future__ import annotations

from jobs.matching import MAX_AD_CHARS


class AdTextError(ValueError):
    """The ad cannot be analysed; the message says why in the learner's words."""


# Control characters other than tab, newline and carriage return mean a binary file, not an ad.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def clean_ad_text(text: str) -> str:
    """The ad's text, stripped, or AdTextError with a message for the learner."""
    if "\x00" in text or "\ufffd" in text or any(ord(ch) < 32 and ch not in _ALLOWED_CONTROLS for ch in text):
        raise AdTextError("This looks like a binary file, not text: paste the ad's words instead.")
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise AdTextError("Paste the text of a job ad first.")
    if len(text) > MAX_AD_CHARS:
        raise AdTextError(
            f"That ad is {len(text):,} characters long; we read at most {MAX_AD_CHARS:,}. "
            "Paste the part that lists what the job asks for."
        )
    return text
