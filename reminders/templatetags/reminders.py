"""The saved reminder schedule in words, for pages of other apps (onboarding, settings, profile)."""

from __future__ import annotations

from django import template

from accounts.models import User
from reminders.models import ReminderPreference
from reminders.schedules import reminder_schedule_label

register = template.Library()


@register.simple_tag
def reminder_schedule(user: User) -> str:
    """ "Weekly, on Mondays at 09:00", "Daily at 18:00" or "Off" (the defaults before any choice)."""
    preference = ReminderPreference.objects.filter(user_id=user.pk).first() or ReminderPreference()
    return reminder_schedule_label(preference)
