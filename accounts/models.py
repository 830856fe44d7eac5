"""Users (who log in by e-mail) and learner profiles."""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
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


@functools.cache
def time_zone_names() -> frozenset[str]:
    """The IANA time zone names (tzdata); "Factory" and "localtime" are not places."""
    return frozenset(zoneinfo.available_timezones() - {"Factory", "localtime"})


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    """The time zones for a form's choices, by name."""
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


def zone_or_utc(name: str | None) -> zoneinfo.ZoneInfo:
    """The time zone of this name; UTC when none is set or the name is unknown (forms validate the
    name, old rows and hand-edited ones may not be)."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def today_in(name: str | None) -> dt.date:
    """Today's date in the named time zone: late on the 1st in Auckland is already the 2nd."""
    return timezone.now().astimezone(zone_or_utc(name)).date()


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
    tracks = models.ManyToManyField("catalog.Track", blank=True, related_name="+")
    known_skills = models.ManyToManyField("catalog.Skill", blank=True, related_name="+")
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

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """Where the learner lives (UTC for a zone we do not know)."""
        return zone_or_utc(self.time_zone)

    def today(self) -> dt.date:
        """Today's date where the learner lives."""
        return today_in(self.time_zone)
