"""Helpers shared by the reminder tests: UTC datetimes, unsaved schedules, saved preferences, due
learners, a queued reminder."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from reminders import schedules
from reminders.models import ReminderLog, ReminderPreference
from tests.factories import ProfileFactory, ReminderPreferenceFactory

UTC = dt.UTC


Frequency = ReminderPreference.Frequency


Kind = ReminderLog.Kind


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def next_after(after: dt.datetime, *, time_zone: str = "UTC", **fields: Any) -> dt.datetime | None:
    """The next slot of unsaved preferences (weekly on Monday at 09:00 UTC unless told)."""
    preference = ReminderPreference(**fields)
    return schedules.preference_schedule_next(preference=preference, time_zone=time_zone, after=after)


def preference(profile: Profile) -> ReminderPreference:
    """The learner's saved reminder preferences, read afresh."""
    return ReminderPreference.objects.get(user_id=profile.user_id)


def settings_url() -> str:
    return reverse("reminders:settings")


def due(count: int = 1, **fields: Any) -> list[Profile]:
    """Onboarded learners whose reminder slot came a minute ago (weekly, Monday 09:00 UTC); the
    reminder preference fields among `fields` go to their ReminderPreference."""
    fields.setdefault("next_reminder_at", timezone.now() - timedelta(minutes=1))
    chosen = {name: fields.pop(name) for name in PREFERENCE_FIELDS & fields.keys()}
    profiles = ProfileFactory.create_batch(count, onboarded_at=timezone.now(), **fields)
    for profile in profiles:
        ReminderPreferenceFactory(user=profile.user, **chosen)
    return profiles


PREFERENCE_FIELDS = {"frequency", "weekday", "hour", "next_reminder_at", "last_reminded_at"}


def queued_reminder() -> tuple[Profile, ReminderLog]:
    """A due learner and the queued row of this week's reminder to them."""
    (profile,) = due(1)
    return profile, ReminderLog.objects.create(user=profile.user, kind=Kind.REMINDER, period="2026-W48")
