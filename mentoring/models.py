"""Mentorships (a learner's invitation to a mentor), comments on steps and their read markers,
project reviews."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

# The longest texts a user may write here (forms and services enforce them, as for notes). The tables
# keep the names they had before the models moved here (db_table), so no row had to move.
COMMENT_MAX_LENGTH = 5_000
REVIEW_MESSAGE_MAX_LENGTH = 2_000
REVIEW_RESPONSE_MAX_LENGTH = 5_000


class Mentorship(models.Model):
    """A learner's invitation to a mentor; nothing is visible to the mentor until ACTIVE."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked by the learner"
        ENDED = "ended", "Ended by the mentor"

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        LINK = "link", "Invite link"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_learner"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mentorships_as_mentor",
    )
    invited_email = models.EmailField(blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    # Random, unguessable key used in invite links (signed separately for expiry).
    key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    # When the invitation mail was accepted by the mail server (set by the Celery task, not the request).
    sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The mentor's visits of the mentee page: the last request, and the moment "what changed" counts
    # from (the end of the visit before, so a reload within a visit keeps showing the same changes).
    mentor_seen_at = models.DateTimeField(null=True, blank=True)
    changes_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "accounts_mentorship"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "mentor"],
                condition=Q(status="active"),
                name="one_active_mentorship_per_pair",
            ),
            models.CheckConstraint(condition=~Q(learner=models.F("mentor")), name="mentor_is_not_learner"),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(mentor__isnull=False), name="active_mentorship_has_mentor"
            ),
        ]
        indexes = [models.Index(fields=["mentor", "status"]), models.Index(fields=["learner", "status"])]

    def __str__(self) -> str:
        return f"{self.learner} → {self.mentor or self.invited_email or 'link'} ({self.status})"


class StepCommentQuerySet(models.QuerySet["StepComment"]):
    def unread_by(self, reader: Any) -> StepCommentQuerySet:
        """The comments `reader` has not read: by someone else, newer than `reader`'s read marker of the step."""
        read = CommentReadMarker.objects.filter(
            user=reader, progress=OuterRef("progress"), read_at__gte=OuterRef("created_at")
        )
        return self.exclude(author=reader).filter(~Exists(read))


class StepComment(models.Model):
    progress = models.ForeignKey("roadmap.Progress", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=COMMENT_MAX_LENGTH, help_text="Markdown.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = StepCommentQuerySet.as_manager()

    class Meta:
        db_table = "roadmap_stepcomment"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.progress_id}"


class CommentReadMarker(models.Model):
    """Up to when a user has read the comment thread of one step."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    progress = models.ForeignKey("roadmap.Progress", on_delete=models.CASCADE, related_name="read_markers")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "roadmap_commentreadmarker"
        constraints = [models.UniqueConstraint(fields=["user", "progress"], name="unique_read_marker")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.progress_id} at {self.read_at}"


class ProjectReview(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for review"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    progress = models.ForeignKey("roadmap.Progress", on_delete=models.CASCADE, related_name="reviews")
    evidence_url = models.URLField(max_length=500)
    message = models.TextField(blank=True, max_length=REVIEW_MESSAGE_MAX_LENGTH, help_text="Markdown.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True, max_length=REVIEW_RESPONSE_MAX_LENGTH, help_text="Markdown.")

    class Meta:
        db_table = "roadmap_projectreview"
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["progress"], condition=Q(status="requested"), name="one_open_review_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.progress_id}: {self.status}"


# ---------------------------------------------------------------- notifications by e-mail


class Delivery(models.TextChoices):
    INSTANT = "instant", "Right away"
    DAILY = "daily", "In one daily summary"
    OFF = "off", "Never"


class NotificationKind(models.TextChoices):
    REVIEW_REQUESTED = "review_requested", "A review is requested (to mentors)"
    REVIEW_ANSWERED = "review_answered", "A review is answered (to the learner)"
    COMMENT = "comment", "A comment arrives"


class NotificationSettings(models.Model):
    """How one person wants to hear of each kind of mentoring event; no row means every kind right away."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    review_requested = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.INSTANT)
    review_answered = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.INSTANT)
    comment = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.INSTANT)

    def __str__(self) -> str:
        return f"Notification settings of {self.user_id}"

    def delivery(self, kind: str) -> str:
        return str(getattr(self, kind))


class DailySummary(models.Model):
    """One person's summary mail of one day: written once, `sent_at` set when the server took it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_summary_per_user_and_day")]

    def __str__(self) -> str:
        return f"Summary of {self.day} for {self.user_id}"


class Notification(models.Model):
    """Something that happened that `recipient` is told of by e-mail, now (INSTANT) or in a summary."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)
    progress = models.ForeignKey("roadmap.Progress", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    summary = models.ForeignKey(
        DailySummary, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["delivery", "emailed_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(delivery="off"), name="notification_is_delivered"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
