"""Keeping reminder preferences in step with accounts, which cannot import this app: every new user
gets preferences, and a profile's new time zone or first onboarding moves the next slot."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import Profile, User
from reminders.models import ReminderPreference
from reminders.services import preference_create, preference_schedule_update

# The profile fields the reminder slot depends on (the schedule's own fields live in ReminderPreference).
SCHEDULE_FIELDS = frozenset({"time_zone", "onboarded_at"})


def preference_for_new_user(
    sender: type[User], instance: User, created: bool, raw: bool, **kwargs: Any
) -> None:
    """post_save of User: a new user starts with the default preferences (weekly, Mondays at 09:00)."""
    if created and not raw:
        preference_create(user=instance)


def slot_follow_profile(
    sender: type[Profile], instance: Profile, raw: bool, update_fields: frozenset[str] | None, **kwargs: Any
) -> None:
    """post_save of Profile: once onboarded, the next slot follows the learner's time zone. A slot
    that has come stays: the sweep sends it, then moves the learner on in the zone saved now."""
    if raw or instance.onboarded_at is None:
        return
    if update_fields is not None and not SCHEDULE_FIELDS & update_fields:
        return
    preference = ReminderPreference.objects.filter(user_id=instance.user_id).first()
    if preference is None or (preference.next_reminder_at and preference.next_reminder_at <= timezone.now()):
        return
    preference_schedule_update(preference=preference, time_zone=instance.time_zone)
