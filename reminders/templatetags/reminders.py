"""Reminder facts for pages of the apps below (the profile page, onboarding, settings): they show the
schedule without importing reminders."""

from __future__ import annotations

from django import template

from accounts.models import Profile
from roadmap.reminders import reminder_schedule_label

register = template.Library()


@register.simple_tag
def reminder_schedule(profile: Profile | None) -> str:
    """The learner's reminder schedule in words ("Weekly, on Mondays at 09:00"); "" without a profile."""
    return reminder_schedule_label(profile) if profile is not None else ""
