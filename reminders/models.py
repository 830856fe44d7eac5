"""Reminder e-mails: the log that sends each one once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReminderLog(models.Model):
    """One row per (learner, kind, period): the guard that makes every reminder go out once."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Scheduled reminder"
        NUDGE = "nudge", "Inactivity nudge"
        DIGEST = "digest", "Mentor digest"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_logs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period = models.CharField(max_length=32, help_text="e.g. 2026-11-24 (daily) or 2026-W48 (weekly).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "period"], name="one_reminder_per_period")
        ]
        db_table = "roadmap_reminderlog"

    def __str__(self) -> str:
        return f"{self.kind} for {self.user} ({self.period}): {self.status}"
