"""Writes of mentoring: invitations (and their signed tokens), their answers and endings, step
comments (adding, deleting, marking read) and project reviews."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.mail import enqueue
from accounts.models import User
from accounts.services import email_mark_verified
from mentoring.models import (
    COMMENT_MAX_LENGTH,
    REVIEW_MESSAGE_MAX_LENGTH,
    REVIEW_RESPONSE_MAX_LENGTH,
    CommentReadMarker,
    Delivery,
    Mentorship,
    NotificationKind,
    ProjectReview,
    StepComment,
)
from mentoring.notifications import notify
from mentoring.tasks import invitation_send, notification_send
from mentoring.tokens import invite_max_age
from roadmap.models import Progress

MS = Mentorship.Status
# A learner cannot flood strangers' inboxes: pending invitations are capped.
MAX_PENDING_INVITES = 10
MAX_EMAILS_PER_DAY = 20
RESEND_AFTER = timedelta(hours=1)
# Mentee page requests closer together than this belong to one visit.
VISIT_GAP = timedelta(hours=1)


class MentoringError(Exception):
    """A mentoring action that cannot happen now; the message is meant for the user."""


def _check_pending_quota(learner: User) -> None:
    pending = Mentorship.objects.filter(
        learner=learner, status=MS.PENDING, created_at__gte=timezone.now() - invite_max_age()
    )
    if pending.count() >= MAX_PENDING_INVITES:
        raise MentoringError(
            f"You already have {MAX_PENDING_INVITES} open invitations. Withdraw one before inviting again."
        )


def verify_first_message(user: User) -> str:
    return f"Verify your e-mail address first: open the link we mailed to {user.email}."


# ---------------------------------------------------------------- invitations


@transaction.atomic
def mentorship_invite(*, learner: User, email: str) -> Mentorship:
    """Invite a mentor by e-mail; a pending invitation to the same address is replaced (a resend)."""
    if not learner.email_verified:
        raise MentoringError(verify_first_message(learner))
    email = User.objects.normalize_email(email).strip().lower()
    if email == learner.email.lower():
        raise MentoringError("You cannot be your own mentor. Invite someone else.")
    if Mentorship.objects.filter(learner=learner, status=MS.ACTIVE, mentor__email__iexact=email).exists():
        raise MentoringError(f"{email} already mentors you.")
    now = timezone.now()
    sent = Mentorship.objects.filter(learner=learner, channel=Mentorship.Channel.EMAIL)
    if sent.filter(created_at__gte=now - timedelta(days=1)).count() >= MAX_EMAILS_PER_DAY:
        raise MentoringError(
            "You have sent many invitations today. Try again tomorrow, or share an invite link."
        )
    pending = sent.filter(status=MS.PENDING, invited_email__iexact=email)
    # Only a mail that left counts: with the mail server down, "resend" stays possible.
    if pending.filter(sent_at__gte=now - RESEND_AFTER).exists():
        raise MentoringError(
            f"An invitation to {email} was sent less than an hour ago. Give them a little time."
        )
    pending.update(status=MS.REVOKED, ended_at=now)
    _check_pending_quota(learner)
    mentorship = Mentorship.objects.create(
        learner=learner,
        invited_email=email,
        channel=Mentorship.Channel.EMAIL,
        key=secrets.token_urlsafe(32),
        created_at=now,
    )
    enqueue(invitation_send, mentorship.pk)
    return mentorship


@transaction.atomic
def mentorship_create_link(*, learner: User) -> Mentorship:
    """A single-use invitation link the learner shares however they like."""
    _check_pending_quota(learner)
    return Mentorship.objects.create(
        learner=learner, channel=Mentorship.Channel.LINK, key=secrets.token_urlsafe(32)
    )


def _lock_pending(mentorship: Mentorship) -> Mentorship:
    locked = Mentorship.objects.select_for_update().select_related("learner").get(pk=mentorship.pk)
    if locked.status != MS.PENDING:
        raise MentoringError("This invitation has already been answered or withdrawn.")
    if locked.created_at < timezone.now() - invite_max_age():
        raise MentoringError("This invitation has expired. Ask for a new one.")
    return locked


def mentorship_answer_problem(*, mentorship: Mentorship, user: User) -> str:
    """Why `user` cannot answer this pending invitation, or "" when they can."""
    if mentorship.learner_id == user.pk:
        return "This is your own invitation: you cannot mentor yourself. Share it with your mentor."
    if (
        mentorship.channel == Mentorship.Channel.EMAIL
        and mentorship.invited_email.lower() != user.email.lower()
    ):
        return (
            f"This invitation was sent to another e-mail address. Log in as that address to answer it "
            f"(you are logged in as {user.email})."
        )
    if mentorship.channel == Mentorship.Channel.EMAIL and not user.email_verified:
        return verify_first_message(user)
    if Mentorship.objects.filter(learner_id=mentorship.learner_id, mentor=user, status=MS.ACTIVE).exists():
        return f"You already mentor {mentorship.learner}."
    return ""


@transaction.atomic
def invitation_link_opened(*, mentorship: Mentorship, user: User) -> bool:
    """The invited address's owner opened the signed link mailed to it: that proves the address as a
    verification link would. True when it verified `user`'s address just now."""
    if (
        mentorship.channel != Mentorship.Channel.EMAIL
        or mentorship.invited_email.lower() != user.email.lower()
        or user.email_verified
    ):
        return False
    email_mark_verified(user=user)
    return True


@transaction.atomic
def mentorship_accept(*, mentorship: Mentorship, mentor: User) -> Mentorship:
    mentorship = _lock_pending(mentorship)
    problem = mentorship_answer_problem(mentorship=mentorship, user=mentor)
    if problem:
        raise MentoringError(problem)
    mentorship.mentor = mentor
    mentorship.status = MS.ACTIVE
    mentorship.responded_at = timezone.now()
    try:
        with transaction.atomic():
            mentorship.save(update_fields=["mentor", "status", "responded_at"])
    except IntegrityError as exc:  # a concurrent accept of another invitation by the same pair
        raise MentoringError(f"You already mentor {mentorship.learner}.") from exc
    return mentorship


@transaction.atomic
def mentorship_decline(*, mentorship: Mentorship, mentor: User) -> Mentorship:
    mentorship = _lock_pending(mentorship)
    if mentorship.learner_id == mentor.pk:
        raise MentoringError("This is your own invitation. Withdraw it from your mentors page instead.")
    problem = mentorship_answer_problem(mentorship=mentorship, user=mentor)
    if problem and mentorship.channel == Mentorship.Channel.EMAIL:
        raise MentoringError(problem)
    mentorship.mentor = mentor
    mentorship.status = MS.DECLINED
    mentorship.responded_at = timezone.now()
    mentorship.save(update_fields=["mentor", "status", "responded_at"])
    return mentorship


@transaction.atomic
def mentorship_revoke(*, learner: User, key: str) -> Mentorship:
    """The learner ends a mentorship or withdraws an invitation; the mentor loses access at once."""
    found = Mentorship.objects.filter(learner=learner, key=key, status__in=[MS.PENDING, MS.ACTIVE])
    return _mentorship_close(found, status=MS.REVOKED)


@transaction.atomic
def mentorship_step_down(*, mentor: User, key: str) -> Mentorship:
    found = Mentorship.objects.select_related("learner").filter(mentor=mentor, key=key, status=MS.ACTIVE)
    return _mentorship_close(found, status=MS.ENDED)


def _mentorship_close(found: QuerySet[Mentorship], *, status: str) -> Mentorship:
    """End the one mentorship in `found` (locked first) with `status`; DoesNotExist when there is none."""
    mentorship = found.select_for_update().first()
    if mentorship is None:
        raise Mentorship.DoesNotExist
    mentorship.status = status
    mentorship.ended_at = timezone.now()
    mentorship.save(update_fields=["status", "ended_at"])
    return mentorship


@transaction.atomic
def mentee_visit_record(*, mentorship: Mentorship, at: datetime | None = None) -> datetime | None:
    """The mentor opens the mentee page: returns the moment its "since your last visit" counts from
    (None: first visit). A new visit starts after VISIT_GAP without requests; until then a reload
    shows the same changes."""
    at = at or timezone.now()
    row = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if row.mentor_seen_at is None or at - row.mentor_seen_at > VISIT_GAP:
        row.changes_since = row.mentor_seen_at
    row.mentor_seen_at = at
    row.save(update_fields=["mentor_seen_at", "changes_since"])
    return row.changes_since


# ---------------------------------------------------------------- comments and reviews on steps


def _notify(*, kind: str, progress: Progress, actor_id: int) -> None:
    """Record the event for everyone who wants to hear of it; the instant ones are mailed once the
    caller's transaction commits."""
    for notification in notify(kind=kind, progress=progress, actor_id=actor_id):
        if notification.delivery == Delivery.INSTANT:
            enqueue(notification_send, notification.pk)


def comments_mark_read(*, user: User, progress: Progress, at: datetime | None = None) -> None:
    """Everything on this step's thread up to `at` (now by default) counts as read by `user`."""
    CommentReadMarker.objects.update_or_create(
        user=user, progress=progress, defaults={"read_at": at or timezone.now()}
    )


def comments_mark_seen(*, user: User, progress: Progress, seen_at: datetime) -> None:
    """A page showed `user` this step's thread as it was at `seen_at`: what it flagged as new counts
    as read from now on. No write when nothing was new; a comment posted while the page rendered
    stays unread."""
    shown = StepComment.objects.filter(progress=progress, created_at__lte=seen_at)
    if shown.unread_by(user).exists():
        comments_mark_read(user=user, progress=progress, at=seen_at)


@transaction.atomic
def comment_add(*, progress: Progress, author: User, body: str) -> StepComment:
    body = body.strip()
    if not body:
        raise MentoringError("Write a comment first.")
    _check_length(body, COMMENT_MAX_LENGTH, "A comment")
    comment = StepComment.objects.create(progress=progress, author=author, body=body)
    # One's own comment is read by definition; the marker moves past it.
    comments_mark_read(user=author, progress=progress)
    _notify(kind=NotificationKind.COMMENT, progress=progress, actor_id=author.pk)
    return comment


@transaction.atomic
def comment_delete(*, progress: Progress, comment_id: int, by: User) -> bool:
    """`by` deletes a comment of this step's thread: the learner any comment on their own step, a
    mentor (while mentoring them) only their own. False when there is no such comment to delete.

    Unread counts need no update: they count the comments that exist.
    """
    comments = StepComment.objects.filter(pk=comment_id, progress=progress)
    if progress.learner_id != by.pk:
        mentoring = Mentorship.objects.filter(learner_id=progress.learner_id, mentor=by, status=MS.ACTIVE)
        if not mentoring.exists():
            raise MentoringError("Only the learner and their mentors can delete comments on this step.")
        comments = comments.filter(author=by)
    deleted, _ = comments.delete()
    return bool(deleted)


def _check_length(text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        raise MentoringError(f"{what} can be at most {limit:,} characters long; this one has {len(text):,}.")


@transaction.atomic
def review_request(*, progress: Progress, evidence_url: str, message: str = "") -> ProjectReview:
    """Ask the learner's mentors to review a project step; continues the step's review thread."""
    if progress.project_id is None:
        raise MentoringError("Reviews are for project steps only.")
    if not Mentorship.objects.filter(learner_id=progress.learner_id, status=MS.ACTIVE).exists():
        raise MentoringError("Invite a mentor first: a review needs someone to answer it.")
    if ProjectReview.objects.filter(progress=progress, status=ProjectReview.Status.REQUESTED).exists():
        raise MentoringError("A review of this project is already waiting for your mentor.")
    _check_length(message.strip(), REVIEW_MESSAGE_MAX_LENGTH, "The note for your mentor")
    try:
        with transaction.atomic():
            review = ProjectReview.objects.create(
                progress=progress, evidence_url=evidence_url, message=message.strip()
            )
    except IntegrityError as exc:  # a double submit racing past the check above
        raise MentoringError("A review of this project is already waiting for your mentor.") from exc
    _notify(kind=NotificationKind.REVIEW_REQUESTED, progress=progress, actor_id=progress.learner_id)
    return review


@transaction.atomic
def review_respond(*, progress: Progress, reviewer: User, approve: bool, response: str) -> ProjectReview:
    """The mentor's answer to the open review request of this step."""
    review = (
        ProjectReview.objects.select_for_update()
        .filter(progress=progress, status=ProjectReview.Status.REQUESTED)
        .first()
    )
    if review is None:
        raise MentoringError("There is no review waiting on this step (it may have been answered already).")
    response = response.strip()
    _check_length(response, REVIEW_RESPONSE_MAX_LENGTH, "A review comment")
    if not approve and not response:
        raise MentoringError("Say what should change: a comment is required when requesting changes.")
    review.status = ProjectReview.Status.APPROVED if approve else ProjectReview.Status.CHANGES_REQUESTED
    review.reviewer = reviewer
    review.responded_at = timezone.now()
    review.response = response
    review.save(update_fields=["status", "reviewer", "responded_at", "response"])
    _notify(kind=NotificationKind.REVIEW_ANSWERED, progress=progress, actor_id=reviewer.pk)
    return review
