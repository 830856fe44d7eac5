"""The learner's side of mentoring: mentors and invitations, answering an invitation, comments and
review requests on their own steps."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.throttling import limit_reached, posted_email
from mentoring.forms import (
    InvitationAnswerForm,
    MentorInviteForm,
    ReviewRequestForm,
    StepCommentForm,
)
from mentoring.models import Mentorship
from mentoring.selectors.comments import unread_steps
from mentoring.selectors.invitations import invitation_get, learner_mentorships
from mentoring.selectors.mentees import plan_item
from mentoring.services import (
    MentoringError,
    comment_add,
    comment_delete,
    comments_mark_seen,
    invitation_link_opened,
    mentorship_accept,
    mentorship_answer_problem,
    mentorship_create_link,
    mentorship_decline,
    mentorship_invite,
    mentorship_revoke,
    review_request,
)
from mentoring.templatetags.mentoring import learner_thread_context
from mentoring.tokens import InvitationExpired, InvitationInvalid
from mentoring.views import COMMENT_RATE, TOO_MANY_COMMENTS, form_errors, user_of
from roadmap.models import PlanItem, Progress
from roadmap.services import progress_get_or_create

MS = Mentorship.Status


# ---------------------------------------------------------------- the learner's side


@login_required
@require_safe
def mentors(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render_mentors(request, MentorInviteForm())


def _invites_over_limit(request: AuthenticatedHttpRequest) -> bool:
    """Invitations counted per client IP, per sending account and per invited address."""
    over = [
        limit_reached(request, group="invite-ip", rate=settings.RATE_INVITE),
        limit_reached(request, group="invite-user", rate=settings.RATE_INVITE_PER_USER, key="user"),
        limit_reached(
            request, group="invite-address", rate=settings.RATE_INVITE_PER_ADDRESS, key=posted_email
        ),
    ]
    return any(over)


def _render_mentors(
    request: AuthenticatedHttpRequest, form: MentorInviteForm, status: int = 200
) -> HttpResponse:
    learner = request.user
    context = {
        "mentorships": learner_mentorships(learner=learner),
        "form": form,
        "unread_steps": unread_steps(reader=learner, learner=learner),
    }
    return render(request, "mentoring/mentors.html", context, status=status)


@login_required
@require_POST
def mentor_invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MentorInviteForm(request.POST)
    if not form.is_valid():
        return _render_mentors(request, form)
    if _invites_over_limit(request):
        form.add_error(None, "You sent many invitations in a short time. Wait an hour and try again.")
        return _render_mentors(request, form, status=429)
    try:
        mentorship = mentorship_invite(learner=request.user, email=form.cleaned_data["email"])
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
def mentor_invite_link(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        mentorship_create_link(learner=request.user)
    except MentoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your invite link is ready below. It works once and expires.")
    return redirect(reverse("mentoring:mentors") + "#invitations")


@login_required
@require_http_methods(["GET", "POST"])
def mentor_revoke(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """GET asks to confirm (works without JavaScript); POST ends the mentorship or withdraws the invitation."""
    if request.method == "GET":
        found = Mentorship.objects.filter(learner=request.user, key=key, status__in=[MS.PENDING, MS.ACTIVE])
        mentorship = found.select_related("mentor").first()
        if mentorship is None:
            raise Http404
        other = str(mentorship.mentor or mentorship.invited_email or "this invite link")
        context = {
            "heading": f"End your mentorship with {other}?"
            if mentorship.mentor_id
            else f"Withdraw the invitation to {other}?",
            "consequence": f"{other} will no longer see your roadmap, notes or reviews. You can invite them again later.",
            "action": reverse("mentoring:mentor_revoke", args=[key]),
            "confirm": "Yes, end the mentorship" if mentorship.mentor_id else "Yes, withdraw it",
            "cancel": reverse("mentoring:mentors"),
        }
        return render(request, "mentoring/end_confirm.html", context)
    try:
        mentorship = mentorship_revoke(learner=request.user, key=key)
    except Mentorship.DoesNotExist as exc:
        raise Http404 from exc
    if mentorship.mentor_id:
        messages.success(request, f"{mentorship.mentor} no longer mentors you and can see nothing of yours.")
    else:
        messages.success(request, "Invitation withdrawn: its link no longer works.")
    return redirect("mentoring:mentors")


def _own_plan_item(request: AuthenticatedHttpRequest, kind: str, slug: str) -> PlanItem:
    item = plan_item(learner=user_of(request), kind=kind, slug=slug)
    if item is None:
        raise Http404("This step is not in your plan.")
    return item


def _step_url(kind: str, slug: str, anchor: str) -> str:
    return reverse("roadmap:step", args=[kind, slug]) + anchor


@login_required
@require_POST
def step_comment(request: AuthenticatedHttpRequest, kind: str, slug: str) -> HttpResponse:
    """The learner writes on their own step's thread (usually a reply to a mentor)."""
    item = _own_plan_item(request, kind, slug)
    form = StepCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Your comment was not saved: {form_errors(form)}")
    elif limit_reached(request, group="comments", rate=COMMENT_RATE, key="user"):
        messages.error(request, f"Your comment was not saved. {TOO_MANY_COMMENTS}")
    else:
        progress = progress_get_or_create(learner=user_of(request), kind=kind, item_id=item.item_key[1])
        try:
            comment_add(progress=progress, author=user_of(request), body=form.cleaned_data["body"])
        except MentoringError as exc:
            messages.error(request, str(exc))
    return redirect(_step_url(kind, slug, "#comments"))


@login_required
@require_POST
def step_comment_delete(request: AuthenticatedHttpRequest, kind: str, slug: str, pk: int) -> HttpResponse:
    """The learner deletes a comment (theirs or a mentor's) on their own step's thread."""
    item = _own_plan_item(request, kind, slug)
    progress = Progress.objects.filter(learner=user_of(request), **{f"{kind}_id": item.item_key[1]}).first()
    deleted = progress is not None and comment_delete(progress=progress, comment_id=pk, by=user_of(request))
    notice = "Comment deleted." if deleted else "That comment had already been deleted."
    if request.htmx:
        seen_at = timezone.now()
        mentoring = learner_thread_context(request, kind, item.item, progress)
        context = {"mentoring": mentoring, "thread": mentoring["thread"], "comment_notice": notice}
        response = render(request, "mentoring/_step_comments.html", context)
        if progress is not None:  # after rendering: the fragment flags what was new once
            comments_mark_seen(user=user_of(request), progress=progress, seen_at=seen_at)
        return response
    messages.success(request, notice)
    return redirect(_step_url(kind, slug, "#comments"))


@login_required
@require_POST
def step_review_request(request: AuthenticatedHttpRequest, kind: str, slug: str) -> HttpResponse:
    item = _own_plan_item(request, kind, slug)
    if item.project_id is None:
        raise Http404("Only project steps are reviewed.")
    form = ReviewRequestForm(request.POST)
    if form.is_valid():
        progress = progress_get_or_create(learner=user_of(request), kind=kind, item_id=item.project_id)
        try:
            review_request(progress=progress, **form.cleaned_data)
        except MentoringError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Review requested: your mentors see it on their dashboard.")
    else:
        messages.error(request, f"Your review request was not sent: {form_errors(form)}")
    return redirect(_step_url(kind, slug, "#review"))


# ---------------------------------------------------------------- answering an invitation


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    user = request.user
    try:
        mentorship = invitation_get(token=token)
    except InvitationExpired:
        return render(request, "mentoring/invitation_invalid.html", {"reason": "expired"}, status=410)
    except InvitationInvalid:
        return render(request, "mentoring/invitation_invalid.html", {"reason": "invalid"}, status=404)
    if mentorship.status == MS.ACTIVE and mentorship.mentor_id == user.pk:
        messages.info(request, f"You already accepted: you mentor {mentorship.learner}.")
        return redirect("mentoring:mentee", key=mentorship.key)
    if mentorship.status != MS.PENDING:
        return render(request, "mentoring/invitation_invalid.html", {"reason": "used"}, status=410)
    if invitation_link_opened(mentorship=mentorship, user=user):
        messages.success(request, f"Your address {user.email} is confirmed: the invitation was mailed to it.")
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
    return render(request, "mentoring/invitation.html", context, status=403 if problem else 200)


def _answer(request: AuthenticatedHttpRequest, mentorship: Mentorship, *, accept: bool) -> HttpResponse:
    user = request.user
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
