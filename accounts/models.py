"""Users (who log in by e-mail), learner profiles and mentorships."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Line breaks and other control characters: a CR or LF in a name would reach mail headers.
CONTROL_CHARACTERS = r"[\x01-\x1f\x7f\u2028\u2029]"


def validate_display_name(value: str) -> None:
    if re.search(CONTROL_CHARACTERS, value) or "\x00" in value:
        raise ValidationError(
            "Your name cannot contain line breaks, tabs or other control characters.", code="control"
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        # Addresses are stored lower-cased: log-in takes one in any case ("Ada@Example.com").
        return self.get(email=(username or "").strip().lower())

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(max_length=80, blank=True, validators=[validate_display_name])
    # None until the owner opens the signed link mailed to the address (accounts.verification).
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(display_name__regex=CONTROL_CHARACTERS),
                name="user_display_name_no_control_characters",
                violation_error_message="Your name cannot contain line breaks or other control characters.",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Profile(models.Model):
    """What onboarding asks, plus denormalised activity (reminder preferences: reminders.ReminderPreference)."""

    class Background(models.TextChoices):
        SOFTWARE_ENGINEER = "software_engineer", "Software engineer"
        DATA_ANALYST = "data_analyst", "Data analyst"
        DATA_SCIENTIST = "data_scientist", "Data scientist"
        STUDENT = "student", "Student"
        RESEARCHER = "researcher", "Researcher"
        OTHER = "other", "Other"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    background = models.CharField(max_length=32, choices=Background.choices, default=Background.OTHER)
    tracks = models.ManyToManyField("roadmap.Track", blank=True, related_name="+")
    known_skills = models.ManyToManyField("roadmap.Skill", blank=True, related_name="+")
    hours_per_week = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    target_date = models.DateField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    onboarded_at = models.DateTimeField(null=True, blank=True)

    last_activity_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=1, hours_per_week__lte=80), name="profile_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


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

    class Meta:
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
