"""What a learner shares beyond Pathwise: their calendar feed and study sessions, their public page
and its card, and the badges (Open Badges 3.0 credentials) the site issued them."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

# 32 random bytes, URL-safe: 43 characters nobody guesses (RFC 4086's 128 bits, twice over).
TOKEN_BYTES = 32
TOKEN_LENGTH = 43
HANDLE_MAX_LENGTH = 30
SESSION_MINUTES_MAX = 8 * 60
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class Sharing(models.Model):
    """One learner's sharing settings: the feed and card tokens, study sessions, the public page."""

    learner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing")
    feed_token = models.CharField(max_length=64, unique=True, default=new_token)
    card_token = models.CharField(max_length=64, unique=True, default=new_token)
    # Study sessions: the weekdays (0 Monday .. 6 Sunday), the start in the learner's time zone, the length.
    session_days = models.JSONField(default=list, blank=True)
    session_start = models.TimeField(default=dt.time(19, 0))
    session_minutes = models.PositiveSmallIntegerField(default=60)
    # The public page: off until the learner turns it on; stored lower-cased (handles are case-blind).
    public = models.BooleanField(default=False)
    handle = models.CharField(max_length=HANDLE_MAX_LENGTH, unique=True, null=True, blank=True)
    indexable = models.BooleanField(default=False, help_text="Let search engines index the page.")
    show_progress = models.BooleanField(default=True, help_text="Tracks and overall progress.")
    show_stages = models.BooleanField(default=True, help_text="A bar per stage.")
    show_map = models.BooleanField(default=False, help_text="The map of the roadmap.")
    show_projects = models.BooleanField(default=True, help_text="Finished projects and their evidence links.")
    show_badges = models.BooleanField(default=True)
    show_streak = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(session_minutes__gte=15, session_minutes__lte=SESSION_MINUTES_MAX),
                name="sharing_session_minutes_range",
            ),
            models.CheckConstraint(condition=Q(handle=Lower("handle")), name="handle_lower"),
        ]

    def __str__(self) -> str:
        return f"Sharing of {self.learner}"

    @property
    def session_day_names(self) -> list[str]:
        return [WEEKDAYS[day] for day in sorted(self.session_days) if 0 <= day < len(WEEKDAYS)]


class Credential(models.Model):
    """A badge the site issued: the signed credential as issued, kept after the learner is gone so
    that verification can say "revoked" rather than "unknown"."""

    class Kind(models.TextChoices):
        TRACK = "track", "Finished a track"
        STAGE = "stage", "Finished a stage"
        PROJECT = "project", "Project approved by a mentor"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="credentials"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What was achieved, one per learner: "track:<slug>", "stage:<track slug>:<stage title>", "project:<slug>".
    subject = models.CharField(max_length=300)
    name = models.CharField(max_length=300)
    issued_at = models.DateTimeField(default=timezone.now)
    jws = models.TextField(help_text="The credential as signed (compact JWS).")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "subject"],
                condition=Q(learner__isnull=False),
                name="one_badge_per_subject",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class PlanPdf(models.Model):
    """A plan's PDF, made by a worker (sharing.tasks) for whoever asked: the learner, or one of their
    mentors (with only what the learner shares). The latest only, one per requester and learner;
    `version` says which state of the plan it shows, so a stale one is made again. Nothing secret:
    deleted with either account."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # "all" (the learner's copy with their notes), "none", or "shared" (a mentor's copy).
    notes = models.CharField(max_length=6)
    version = models.CharField(max_length=64)
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.PENDING)
    content = models.BinaryField(default=bytes, blank=True, editable=False)
    requested_at = models.DateTimeField(default=timezone.now)
    made_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requester", "learner"], name="one_plan_pdf_per_requester")
        ]

    def __str__(self) -> str:
        return f"Plan PDF of {self.learner_id} for {self.requester_id} ({self.status})"
