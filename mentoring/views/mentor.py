"""The mentor's side of mentoring: the dashboard, a mentee's page and step pages, stepping down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.throttling import limit_reached
from config import jinja
from mentoring.forms import (
    MenteeFilterForm,
    ReviewResponseForm,
    StepCommentForm,
)
from mentoring.models import Mentorship
from mentoring.selectors.comments import step_thread
from mentoring.selectors.invitations import active_mentorship, invitations_for, knows_mentorship, mentors_only
from mentoring.selectors.mentees import (
    MenteePlan,
    MenteeRow,
    deliverables,
    mentee_changes,
    mentee_plan,
    mentee_rows,
    plan_item,
    shared_notes,
)
from mentoring.services import (
    MentoringError,
    comment_add,
    comment_delete,
    comments_mark_read,
    mentee_visit_record,
    mentorship_step_down,
    review_respond,
)
from mentoring.views import COMMENT_RATE, TOO_MANY_COMMENTS, user_of
from roadmap.models import PlanItem, Progress
from roadmap.services import progress_get_or_create
from roadmap.visuals import map_svg

MS = Mentorship.Status
READONLY_PLAN = "mentoring/_plan_readonly.jinja"
DASHBOARD_PAGE_SIZE = 50


# ---------------------------------------------------------------- the mentor's side


def mentorship_or_404(request: AuthenticatedHttpRequest, key: str) -> Mentorship:
    """Every mentor page goes through here: only an active mentorship with this user as mentor."""
    mentorship = active_mentorship(mentor=request.user, key=key)
    if mentorship is None:
        if knows_mentorship(user=request.user, key=key):
            raise PermissionDenied("This mentorship is not active.")
        raise Http404
    return mentorship


@login_required
@require_safe
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    mentor = request.user
    form = MenteeFilterForm(request.GET)
    params = form.cleaned_data if form.is_valid() else {}
    rows = mentee_rows(
        mentor=mentor,
        query=params.get("q", ""),
        show=params.get("show", ""),
        sort=params.get("sort") or "name",
    )
    # Every row is read (the sorts and filters work on their figures), but one page is shown: the
    # page's rendering stays the same length however many mentees a mentor has.
    page = Paginator(rows, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "rows": page.object_list,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "stalled_after_days": settings.STALLED_AFTER_DAYS,
        "form": form,
        "filtered": any(params.get(name) for name in ("q", "show")),
        "invitations": invitations_for(user=mentor),
        "offer_plan": mentors_only(user=mentor),
    }
    return render(request, "mentoring/dashboard.html", context)


@login_required
@require_safe
def mentee(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    mentor = request.user
    found = mentee_rows(mentor=mentor, key=key)
    if not found:
        mentorship_or_404(request, key)
        raise Http404
    row = found[0]
    since = mentee_visit_record(mentorship=row.mentorship)
    step_url = _step_url(row.key)
    plan = mentee_plan(learner=row.learner, mentor=mentor, step_url=step_url)
    notes = shared_notes(learner=row.learner)
    context = {
        "row": row,
        "forecast": row.forecast,
        "stalled_after_days": settings.STALLED_AFTER_DAYS,
        "learner": row.learner,
        "plan": plan,
        "map_svg": _mentee_map(row, plan, step_url),
        "shared_notes": notes,
        "changes": mentee_changes(learner=row.learner, since=since, notes=notes),
        "current_stage": plan.summary.next_up[0].stage_index
        if plan.summary and plan.summary.next_up
        else None,
    }
    # The read-only roadmap is Jinja2 (its step rows were most of the page's rendering: config/jinja.py).
    context["plan_html"] = jinja.render(
        request,
        READONLY_PLAN,
        {key: context[key] for key in ("plan", "learner", "current_stage")} | {"mentorship_key": row.key},
    )
    return render(request, "mentoring/mentee.html", context)


def _step_url(key: str) -> Callable[[str, str], str]:
    """The mentor's page of a mentee's step, by kind and slug: one reverse() for the ~200 links of the
    page instead of one each (the step rows' URLs were a third of its rendering)."""
    pattern = reverse("mentoring:mentee_step", args=[key, "KIND", "SLUG"])
    return lambda kind, slug: pattern.replace("KIND", kind, 1).replace("SLUG", slug, 1)


def _mentee_map(row: MenteeRow, plan: MenteePlan, step_url: Callable[[str, str], str]) -> str:
    """The plan page's subway map of the mentee's roadmap, its nodes linking to the mentor's step pages."""
    if plan.layout is None:
        return ""
    title = f"Map of {row.learner}'s roadmap: {len(plan.layout.nodes)} steps, coloured by status"
    return mark_safe(map_svg(plan.layout, href=step_url, title=title))  # map_svg escapes every text it writes


def _mentee_step(
    request: AuthenticatedHttpRequest, key: str, kind: str, slug: str
) -> tuple[Mentorship, PlanItem]:
    mentorship = mentorship_or_404(request, key)
    item = plan_item(learner=mentorship.learner, kind=kind, slug=slug)
    if item is None:
        raise Http404("This step is not in the mentee's plan.")
    return mentorship, item


def _mentee_progress(mentorship: Mentorship, item: PlanItem) -> Progress | None:
    kind, item_id = item.item_key
    return Progress.objects.filter(learner=mentorship.learner, **{f"{kind}_id": item_id}).first()


@login_required
@require_safe
def mentee_step(request: AuthenticatedHttpRequest, key: str, kind: str, slug: str) -> HttpResponse:
    mentorship, item = _mentee_step(request, key, kind, slug)
    return _render_mentee_step(request, mentorship, item, _mentee_progress(mentorship, item))


def _render_mentee_step(
    request: AuthenticatedHttpRequest,
    mentorship: Mentorship,
    item: PlanItem,
    progress: Progress | None,
    comment_form: StepCommentForm | None = None,
    review_form: ReviewResponseForm | None = None,
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    mentor = user_of(request)
    # A post or a deletion shows the newest comments again.
    page = request.GET.get("comments") if request.method == "GET" else None
    thread = step_thread(progress=progress, reader=mentor, page=page)
    if progress is not None and thread.unread:
        comments_mark_read(user=mentor, progress=progress)
    context: dict[str, Any] = {
        "mentorship": mentorship,
        "learner": mentorship.learner,
        "item": item,
        "progress": progress,
        "thread": thread,
        "comment_form": comment_form or StepCommentForm(),
        "review_form": review_form or ReviewResponseForm(),
        "comment_notice": notice,
    }
    template = "mentoring/mentee_step.html"
    if request.htmx:
        # Only the thread changed: swap that fragment instead of the page.
        return render(request, f"{template}#thread", context, status=status)
    context["deliverables"] = deliverables(item=item, progress=progress)
    return render(request, template, context, status=status)


@login_required
@require_POST
def mentee_comment(request: AuthenticatedHttpRequest, key: str, kind: str, slug: str) -> HttpResponse:
    mentorship, item = _mentee_step(request, key, kind, slug)
    form = StepCommentForm(request.POST)
    if form.is_valid() and limit_reached(request, group="comments", rate=COMMENT_RATE, key="user"):
        form.add_error(None, TOO_MANY_COMMENTS)
        # The typed text stays in the form; htmx swaps only 2xx answers.
        return _render_mentee_step(
            request,
            mentorship,
            item,
            _mentee_progress(mentorship, item),
            comment_form=form,
            status=200 if request.htmx else 429,
        )
    if not form.is_valid():
        return _render_mentee_step(
            request, mentorship, item, _mentee_progress(mentorship, item), comment_form=form
        )
    progress = progress_get_or_create(learner=mentorship.learner, kind=kind, item_id=item.item_key[1])
    try:
        comment_add(progress=progress, author=user_of(request), body=form.cleaned_data["body"])
    except MentoringError as exc:
        messages.error(request, str(exc))
    if request.htmx:
        return _render_mentee_step(request, mentorship, item, progress)
    return redirect(reverse("mentoring:mentee_step", args=[key, kind, slug]) + "#comments")


@login_required
@require_POST
def mentee_comment_delete(
    request: AuthenticatedHttpRequest, key: str, kind: str, slug: str, pk: int
) -> HttpResponse:
    """The mentor deletes one of their own comments on the mentee's step."""
    mentorship, item = _mentee_step(request, key, kind, slug)
    progress = _mentee_progress(mentorship, item)
    try:
        deleted = progress is not None and comment_delete(
            progress=progress, comment_id=pk, by=user_of(request)
        )
    except MentoringError as exc:  # the mentorship ended a moment ago
        raise PermissionDenied(str(exc)) from exc
    notice = "Comment deleted." if deleted else "That comment is not yours to delete, or was already deleted."
    if request.htmx:
        return _render_mentee_step(request, mentorship, item, progress, notice=notice)
    messages.info(request, notice)
    return redirect(reverse("mentoring:mentee_step", args=[key, kind, slug]) + "#comments")


@login_required
@require_POST
def mentee_review(request: AuthenticatedHttpRequest, key: str, kind: str, slug: str) -> HttpResponse:
    mentorship, item = _mentee_step(request, key, kind, slug)
    progress = _mentee_progress(mentorship, item)
    if progress is None:
        raise Http404("No review was requested on this step.")
    form = ReviewResponseForm(request.POST)
    if not form.is_valid():
        return _render_mentee_step(request, mentorship, item, progress, review_form=form)
    try:
        review = review_respond(
            progress=progress,
            reviewer=user_of(request),
            approve=form.cleaned_data["decision"] == "approve",
            response=form.cleaned_data["response"],
        )
    except MentoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Review sent: {review.get_status_display().lower()}.")
    return redirect(reverse("mentoring:mentee_step", args=[key, kind, slug]) + "#review")


@login_required
@require_http_methods(["GET", "POST"])
def step_down(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """GET asks to confirm (works without JavaScript); POST ends the mentorship."""
    found = mentorship_or_404(request, key)
    if request.method == "GET":
        context = {
            "heading": f"Step down as {found.learner}'s mentor?",
            "consequence": f"{found.learner} will no longer appear on your dashboard and you will see "
            "nothing more of their roadmap. Only they can invite you again.",
            "action": reverse("mentoring:step_down", args=[key]),
            "confirm": "Yes, step down",
            "cancel": reverse("mentoring:mentee", args=[key]),
        }
        return render(request, "mentoring/end_confirm.html", context)
    mentorship = mentorship_step_down(mentor=request.user, key=key)
    messages.success(request, f"You no longer mentor {mentorship.learner}.")
    return redirect("mentoring:dashboard")
