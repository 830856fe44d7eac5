"""Reminder preferences: saving them, the settings page, and their move off the profile (a migration)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from reminders import schedules, services
from reminders.models import ReminderLog, ReminderPreference
from tests.factories import ReminderPreferenceFactory
from tests.reminders.helpers import Frequency, Kind, preference, settings_url, utc


def preferences_save(profile: Profile, **changes: Any) -> None:
    """The learner's reminder preferences saved through the service: daily at 9:00 UTC but for `changes`."""
    answers = {"frequency": Frequency.DAILY, "weekday": 0, "hour": 9, "time_zone": "UTC", **changes}
    services.reminder_preferences_update(preference=preference(profile), profile=profile, **answers)


def test_saving_preferences_schedules_the_next_reminder(learner_profile: Profile) -> None:
    preferences_save(learner_profile, hour=7, time_zone="Asia/Tokyo")

    slot = preference(learner_profile).next_reminder_at
    local = slot.astimezone(ZoneInfo("Asia/Tokyo"))
    assert (local.hour, local.minute) == (7, 0)
    assert slot > timezone.now() - schedules.SWEEP_INTERVAL


def test_turning_reminders_off_clears_the_next_reminder(learner_profile: Profile) -> None:
    assert preference(learner_profile).next_reminder_at is not None
    preferences_save(learner_profile, frequency=Frequency.OFF)

    assert preference(learner_profile).next_reminder_at is None


def test_an_unknown_time_zone_is_refused_and_nothing_changes(learner_profile: Profile) -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        preferences_save(learner_profile, time_zone="Mars/Olympus")

    learner_profile.refresh_from_db()
    assert (learner_profile.time_zone, preference(learner_profile).frequency) == ("UTC", Frequency.WEEKLY)


# ---------------------------------------------------------------- the settings page


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
    with django_assert_num_queries(4):  # session, user, the preferences with the profile, nav counts
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
