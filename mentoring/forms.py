"""Forms of mentoring: inviting a mentor, answering an invitation, comments, reviews, the dashboard's filters."""

from __future__ import annotations

from django import forms

from mentoring.models import (
    COMMENT_MAX_LENGTH,
    REVIEW_MESSAGE_MAX_LENGTH,
    REVIEW_RESPONSE_MAX_LENGTH,
    Delivery,
)
from roadmap.forms import TOO_LONG, long_text


class MentorInviteForm(forms.Form):
    email = forms.EmailField(
        label="Your mentor's e-mail address",
        max_length=254,
        help_text="They get a link to accept or decline. Nothing of yours is visible to them until they accept.",
    )


class InvitationAnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])


class StepCommentForm(forms.Form):
    body = long_text(
        label="Your comment",
        max_length=COMMENT_MAX_LENGTH,
        rows=4,
        help_text="Markdown: **bold**, *italic*, lists, links and `code`.",
    )


class ReviewRequestForm(forms.Form):
    evidence_url = forms.URLField(
        label="Link to your project",
        max_length=500,
        error_messages=TOO_LONG,
        assume_scheme="https",
        help_text="A public repository or write-up, e.g. https://github.com/you/project.",
    )
    message = long_text(
        label="Note for your mentor (optional)", required=False, max_length=REVIEW_MESSAGE_MAX_LENGTH, rows=3
    )

    def clean_evidence_url(self) -> str:
        url: str = self.cleaned_data["evidence_url"]
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter a web address starting with https:// or http://.")
        return url


class ReviewResponseForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your verdict",
        choices=[("approve", "Approve"), ("changes", "Request changes")],
        widget=forms.RadioSelect,
    )
    response = long_text(
        label="Comment for the learner",
        required=False,
        max_length=REVIEW_RESPONSE_MAX_LENGTH,
        rows=4,
        help_text="Required when requesting changes. Markdown.",
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("decision") == "changes" and not (data.get("response") or "").strip():
            self.add_error("response", "Say what should change.")
        return data


class MenteeFilterForm(forms.Form):
    SORT_CHOICES = [
        ("name", "Name"),
        ("progress", "Most progress"),
        ("progress_asc", "Least progress"),
        ("recent", "Most steps done in 14 days"),
        ("activity", "Most recently active"),
        ("stalled", "Stalled first"),
        ("reviews", "Most reviews waiting"),
    ]
    SHOW_CHOICES = [
        ("", "Everyone"),
        ("stalled", "Stalled only"),
        ("reviews", "Waiting for my review"),
        ("unread", "With unread comments"),
    ]
    q = forms.CharField(label="Search by name or e-mail", required=False, max_length=100)
    show = forms.ChoiceField(label="Show", choices=SHOW_CHOICES, required=False)
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)


class NotificationSettingsForm(forms.Form):
    """How to hear of each kind of mentoring news: right away, in a daily summary, or never."""

    review_requested = forms.ChoiceField(
        label="When a mentee asks me to review a project", choices=Delivery.choices, widget=forms.RadioSelect
    )
    review_answered = forms.ChoiceField(
        label="When my mentor answers my review request", choices=Delivery.choices, widget=forms.RadioSelect
    )
    comment = forms.ChoiceField(
        label="When someone comments on a step I follow", choices=Delivery.choices, widget=forms.RadioSelect
    )
