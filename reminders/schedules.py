"""Reminder schedules, pure: the next send time in the learner's zone (DST included), periods, labels."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import zone_or_utc
from reminders.models import ReminderPreference

Frequency = ReminderPreference.Frequency
UTC = dt.UTC
# Slots are whole local hours and the sweep runs every 15 minutes: a slot that came less than this
# long ago may not have been swept yet, so re-scheduling keeps it (the period guard stops a repeat).
SWEEP_INTERVAL = dt.timedelta(minutes=15)


def schedule_next(
    *, frequency: str, weekday: int, hour: int, time_zone: str, after: dt.datetime
) -> dt.datetime | None:
    """The first UTC instant after `after` that is `hour`:00 local time (on `weekday` when weekly)."""
    if frequency not in (Frequency.DAILY, Frequency.WEEKLY):
        return None
    zone = zone_or_utc(time_zone)
    first_day = after.astimezone(zone).date()
    for offset in range(9):
        day = first_day + dt.timedelta(days=offset)
        if frequency == Frequency.WEEKLY and day.weekday() != weekday:
            continue
        # fold=0 (zoneinfo's default): an hour skipped when clocks go forward is read with the offset
        # in force before the change (01:00 on the London spring day is sent at 02:00 BST), and an
        # hour that happens twice when clocks go back is its first occurrence, so one slot a day.
        slot = dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(UTC)
        if slot > after:
            return slot
    raise AssertionError("a daily or weekly slot always comes within 8 days")


def preference_schedule_next(
    *, preference: ReminderPreference, time_zone: str, after: dt.datetime
) -> dt.datetime | None:
    """The user's next reminder slot after `after`, in UTC; None when reminders are off."""
    return schedule_next(
        frequency=preference.frequency,
        weekday=preference.weekday,
        hour=preference.hour,
        time_zone=time_zone,
        after=after,
    )


def preference_next_send(
    *, preference: ReminderPreference, time_zone: str, now: dt.datetime | None = None
) -> dt.datetime | None:
    """When the user's next reminder goes out, in their time zone, from the saved preferences
    (not from next_reminder_at, which a sweep or an older code path may not have set yet)."""
    slot = preference_schedule_next(preference=preference, time_zone=time_zone, after=now or timezone.now())
    return slot.astimezone(zone_or_utc(time_zone)) if slot else None


def reminder_schedule_label(preference: ReminderPreference) -> str:
    """The saved schedule in words: "Weekly, on Mondays at 09:00", "Daily at 18:00" or "Off"."""
    at = f"{preference.hour:02d}:00"
    if preference.frequency == Frequency.DAILY:
        return f"Daily at {at}"
    if preference.frequency == Frequency.WEEKLY:
        return f"Weekly, on {ReminderPreference.Weekday(preference.weekday).label}s at {at}"
    return "Off"


def reminder_period(*, frequency: str, slot: dt.datetime, time_zone: str) -> str:
    """The period a slot belongs to: its local date (daily) or its ISO week (weekly)."""
    day = slot.astimezone(zone_or_utc(time_zone)).date()
    if frequency == Frequency.DAILY:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
