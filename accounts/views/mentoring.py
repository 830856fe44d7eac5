"""Mentoring views: the learner's mentors and invitations, answering an invitation, the mentor's pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import selectors
from accounts.forms import (
    InvitationAnswerForm,
    MenteeFilterForm,
    MentorInviteForm,
    ReviewRequestForm,
    ReviewResponseForm,
    StepCommentForm,
)
from accounts.models import Mentorship, User
from accounts.services import (
    MentoringError,
    comment_add,
    comment_delete,
    comments_mark_read,
    invite_path,
    mentorship_accept,
    mentorship_answer_problem,
    mentorship_create_link,
    mentorship_decline,
    mentorship_invite,
    mentorship_revoke,
    mentorship_step_down,
    review_request,
    review_respond,
)
from accounts.templatetags.mentoring import learner_thread_context
from accounts.throttling import limit_reached, posted_email
from roadmap.models import PlanItem, Progress
from roadmap.selectors import Entry
from roadmap.services import progress_get_or_create
from roadmap.visuals import map_layout, map_svg

MS = Mentorship.Status
# Comments per user, across every thread: enough for a lively conversation, not for a flood.
COMMENT_RATE = "30/10m"
TOO_MANY_COMMENTS = (
    "You have posted many comments in the last few minutes. Wait a few minutes, then post this one again."
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _form_errors(form: Any) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


# ---------------------------------------------------------------- the learner's side


@login_required
@require_safe
def mentors(request: HttpRequest) -> HttpResponse:
    return _render_mentors(request, MentorInviteForm())


def _invites_over_limit(request: HttpRequest) -> bool:
    """Invitations counted per client IP, per sending account and per invited address."""
    over = [
        limit_reached(request, group="invite-ip", rate=settings.RATE_INVITE),
        limit_reached(request, group="invite-user", rate=settings.RATE_INVITE_PER_USER, key="user"),
        limit_reached(
            request, group="invite-address", rate=settings.RATE_INVITE_PER_ADDRESS, key=posted_email
        ),
    ]
    return any(over)


def _render_mentors(request: HttpRequest, form: MentorInviteForm, status: int = 200) -> HttpResponse:
    learner = _user(request)
    mentorships = selectors.learner_mentorships(learner=learner)
    for mentorship in mentorships:
        if mentorship.status == MS.PENDING and mentorship.channel == Mentorship.Channel.LINK:
            mentorship.invite_url = request.build_absolute_uri(invite_path(mentorship))  # type: ignore[attr-defined]
    context = {
        "mentorships": mentorships,
        "form": form,
        "unread_steps": selectors.unread_steps(reader=learner, learner=learner),
    }
    return render(request, "accounts/mentoring/mentors.html", context, status=status)


@login_required
@require_POST
def mentor_invite(request: HttpRequest) -> HttpResponse:
    form = MentorInviteForm(request.POST)
    if not form.is_valid():
        return _render_mentors(request, form)
    if _invites_over_limit(request):
        form.add_error(None, "You sent many invitations in a short time. Wait an hour and try again.")
        return _render_mentors(request, form, status=429)
    try:
        mentorship = mentorship_invite(learner=_user(request), email=form.cleaned_data["email"])
    except MentoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Invitation on its way to {mentorship.invited_email}. They can see nothing of yours until they accept.",
        )
    return redirect("mentoring:mentors")


@login_required
@require_POST
def mentor_invite_link(request: HttpRequest) -> HttpResponse:
    try:
        mentorship_create_link(learner=_user(request))
    except MentoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your invite link is ready below. It works once and expires.")
    return redirect(reverse("mentoring:mentors") + "#invitations")


@login_required
@require_POST
def mentor_revoke(request: HttpRequest, key: str) -> HttpResponse:
    try:
        mentorship = mentorship_revoke(learner=_user(request), key=key)
    except Mentorship.DoesNotExist as exc:
        raise Http404 from exc
    if mentorship.mentor_id:
        messages.success(request, f"{mentorship.mentor} no longer mentors you and can see nothing of yours.")
    else:
        messages.success(request, "Invitation withdrawn: its link no longer works.")
    return redirect("mentoring:mentors")


def _own_plan_item(request: HttpRequest, kind: str, slug: str) -> PlanItem:
    item = selectors.plan_item(learner=_user(request), kind=kind, slug=slug)
    if item is None:
        raise Http404("This step is not in your plan.")
    return item


def _step_url(kind: str, slug: str, anchor: str) -> str:
    return reverse("roadmap:step", args=[kind, slug]) + anchor


@login_required
@require_POST
def step_comment(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """The learner writes on their own step's thread (usually a reply to a mentor)."""
    item = _own_plan_item(request, kind, slug)
    form = StepCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Your comment was not saved: {_form_errors(form)}")
    elif limit_reached(request, group="comments", rate=COMMENT_RATE, key="user"):
        messages.error(request, f"Your comment was not saved. {TOO_MANY_COMMENTS}")
    else:
        progress = progress_get_or_create(learner=_user(request), kind=kind, item_id=item.item_key[1])
        try:
            comment_add(progress=progress, author=_user(request), body=form.cleaned_data["body"])
        except MentoringError as exc:
            messages.error(request, str(exc))
    return redirect(_step_url(kind, slug, "#comments"))


@login_required
@require_POST
def step_comment_delete(request: HttpRequest, kind: str, slug: str, pk: int) -> HttpResponse:
    """The learner deletes a comment (theirs or a mentor's) on their own step's thread."""
    item = _own_plan_item(request, kind, slug)
    progress = Progress.objects.filter(learner=_user(request), **{f"{kind}_id": item.item_key[1]}).first()
    deleted = progress is not None and comment_delete(progress=progress, comment_id=pk, by=_user(request))
    notice = "Comment deleted." if deleted else "That comment had already been deleted."
    if request.htmx:  # type: ignore[attr-defined]
        mentoring = learner_thread_context(request, kind, item.item)
        context = {"mentoring": mentoring, "thread": mentoring["thread"], "comment_notice": notice}
        return render(request, "accounts/mentoring/_step_comments.html", context)
    messages.success(request, notice)
    return redirect(_step_url(kind, slug, "#comments"))


@login_required
@require_POST
def step_review_request(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    item = _own_plan_item(request, kind, slug)
    if item.project_id is None:
        raise Http404("Only project steps are reviewed.")
    form = ReviewRequestForm(request.POST)
    if form.is_valid():
        progress = progress_get_or_create(learner=_user(request), kind=kind, item_id=item.project_id)
        try:
            review_request(progress=progress, **form.cleaned_data)
        except MentoringError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Review requested: your mentors see it on their dashboard.")
    else:
        messages.error(request, f"Your review request was not sent: {_form_errors(form)}")
    return redirect(_step_url(kind, slug, "#review"))


# ---------------------------------------------------------------- answering an invitation


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    user = _user(request)
    try:
        mentorship = selectors.invitation_get(token=token)
    except selectors.InvitationExpired:
        return render(
            request, "accounts/mentoring/invitation_invalid.html", {"reason": "expired"}, status=410
        )
    except selectors.InvitationInvalid:
        return render(
            request, "accounts/mentoring/invitation_invalid.html", {"reason": "invalid"}, status=404
        )
    if mentorship.status == MS.ACTIVE and mentorship.mentor_id == user.pk:
        messages.info(request, f"You already accepted: you mentor {mentorship.learner}.")
        return redirect("mentoring:mentee", key=mentorship.key)
    if mentorship.status != MS.PENDING:
        return render(request, "accounts/mentoring/invitation_invalid.html", {"reason": "used"}, status=410)
    problem = mentorship_answer_problem(mentorship=mentorship, user=user)
    form = InvitationAnswerForm(request.POST or None)
    if request.method == "POST" and not problem and form.is_valid():
        return _answer(request, mentorship, accept=form.cleaned_data["decision"] == "accept")
    by_email = mentorship.channel == Mentorship.Channel.EMAIL
    wrong_address = by_email and mentorship.invited_email.lower() != user.email.lower()
    # An address anyone could have signed up with sees nothing of the invitation until verified.
    unverified = by_email and not wrong_address and not user.email_verified
    context = {
        "mentorship": mentorship,
        "problem": problem,
        "show_learner": not (wrong_address or unverified),
        "needs_verification": unverified,
    }
    return render(request, "accounts/mentoring/invitation.html", context, status=403 if problem else 200)


def _answer(request: HttpRequest, mentorship: Mentorship, *, accept: bool) -> HttpResponse:
    user = _user(request)
    try:
        if accept:
            mentorship_accept(mentorship=mentorship, mentor=user)
        else:
            mentorship_decline(mentorship=mentorship, mentor=user)
    except MentoringError as exc:
        messages.error(request, str(exc))
        return redirect(request.path)
    if accept:
        messages.success(request, f"You now mentor {mentorship.learner}. Their roadmap is below.")
        return redirect("mentoring:mentee", key=mentorship.key)
    messages.info(request, f"You declined {mentorship.learner}'s invitation. They see nothing more from you.")
    return redirect("mentoring:dashboard")


# ---------------------------------------------------------------- the mentor's side


def _mentorship_or_404(request: HttpRequest, key: str) -> Mentorship:
    """Every mentor page goes through here: only an active mentorship with this user as mentor."""
    mentorship = selectors.active_mentorship(mentor=_user(request), key=key)
    if mentorship is None:
        if selectors.knows_mentorship(user=_user(request), key=key):
            raise PermissionDenied("This mentorship is not active.")
        raise Http404
    return mentorship


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    mentor = _user(request)
    form = MenteeFilterForm(request.GET)
    params = form.cleaned_data if form.is_valid() else {}
    rows = list(
        selectors.mentee_rows(
            mentor=mentor,
            query=params.get("q", ""),
            show=params.get("show", ""),
            sort=params.get("sort") or "name",
        )
    )
    for row in rows:
        row.forecast = selectors.forecast(row)  # type: ignore[attr-defined]
    context = {
        "rows": rows,
        "stalled_after_days": settings.STALLED_AFTER_DAYS,
        "form": form,
        "filtered": any(params.get(name) for name in ("q", "show")),
        "invitations": selectors.invitations_for(user=mentor),
        "offer_plan": selectors.mentors_only(user=mentor),
    }
    return render(request, "accounts/mentoring/dashboard.html", context)


@login_required
@require_safe
def mentee(request: HttpRequest, key: str) -> HttpResponse:
    mentor = _user(request)
    found = selectors.mentee_rows(mentor=mentor, key=key)
    if not found:
        _mentorship_or_404(request, key)
        raise Http404
    row = found[0]
    plan = selectors.mentee_plan(learner=row.learner, mentor=mentor)
    context = {
        "row": row,
        "forecast": selectors.forecast(row),
        "stalled_after_days": settings.STALLED_AFTER_DAYS,
        "learner": row.learner,
        "plan": plan,
        "map_svg": _mentee_map(row, plan.entries),
        "shared_notes": selectors.shared_notes(learner=row.learner),
    }
    return render(request, "accounts/mentoring/mentee.html", context)


def _mentee_map(mentorship: Mentorship, entries: list[Entry]) -> str:
    """The plan page's subway map of the mentee's roadmap, its nodes linking to the mentor's step pages."""
    if not entries:
        return ""
    pattern = reverse("mentoring:mentee_step", args=[mentorship.key, "KIND", "SLUG"])
    layout = map_layout(entries)
    title = f"Map of {mentorship.learner}'s roadmap: {len(layout.nodes)} steps, coloured by status"
    svg = map_svg(
        layout,
        href=lambda kind, slug: pattern.replace("KIND", kind, 1).replace("SLUG", slug, 1),
        title=title,
    )
    return mark_safe(svg)  # map_svg escapes every text it writes


def _mentee_step(request: HttpRequest, key: str, kind: str, slug: str) -> tuple[Mentorship, PlanItem]:
    mentorship = _mentorship_or_404(request, key)
    item = selectors.plan_item(learner=mentorship.learner, kind=kind, slug=slug)
    if item is None:
        raise Http404("This step is not in the mentee's plan.")
    return mentorship, item


def _mentee_progress(mentorship: Mentorship, item: PlanItem) -> Progress | None:
    kind, item_id = item.item_key
    return Progress.objects.filter(learner=mentorship.learner, **{f"{kind}_id": item_id}).first()


@login_required
@require_safe
def mentee_step(request: HttpRequest, key: str, kind: str, slug: str) -> HttpResponse:
    mentorship, item = _mentee_step(request, key, kind, slug)
    return _render_mentee_step(request, mentorship, item)


def _render_mentee_step(
    request: HttpRequest,
    mentorship: Mentorship,
    item: PlanItem,
    comment_form: StepCommentForm | None = None,
    review_form: ReviewResponseForm | None = None,
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    mentor = _user(request)
    progress = _mentee_progress(mentorship, item)
    # A post or a deletion shows the newest comments again.
    page = request.GET.get("comments") if request.method == "GET" else None
    thread = selectors.step_thread(progress=progress, reader=mentor, page=page)
    if progress is not None and thread.unread:
        comments_mark_read(user=mentor, progress=progress)
    context = {
        "mentorship": mentorship,
        "learner": mentorship.learner,
        "item": item,
        "progress": progress,
        "thread": thread,
        "deliverables": selectors.deliverables(item=item, progress=progress),
        "comment_form": comment_form or StepCommentForm(),
        "review_form": review_form or ReviewResponseForm(),
        "comment_notice": notice,
    }
    template = "accounts/mentoring/mentee_step.html"
    if request.htmx:  # type: ignore[attr-defined]
        # Only the thread changed: swap that fragment instead of the page.
        template += "#thread"
    return render(request, template, context, status=status)


@login_required
@require_POST
def mentee_comment(request: HttpRequest, key: str, kind: str, slug: str) -> HttpResponse:
    mentorship, item = _mentee_step(request, key, kind, slug)
    form = StepCommentForm(request.POST)
    if form.is_valid() and limit_reached(request, group="comments", rate=COMMENT_RATE, key="user"):
        form.add_error(None, TOO_MANY_COMMENTS)
        # The typed text stays in the form; htmx swaps only 2xx answers.
        return _render_mentee_step(
            request,
            mentorship,
            item,
            comment_form=form,
            status=200 if request.htmx else 429,  # type: ignore[attr-defined]
        )
    if not form.is_valid():
        return _render_mentee_step(request, mentorship, item, comment_form=form)
    progress = progress_get_or_create(learner=mentorship.learner, kind=kind, item_id=item.item_key[1])
    try:
        comment_add(progress=progress, author=_user(request), body=form.cleaned_data["body"])
    except MentoringError as exc:
        messages.error(request, str(exc))
    if request.htmx:  # type: ignore[attr-defined]
        return _render_mentee_step(request, mentorship, item)
    return redirect(reverse("mentoring:mentee_step", args=[key, kind, slug]) + "#comments")


@login_required
@require_POST
def mentee_comment_delete(request: HttpRequest, key: str, kind: str, slug: str, pk: int) -> HttpResponse:
    """The mentor deletes one of their own comments on the mentee's step."""
    mentorship, item = _mentee_step(request, key, kind, slug)
    progress = _mentee_progress(mentorship, item)
    try:
        deleted = progress is not None and comment_delete(progress=progress, comment_id=pk, by=_user(request))
    except MentoringError as exc:  # the mentorship ended a moment ago
        raise PermissionDenied(str(exc)) from exc
    notice = "Comment deleted." if deleted else "That comment is not yours to delete, or was already deleted."
    if request.htmx:  # type: ignore[attr-defined]
        return _render_mentee_step(request, mentorship, item, notice=notice)
    messages.info(request, notice)
    return redirect(reverse("mentoring:mentee_step", args=[key, kind, slug]) + "#comments")


@login_required
@require_POST
def mentee_review(request: HttpRequest, key: str, kind: str, slug: str) -> HttpResponse:
    mentorship, item = _mentee_step(request, key, kind, slug)
    progress = _mentee_progress(mentorship, item)
    if progress is None:
        raise Http404("No review was requested on this step.")
    form = ReviewResponseForm(request.POST)
    if not form.is_valid():
        return _render_mentee_step(request, mentorship, item, review_form=form)
    try:
        review = review_respond(
            progress=progress,
            reviewer=_user(request),
            approve=form.cleaned_data["decision"] == "approve",
            response=form.cleaned_data["response"],
        )
    except MentoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Review sent: {review.get_status_display().lower()}.")
    return redirect(reverse("mentoring:mentee_step", args=[key, kind, slug]) + "#review")


@login_required
@require_POST
def step_down(request: HttpRequest, key: str) -> HttpResponse:
    _mentorship_or_404(request, key)
    mentorship = mentorship_step_down(mentor=_user(request), key=key)
    messages.success(request, f"You no longer mentor {mentorship.learner}.")
    return redirect("mentoring:dashboard")
