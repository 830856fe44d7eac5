"""Reminder e-mails: schedules across time zones, the sweeps, mail contents, settings, unsubscribing.

Tasks run in-process here (tests/conftest.py); tests/reminders/test_worker.py runs the real worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Profile
from mentoring.models import ProjectReview
from reminders import messages, schedules, services, tokens
from reminders.models import ReminderLog, ReminderPreference
from roadmap.models import Progress
from tests.celery_utils import SmtpSink
from tests.factories import (
    ActiveMentorshipFactory,
    MentorshipFactory,
    PlanFactory,
    PlanItemFactory,
    ProfileFactory,
    ProgressFactory,
    ProjectReviewFactory,
    ReminderPreferenceFactory,
    UserFactory,
)

UTC = dt.UTC
Frequency = ReminderPreference.Frequency
Kind = ReminderLog.Kind


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Factories set a password on every user; these tests create many users and log in as none."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def next_after(after: dt.datetime, *, time_zone: str = "UTC", **fields: Any) -> dt.datetime | None:
    """The next slot of unsaved preferences (weekly on Monday at 09:00 UTC unless told)."""
    preference = ReminderPreference(**fields)
    return schedules.preference_schedule_next(preference=preference, time_zone=time_zone, after=after)


def preference(profile: Profile) -> ReminderPreference:
    """The learner's saved reminder preferences, read afresh."""
    return ReminderPreference.objects.get(user_id=profile.user_id)


# ---------------------------------------------------------------- schedules (pure, no database)


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


# ---------------------------------------------------------------- saving preferences


@pytest.fixture
def learner_profile(db: None) -> Profile:
    return ProfileFactory(onboarded_at=timezone.now())


def test_saving_preferences_schedules_the_next_reminder(learner_profile: Profile) -> None:
    services.reminder_preferences_update(
        preference=preference(learner_profile),
        profile=learner_profile,
        frequency=Frequency.DAILY,
        weekday=0,
        hour=7,
        time_zone="Asia/Tokyo",
    )

    slot = preference(learner_profile).next_reminder_at
    local = slot.astimezone(ZoneInfo("Asia/Tokyo"))
    assert (local.hour, local.minute) == (7, 0)
    assert slot > timezone.now() - schedules.SWEEP_INTERVAL


def test_turning_reminders_off_clears_the_next_reminder(learner_profile: Profile) -> None:
    assert preference(learner_profile).next_reminder_at is not None
    services.reminder_preferences_update(
        preference=preference(learner_profile),
        profile=learner_profile,
        frequency=Frequency.OFF,
        weekday=0,
        hour=9,
        time_zone="UTC",
    )

    assert preference(learner_profile).next_reminder_at is None


def test_an_unknown_time_zone_is_refused_and_nothing_changes(learner_profile: Profile) -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        services.reminder_preferences_update(
            preference=preference(learner_profile),
            profile=learner_profile,
            frequency=Frequency.DAILY,
            weekday=0,
            hour=9,
            time_zone="Mars/Olympus",
        )

    learner_profile.refresh_from_db()
    assert (learner_profile.time_zone, preference(learner_profile).frequency) == ("UTC", Frequency.WEEKLY)


# ---------------------------------------------------------------- the settings page


def settings_url() -> str:
    return reverse("reminders:settings")


def test_settings_page_needs_a_login(client: Client, db: None) -> None:
    response = client.get(settings_url())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_settings_page_shows_the_next_reminder_in_local_time(
    client: Client, learner_profile: Profile
) -> None:
    learner_profile.time_zone = "Asia/Kolkata"
    learner_profile.save()
    ReminderPreferenceFactory(user=learner_profile.user, weekday=ReminderPreference.Weekday.THURSDAY)
    client.force_login(learner_profile.user)

    response = client.get(settings_url())

    expected = schedules.preference_schedule_next(
        preference=preference(learner_profile), time_zone="Asia/Kolkata", after=timezone.now()
    )
    assert expected is not None
    local = expected.astimezone(ZoneInfo("Asia/Kolkata"))
    assert response.status_code == 200
    assert "Weekly, on Thursdays at 09:00 (Asia/Kolkata)" in response.text
    assert f"{local:%A} {local.day} {local:%B %Y}, 09:00 (Asia/Kolkata)" in response.text


def test_settings_page_shows_the_saved_schedule_even_before_any_slot_was_stored(
    client: Client, learner_profile: Profile
) -> None:
    ReminderPreference.objects.filter(user=learner_profile.user).update(
        next_reminder_at=None, frequency=Frequency.DAILY
    )
    client.force_login(learner_profile.user)
    html = client.get(settings_url()).text
    assert "Reminder e-mails are off." not in html
    assert "Daily at 09:00 (UTC). The next one:" in html


def test_settings_page_says_off_when_reminders_are_off(client: Client, learner_profile: Profile) -> None:
    ReminderPreference.objects.filter(user=learner_profile.user).update(frequency=Frequency.OFF)
    client.force_login(learner_profile.user)
    assert "Reminder e-mails are off." in client.get(settings_url()).text


def test_settings_page_has_a_fixed_query_count(
    client: Client, learner_profile: Profile, django_assert_num_queries: Any
) -> None:
    client.force_login(learner_profile.user)
    ReminderLog.objects.bulk_create(
        ReminderLog(user=learner_profile.user, kind=Kind.REMINDER, period=f"2026-W{w:02d}")
        for w in range(1, 40)
    )
    with django_assert_num_queries(3):  # session, user, the preferences with the profile
        client.get(settings_url())


def test_learner_changes_schedule_on_the_settings_page(client: Client, learner_profile: Profile) -> None:
    client.force_login(learner_profile.user)

    response = client.post(
        settings_url(),
        {"frequency": "weekly", "weekday": "4", "hour": "18", "time_zone": "America/Sao_Paulo"},
    )

    assert response.status_code == 302
    local = preference(learner_profile).next_reminder_at.astimezone(ZoneInfo("America/Sao_Paulo"))
    assert (local.weekday(), local.hour) == (4, 18)
    assert client.get(settings_url()).text.count("Your reminder settings are saved.") == 1


def test_settings_page_refuses_an_unknown_time_zone_with_a_message(
    client: Client, learner_profile: Profile
) -> None:
    client.force_login(learner_profile.user)

    response = client.post(
        settings_url(), {"frequency": "daily", "weekday": "0", "hour": "9", "time_zone": "Mars/Olympus"}
    )

    assert response.status_code == 200
    assert "Select a valid choice. Mars/Olympus is not one of the available choices." in response.text
    assert preference(learner_profile).frequency == Frequency.WEEKLY


# ---------------------------------------------------------------- the reminder sweep


PREFERENCE_FIELDS = {"frequency", "weekday", "hour", "next_reminder_at", "last_reminded_at"}


def due(count: int = 1, **fields: Any) -> list[Profile]:
    """Onboarded learners whose reminder slot came a minute ago (weekly, Monday 09:00 UTC); the
    reminder preference fields among `fields` go to their ReminderPreference."""
    fields.setdefault("next_reminder_at", timezone.now() - timedelta(minutes=1))
    chosen = {name: fields.pop(name) for name in PREFERENCE_FIELDS & fields.keys()}
    profiles = ProfileFactory.create_batch(count, onboarded_at=timezone.now(), **fields)
    for profile in profiles:
        ReminderPreferenceFactory(user=profile.user, **chosen)
    return profiles


def test_due_learners_get_one_reminder_each(db: None, django_capture_on_commit_callbacks: Any) -> None:
    learners = due(3)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_sweep()

    assert result.due == 3 and len(result.queued) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in learners)
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderLog.Status.SENT}


def test_learners_not_due_off_or_inactive_get_nothing(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    due(1, next_reminder_at=timezone.now() + timedelta(minutes=5))
    due(1, frequency=Frequency.OFF)
    inactive = due(1)[0]
    inactive.user.is_active = False
    inactive.user.save()

    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_sweep()

    assert result.queued == [] and mail.outbox == []


def test_the_sweep_moves_due_learners_to_their_next_slot(db: None) -> None:
    (profile,) = due(1, time_zone="Pacific/Kiritimati", frequency=Frequency.DAILY)
    now = timezone.now()

    services.reminders_sweep(now=now)

    saved = preference(profile)
    assert saved.next_reminder_at == schedules.preference_schedule_next(
        preference=saved, time_zone="Pacific/Kiritimati", after=now
    )
    assert saved.next_reminder_at > now


def test_a_user_due_without_a_profile_gets_the_reminder_at_the_utc_hour(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory()  # preferences come with the user; a profile only with onboarding
    ReminderPreferenceFactory(user=user, next_reminder_at=timezone.now() - timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_sweep()

    assert len(result.queued) == 1 and [m.to for m in mail.outbox] == [[user.email]]
    slot = ReminderPreference.objects.get(user=user).next_reminder_at
    assert slot is not None and slot > timezone.now() and (slot.weekday(), slot.hour) == (0, 9)


def test_a_second_sweep_in_the_same_period_sends_nothing(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    (profile,) = due(1)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_sweep()
    # The learner moves their hour and is due again in the same week: the log row says it went out.
    ReminderPreference.objects.filter(user=profile.user).update(next_reminder_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        again = services.reminders_sweep()

    assert again.due == 1 and again.queued == []
    assert len(mail.outbox) == 1


def test_the_sweep_query_count_does_not_grow_with_due_learners(
    db: None, django_assert_max_num_queries: Any
) -> None:
    due(2)
    with django_assert_max_num_queries(12) as few:
        services.reminders_sweep()
    ReminderLog.objects.all().delete()
    due(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        services.reminders_sweep()


def test_a_sent_reminder_is_never_sent_again_by_a_retried_task(db: None) -> None:
    (profile,) = due(1)
    log = ReminderLog.objects.create(user=profile.user, kind=Kind.REMINDER, period="2026-W48")

    assert services.reminder_deliver(log_id=log.pk) is True
    assert services.reminder_deliver(log_id=log.pk) is False
    assert len(mail.outbox) == 1


def test_a_learner_who_unsubscribed_after_the_sweep_gets_nothing(db: None) -> None:
    (profile,) = due(1)
    log = ReminderLog.objects.create(user=profile.user, kind=Kind.REMINDER, period="2026-W48")
    services.reminders_unsubscribe(user=profile.user)

    assert services.reminder_deliver(log_id=log.pk) is False
    log.refresh_from_db()
    assert mail.outbox == []
    assert log.status == ReminderLog.Status.FAILED and "turned reminders off" in log.error


@pytest.fixture
def rejecting_smtp(settings: Any) -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        sink.handler.reject = "451 4.3.0 Try again later"
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": sink.port, "timeout": 5},
            }
        }
        yield sink


def test_a_failed_attempt_is_counted_and_the_row_waits_for_the_retry(
    db: None, rejecting_smtp: SmtpSink
) -> None:
    (profile,) = due(1)
    log = ReminderLog.objects.create(user=profile.user, kind=Kind.REMINDER, period="2026-W48")

    with pytest.raises(services.RETRYABLE):
        services.reminder_deliver(log_id=log.pk, final_attempt=False)

    log.refresh_from_db()
    assert (log.status, log.attempts) == (ReminderLog.Status.QUEUED, 1)
    assert "451" in log.error
    assert preference(profile).last_reminded_at is None


def test_the_last_failed_attempt_leaves_the_row_failed_with_the_error(
    db: None, rejecting_smtp: SmtpSink
) -> None:
    (profile,) = due(1)
    log = ReminderLog.objects.create(user=profile.user, kind=Kind.REMINDER, period="2026-W48")

    with pytest.raises(services.RETRYABLE):
        services.reminder_deliver(log_id=log.pk, final_attempt=True)

    log.refresh_from_db()
    assert log.status == ReminderLog.Status.FAILED
    assert log.error.startswith("SMTPDataError") and "Try again later" in log.error


@pytest.mark.postgres
def test_the_due_learner_query_can_use_the_next_reminder_index(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = services.due_rows(now=timezone.now()).explain()
    assert "Index" in plan and "next_reminder_at" in plan


# ---------------------------------------------------------------- what the reminder says


@pytest.fixture
def learner_with_plan(db: None) -> Profile:
    """A due learner with a plan of five steps, two finished since the last reminder."""
    profile = due(1, last_reminded_at=timezone.now() - timedelta(days=7), hours_per_week=5)[0]
    plan = PlanFactory(learner=profile.user)
    items = [
        PlanItemFactory(plan=plan, position=i, skill__name=f"Skill number {i}", stage_title="Foundations")
        for i in range(1, 6)
    ]
    for item in items[:2]:
        ProgressFactory(
            learner=profile.user, skill=item.skill, status=Progress.Status.DONE, completed_at=timezone.now()
        )
    return profile


def reminder_mail(django_capture_on_commit_callbacks: Any) -> mail.EmailMultiAlternatives:
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_sweep()
    (message,) = mail.outbox
    assert isinstance(message, mail.EmailMultiAlternatives)
    return message


def test_reminder_lists_the_next_steps(
    learner_with_plan: Profile, django_capture_on_commit_callbacks: Any
) -> None:
    message = reminder_mail(django_capture_on_commit_callbacks)

    assert message.subject == "Next up on your Pathwise roadmap: Skill number 3"
    html = message.alternatives[0].content
    for name in ("Skill number 3", "Skill number 4", "Skill number 5"):
        assert name in message.body and name in html


def test_reminder_tells_the_progress_since_the_last_one(
    learner_with_plan: Profile, django_capture_on_commit_callbacks: Any
) -> None:
    message = reminder_mail(django_capture_on_commit_callbacks)

    assert "you finished 2 steps." in message.body
    assert "  - Skill number 1" in message.body


def test_reminder_gives_the_projected_finish(
    learner_with_plan: Profile, django_capture_on_commit_callbacks: Any
) -> None:
    # Three steps of 10 hours left at 5 hours a week: six weeks from today.
    finish = timezone.now().date() + timedelta(weeks=6)

    message = reminder_mail(django_capture_on_commit_callbacks)

    assert f"40% done. At 5 hours a week you finish around {finish:%-d %B %Y}" in message.body


def test_reminder_warns_when_the_target_date_is_out_of_reach(
    learner_with_plan: Profile, django_capture_on_commit_callbacks: Any
) -> None:
    learner_with_plan.target_date = timezone.now().date() + timedelta(weeks=2)
    learner_with_plan.save()

    message = reminder_mail(django_capture_on_commit_callbacks)

    assert "after your target of" in message.body


def test_reminder_has_one_click_unsubscribe_headers_and_absolute_links(
    learner_with_plan: Profile, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    message = reminder_mail(django_capture_on_commit_callbacks)
    token = tokens.unsubscribe_token(user=learner_with_plan.user)
    unsubscribe = f"{settings.SITE_URL}/reminders/unsubscribe/{token}/"

    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0].content
    assert f'href="{unsubscribe}"' in html
    assert f'href="{settings.SITE_URL}/settings/reminders/"' in html
    assert f"{settings.SITE_URL}/plan/" in message.body


def test_a_long_unsubscribe_url_stays_readable_on_the_wire(learner_with_plan: Profile, settings: Any) -> None:
    settings.SITE_URL = "https://pathwise.a-rather-long-domain-name-for-a-learning-site.example"
    log = ReminderLog.objects.create(user=learner_with_plan.user, kind=Kind.REMINDER, period="2026-W48")
    message = messages.reminder_message(log=log)
    assert message is not None

    raw = message.message().as_bytes()

    assert b"\nList-Unsubscribe: <https://pathwise.a-rather-long-domain" in raw
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["List-Unsubscribe"].startswith("<https://pathwise.a-rather-long")


# ---------------------------------------------------------------- nudges


def test_a_quiet_learner_gets_one_nudge_per_quiet_spell(
    db: None, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    quiet_since = timezone.now() - timedelta(days=settings.NUDGE_AFTER_DAYS + 1)
    due(1, next_reminder_at=None, last_activity_at=quiet_since)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.nudges_sweep()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.nudges_sweep()

    assert len(first.queued) == 1 and second.queued == []
    assert [m.subject for m in mail.outbox] == ["Pick up where you left off on Pathwise"]
    assert f"it has been {settings.NUDGE_AFTER_DAYS + 1} days" in mail.outbox[0].body


def test_a_new_quiet_spell_gets_a_new_nudge(
    db: None, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    days = settings.NUDGE_AFTER_DAYS
    (profile,) = due(1, next_reminder_at=None, last_activity_at=timezone.now() - timedelta(days=3 * days))
    ReminderLog.objects.create(
        user=profile.user,
        kind=Kind.NUDGE,
        period=profile.last_activity_at.date().isoformat(),
        created_at=timezone.now() - timedelta(days=2 * days),
    )
    # Active again after that nudge, then quiet once more.
    Profile.objects.filter(pk=profile.pk).update(last_activity_at=timezone.now() - timedelta(days=days + 1))

    with django_capture_on_commit_callbacks(execute=True):
        result = services.nudges_sweep()

    assert len(result.queued) == 1 and len(mail.outbox) == 1


def test_recently_active_or_unsubscribed_learners_get_no_nudge(db: None, settings: Any) -> None:
    due(1, next_reminder_at=None, last_activity_at=timezone.now() - timedelta(days=1))
    quiet = timezone.now() - timedelta(days=settings.NUDGE_AFTER_DAYS + 1)
    due(1, next_reminder_at=None, last_activity_at=quiet, frequency=Frequency.OFF)

    assert services.nudges_sweep().queued == []


# ---------------------------------------------------------------- mentor digests


@pytest.fixture
def mentor_with_mentees(db: None, settings: Any) -> Any:
    """A mentor with one active mentee on track, one stalled mentee with a review waiting."""
    mentor = ProfileFactory().user
    active = ActiveMentorshipFactory(mentor=mentor, learner__display_name="Ada Active")
    stalled = ActiveMentorshipFactory(mentor=mentor, learner__display_name="Sam Stalled")
    ProfileFactory(user=active.learner, last_activity_at=timezone.now())
    long_ago = timezone.now() - timedelta(days=settings.STALLED_AFTER_DAYS + 5)
    ProfileFactory(user=stalled.learner, last_activity_at=long_ago)
    PlanItemFactory(plan=PlanFactory(learner=active.learner))
    review = ProjectReviewFactory(progress__learner=stalled.learner, progress__updated_at=long_ago)
    assert review.status == ProjectReview.Status.REQUESTED
    MentorshipFactory(learner=UserFactory(), mentor=UserFactory())  # pending: no digest for them
    return mentor


def test_mentor_gets_a_weekly_digest_of_mentees(
    mentor_with_mentees: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = services.digests_sweep()

    assert len(result.queued) == 1
    (message,) = mail.outbox
    assert message.to == [mentor_with_mentees.email]
    assert message.subject == "Your mentees this week: 1 stalled, 1 review waiting"
    assert "- Ada Active: 0% done" in message.body
    assert "Sam Stalled" in message.body and "STALLED" in message.body and "1 review waiting" in message.body


def test_mentor_digest_goes_out_once_a_week(
    mentor_with_mentees: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_sweep()
        services.digests_sweep(now=timezone.now() + timedelta(hours=1))

    assert len(mail.outbox) == 1


def test_the_digest_query_count_does_not_grow_with_mentees(
    mentor_with_mentees: Any, django_assert_max_num_queries: Any
) -> None:
    log = ReminderLog.objects.create(user=mentor_with_mentees, kind=Kind.DIGEST, period="2026-W48")
    with django_assert_max_num_queries(12) as few:
        messages.reminder_message(log=log)
    ActiveMentorshipFactory.create_batch(10, mentor=mentor_with_mentees)
    with django_assert_max_num_queries(len(few.captured_queries)):
        messages.reminder_message(log=log)


# ---------------------------------------------------------------- unsubscribing


def unsubscribe_url(profile: Profile) -> str:
    return reverse("reminders:unsubscribe", args=[tokens.unsubscribe_token(user=profile.user)])


def test_unsubscribe_link_asks_for_a_confirmation_first(client: Client, learner_profile: Profile) -> None:

    response = client.get(unsubscribe_url(learner_profile))

    assert response.status_code == 200
    assert "Stop reminder e-mails?" in response.text and 'method="post"' in response.text
    assert preference(learner_profile).frequency == Frequency.WEEKLY


def test_one_click_post_unsubscribes_without_login_or_csrf_token(learner_profile: Profile) -> None:
    assert preference(learner_profile).next_reminder_at is not None
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        unsubscribe_url(learner_profile),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "You are unsubscribed" in response.text
    assert preference(learner_profile).frequency == Frequency.OFF
    assert preference(learner_profile).next_reminder_at is None


def test_a_tampered_unsubscribe_link_is_refused_and_changes_nothing(
    client: Client, learner_profile: Profile
) -> None:
    other = ProfileFactory()
    token = tokens.unsubscribe_token(user=learner_profile.user)
    forged = token.replace(token.split(":")[0], tokens.unsubscribe_token(user=other.user).split(":")[0])

    for bad in (forged, token[:-2] + "xx", "nonsense"):
        response = client.post(reverse("reminders:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.text

    assert set(ReminderPreference.objects.values_list("frequency", flat=True)) == {Frequency.WEEKLY}


def test_other_views_still_require_a_csrf_token(learner_profile: Profile) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner_profile.user)

    response = client.post(
        settings_url(), {"frequency": "off", "weekday": "0", "hour": "9", "time_zone": "UTC"}
    )

    assert response.status_code == 403


# ---------------------------------------------------------------- the command


@pytest.mark.django_db(transaction=True)
def test_send_reminders_command_sends_what_is_due_and_says_so(capsys: Any) -> None:
    learner = ProfileFactory(onboarded_at=timezone.now())

    call_command("send_reminders", "--learner", learner.user.email)

    output = capsys.readouterr().out
    assert "Scheduled reminders: 1 due, 1 new, 1 sent, 0 failed" in output
    assert [m.to for m in mail.outbox] == [[learner.user.email]]


def test_send_reminders_command_schedules_onboarded_learners_without_a_slot(db: None) -> None:
    learner = ProfileFactory(onboarded_at=timezone.now())
    ReminderPreferenceFactory(user=learner.user, next_reminder_at=None)  # a path that did not schedule it

    call_command("send_reminders")

    assert preference(learner).next_reminder_at is not None


# ---------------------------------------------------------------- preferences moved off the profile


@pytest.mark.django_db(transaction=True)
def test_moving_preferences_off_the_profile_keeps_every_learners_schedule_both_ways() -> None:
    before = [("reminders", "0001_initial"), ("accounts", "0003_email_verification_and_invite_sent_at")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("accounts", "User")
    slot, sent = utc(2026, 11, 30, 9), utc(2026, 11, 23, 9)
    tokyo = user.objects.create(email="tokyo@example.com", password="!")
    old.get_model("accounts", "Profile").objects.create(
        user=tokyo,
        time_zone="Asia/Tokyo",
        reminder_frequency="daily",
        reminder_weekday=4,
        reminder_hour=18,
        next_reminder_at=slot,
        last_reminded_at=sent,
    )
    no_profile = user.objects.create(email="new@example.com", password="!")
    columns = (
        "reminder_frequency",
        "reminder_weekday",
        "reminder_hour",
        "next_reminder_at",
        "last_reminded_at",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    saved = ReminderPreference.objects.get(user_id=tokyo.pk)
    assert (saved.frequency, saved.weekday, saved.hour) == ("daily", 4, 18)
    assert (saved.next_reminder_at, saved.last_reminded_at) == (slot, sent)
    default = ReminderPreference.objects.get(user_id=no_profile.pk)
    assert (default.frequency, default.weekday, default.hour, default.next_reminder_at) == (
        "weekly",
        0,
        9,
        None,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    back = executor.loader.project_state(before).apps.get_model("accounts", "Profile")
    assert back.objects.filter(user_id=tokyo.pk).values_list(*columns).get() == ("daily", 4, 18, slot, sent)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
