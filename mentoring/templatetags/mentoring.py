"""Template tags of mentoring: the step thread on the learner's step page, unread badges, Markdown."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from accounts.http import AuthenticatedHttpRequest
from mentoring.forms import ReviewRequestForm, StepCommentForm
from mentoring.models import Mentorship
from mentoring.selectors.comments import NavUnread, request_unread, step_thread
from mentoring.tokens import invite_path
from roadmap.models import Progress
from roadmap.selectors.entries import STATUS_LABELS

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Comment and note text as HTML, sanitised by the shared renderer (nh3)."""
    from roadmap.markdown import render_markdown

    return mark_safe(render_markdown(text or ""))


@register.filter
def status_label(status: str) -> str:
    """The human label of a progress status value ("in_progress" → "In progress")."""
    return STATUS_LABELS.get(status, status)


@register.filter
def invitation_path(mentorship: Mentorship) -> str:
    """The path of a pending invitation's signed link (the invited mentor's answer page)."""
    return invite_path(mentorship)


@register.simple_tag(takes_context=True)
def invite_url(context: dict[str, Any], mentorship: Mentorship) -> str:
    """The full address of an invite link, to copy and send by any channel."""
    return context["request"].build_absolute_uri(invite_path(mentorship))


@register.simple_tag(takes_context=True)
def learner_step_thread(context: dict[str, Any], kind: str, item: Any) -> dict[str, Any]:
    """Everything the learner's step page shows of mentoring for one catalog item. The step page
    has read the learner's Progress row (None: not touched yet) and its evidence links already; the
    tag reads them otherwise."""
    request = context["request"]
    if "progress" in context:
        progress = context["progress"]
    else:
        progress = Progress.objects.filter(learner=request.user, **{f"{kind}_id": item.pk}).first()
    return learner_thread_context(request, kind, item, progress, evidence=context.get("evidence"))


def learner_thread_context(
    request: AuthenticatedHttpRequest,
    kind: str,
    item: Any,
    progress: Progress | None,
    evidence: list[Any] | None = None,
) -> dict[str, Any]:
    """The step page's mentoring context; the comment views render the thread with it too."""
    learner = request.user
    # Read-only: the view that shows the thread marks it read afterwards (roadmap's step_viewed
    # signal for the step page, comments_mark_seen in the comment views).
    thread = step_thread(progress=progress, reader=learner, page=request.GET.get("comments"))
    # The step's evidence links come attached to a review request: the newest one filled in.
    if progress is None or thread.open_review is not None:
        evidence = []
    elif evidence is None:
        evidence = list(progress.evidence.all())
    offered = thread.last_review.evidence_url if thread.last_review else ""
    return {
        "kind": kind,
        "review_overdue_days": settings.REVIEW_OVERDUE_DAYS,
        "item": item,
        "thread": thread,
        "has_mentor": Mentorship.objects.filter(learner=learner, status=Mentorship.Status.ACTIVE).exists(),
        "comment_form": StepCommentForm(),
        "evidence": evidence,
        "review_form": ReviewRequestForm(
            initial={"evidence_url": offered or (evidence[-1].url if evidence else "")}
        ),
    }


@register.simple_tag(takes_context=True)
def nav_unread_counts(context: dict[str, Any]) -> NavUnread:
    """The navigation's unread badges (one query; reads only: opening a thread marks it read)."""
    return request_unread(context.get("request"))
