"""Reminder schedules (pure, no database): weekly and daily slots across time zones and DST changes."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from reminders import schedules
from tests.reminders.helpers import UTC, Frequency, next_after, utc


def test_weekly_on_monday_at_nine_utc_is_the_default() -> None:
    # Tuesday 24 November 2026 → Monday 30 November, 09:00 UTC.
    assert next_after(utc(2026, 11, 24, 12)) == utc(2026, 11, 30, 9)


def test_daily_reminder_comes_later_the_same_day_when_the_hour_is_ahead() -> None:
    assert next_after(utc(2026, 11, 24, 8), frequency=Frequency.DAILY) == utc(2026, 11, 24, 9)


def test_daily_reminder_moves_to_tomorrow_once_the_hour_has_come() -> None:
    assert next_after(utc(2026, 11, 24, 9), frequency=Frequency.DAILY) == utc(2026, 11, 25, 9)


def test_reminders_off_have_no_next_slot() -> None:
    assert next_after(utc(2026, 11, 24, 9), frequency=Frequency.OFF) is None


def test_local_hour_is_kept_across_the_spring_clock_change_in_london() -> None:
    london = {"frequency": Frequency.DAILY, "time_zone": "Europe/London"}
    # Saturday 28 March 2026 09:00 GMT is 09:00 UTC; Sunday 09:00 BST is 08:00 UTC.
    assert next_after(utc(2026, 3, 28, 8), **london) == utc(2026, 3, 28, 9)
    assert next_after(utc(2026, 3, 28, 9), **london) == utc(2026, 3, 29, 8)


def test_an_hour_skipped_by_the_clock_change_is_sent_just_after_the_gap() -> None:
    # New York skips 02:00-03:00 on 8 March 2026: the 02:00 reminder goes at 03:00 EDT (07:00 UTC).
    slot = next_after(utc(2026, 3, 8, 0), frequency=Frequency.DAILY, hour=2, time_zone="America/New_York")
    assert slot == utc(2026, 3, 8, 7)
    assert slot.astimezone(ZoneInfo("America/New_York")).hour == 3


def test_an_hour_that_happens_twice_in_the_autumn_gets_one_reminder() -> None:
    london = {"frequency": Frequency.DAILY, "hour": 1, "time_zone": "Europe/London"}
    # 01:00 happens twice on 25 October 2026 (BST, then GMT): the first one is the slot...
    first = next_after(utc(2026, 10, 24, 12), **london)
    assert first == utc(2026, 10, 25, 0)
    # ...and after it, the next slot is the following day, not the repeated hour.
    assert next_after(first, **london) == utc(2026, 10, 26, 1)


def test_learner_at_utc_plus_14_gets_mondays_reminder_on_sunday_evening_utc() -> None:
    slot = next_after(utc(2026, 11, 22, 12), time_zone="Pacific/Kiritimati")
    assert slot == utc(2026, 11, 22, 19)
    assert slot.astimezone(ZoneInfo("Pacific/Kiritimati")) == dt.datetime(
        2026, 11, 23, 9, tzinfo=ZoneInfo("Pacific/Kiritimati")
    )


def test_learner_at_utc_minus_12_gets_mondays_reminder_on_monday_evening_utc() -> None:
    # At 10:00 UTC on Monday it is still Sunday 22:00 at UTC-12 (Etc/GMT+12, POSIX sign).
    assert next_after(utc(2026, 11, 23, 10), time_zone="Etc/GMT+12") == utc(2026, 11, 23, 21)


def test_period_is_the_local_iso_week_for_weekly_reminders() -> None:
    # Sunday 22 November 19:00 UTC is Monday 23 November at UTC+14: week 48, not 47.
    period = schedules.reminder_period(
        frequency=Frequency.WEEKLY, slot=utc(2026, 11, 22, 19), time_zone="Pacific/Kiritimati"
    )
    assert period == "2026-W48"


def test_period_is_the_local_date_for_daily_reminders() -> None:
    period = schedules.reminder_period(
        frequency=Frequency.DAILY, slot=utc(2026, 11, 23, 21), time_zone="Etc/GMT+12"
    )
    assert period == "2026-11-23"


ZONES = [
    "UTC",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
    "Etc/GMT+12",
]


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    after=st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2030, 12, 31)),
    zone=st.sampled_from(ZONES),
    frequency=st.sampled_from([Frequency.DAILY, Frequency.WEEKLY]),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
)
def test_next_slot_is_the_first_local_hour_after_now(
    after: dt.datetime, zone: str, frequency: str, weekday: int, hour: int
) -> None:
    after = after.replace(tzinfo=UTC)
    fields = {
        "frequency": frequency,
        "weekday": weekday,
        "hour": hour,
        "time_zone": zone,
    }
    slot = next_after(after, **fields)
    assert slot is not None and slot > after
    local = slot.astimezone(ZoneInfo(zone))
    # The local hour, or just after a clock-change gap that swallowed it (Lord Howe's is 30 min).
    assert local.hour == hour or (local - timedelta(hours=1)).hour == hour or local.minute == 30
    assert slot - after <= timedelta(days=1 if frequency == Frequency.DAILY else 7, hours=1)
    if frequency == Frequency.WEEKLY:
        assert local.weekday() == weekday
    # No slot was skipped: the day before the slot's, the same hour was not after `after`.
    earlier = next_after(after - timedelta(days=1 if frequency == Frequency.DAILY else 7), **fields)
    assert earlier is not None and earlier <= after
