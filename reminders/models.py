"""Reminder e-mails: each user's preferences and next slot, and the log that sends each mail once."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReminderPreference(models.Model):
    """When a user gets reminder e-mails; Off also stops nudges and mentor digests. One per user
    (created with the user, reminders.apps); the learner's time zone stays on accounts.Profile."""

    class Frequency(models.TextChoices):
        OFF = "off", "Off"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    hour = models.PositiveSmallIntegerField(
        default=9, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    # UTC instant of the next scheduled reminder; the sweep selects on this indexed column.
    next_reminder_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(hour__lte=23), name="reminder_preference_hour_range"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="reminder_preference_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"Reminder preferences of {self.user}"


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
