"""Onboarding and settings: the questions, validation, saving on the profile, and rebuilding the plan."""

from __future__ import annotations

import datetime as dt
import io
import re
import zoneinfo
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile, User
from reminders.models import ReminderPreference
from roadmap.models import PlanItem, Progress
from roadmap.services import goals_save, step_set_status
from tests.browser_form import form_data
from tests.factories import UserFactory
from tests.plans import Catalog, onboard, signed_in_learner

ONBOARDING = reverse("roadmap:onboarding")
SETTINGS = reverse("roadmap:settings")
REMINDERS = reverse("reminders:settings")


@pytest.fixture
def newcomer(db: None, client: Client) -> User:
    user = UserFactory()
    Profile.objects.create(user=user)
    client.force_login(user)
    return user


def answers(catalog: Catalog, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "background": "software_engineer",
        "tracks": [catalog.core.pk],
        "hours_per_week": "10",
        "target_date": "",
        "time_zone": "Europe/Paris",
        "known_skills": [catalog.python.pk],
    }
    return data | changes


def errors_of(client: Client, url: str, data: dict[str, Any]) -> str:
    response = client.post(url, data)
    assert response.status_code == 200, "the form was accepted"
    return response.content.decode()


# ---------------------------------------------------------------- the questions


def screen(client: Client, name: str, catalog: Catalog, **data: Any) -> str:
    """The screen after `name`, as its Next button would reach it."""
    posted = {"screen": name, "go": "next", "background": "student", "tracks": [catalog.core.pk]} | data
    return client.post(ONBOARDING, posted).content.decode()


def next_reminder_in(user: User, zone: str) -> tuple[int, int]:
    """The weekday and hour of the user's next reminder in `zone`."""
    slot = ReminderPreference.objects.get(user=user).next_reminder_at
    assert slot is not None
    local = slot.astimezone(zoneinfo.ZoneInfo(zone))
    return local.weekday(), local.hour


def test_onboarding_preselects_the_core_track(catalog: Catalog, newcomer: User, client: Client) -> None:
    html = screen(client, "background", catalog, tracks=[])
    html = screen(client, "background", catalog)
    boxes = dict(re.findall(r'<input type="checkbox" name="tracks" value="(\d+)"([^>]*)>', html))
    assert "checked" in boxes[str(catalog.core.pk)] and "checked" not in boxes[str(catalog.nlp.pk)]
    first = client.get(ONBOARDING).content.decode()
    assert f'<input type="hidden" name="tracks" value="{catalog.core.pk}">' in first


def test_known_skills_are_grouped_by_category_with_a_search_box(
    catalog: Catalog, newcomer: User, client: Client
) -> None:
    html = screen(client, "goal", catalog)  # no choices in these tracks: straight to what you know
    assert "Step 4 of 5: What you know already" in html
    assert "<summary>Mathematics and statistics</summary>" in html
    assert html.index("<summary>Programming</summary>") < html.index('data-skill-name="python"')
    assert '<input type="search" id="skill-filter-input"' in html
    assert 'src="/static/js/onboarding.js"' in html


def test_onboarding_says_reminders_are_weekly_by_default_and_where_to_change_them(
    catalog: Catalog, newcomer: User, client: Client
) -> None:
    html = screen(client, "known", catalog)
    assert "Step 5 of 5: Your pace" in html
    assert "weekly, on mondays at 09:00, your local time" in html
    assert "You can change or stop it later, under Settings." in html


def test_time_zones_come_from_the_iana_database(catalog: Catalog, newcomer: User, client: Client) -> None:
    html = screen(client, "known", catalog)
    assert '<option value="Pacific/Kiritimati">Pacific/Kiritimati</option>' in html


# ---------------------------------------------------------------- saving


def test_onboarding_saves_the_answers_and_builds_the_plan(
    catalog: Catalog, newcomer: User, client: Client
) -> None:
    response = client.post(ONBOARDING, answers(catalog))
    assert response["Location"] == reverse("roadmap:plan")
    profile = Profile.objects.get(user=newcomer)
    assert profile.onboarded_at is not None
    assert (profile.background, profile.hours_per_week, profile.time_zone) == (
        "software_engineer",
        10,
        "Europe/Paris",
    )
    preference = ReminderPreference.objects.get(user=newcomer)
    assert (preference.frequency, preference.weekday, preference.hour) == ("weekly", 0, 9)
    assert list(profile.known_skills.all()) == [catalog.python]
    assert PlanItem.objects.filter(plan__learner=newcomer, skill=catalog.python, known=True).exists()


def test_onboarding_tells_about_a_retired_exam_replaced_in_the_plan(
    catalog: Catalog, newcomer: User, client: Client
) -> None:
    html = client.post(ONBOARDING, answers(catalog), follow=True).content.decode()
    assert "ML Developer 1 has been retired: your plan has ML Developer 2 instead." in html


def test_onboarding_warns_when_the_target_date_cannot_be_met(
    catalog: Catalog, newcomer: User, client: Client
) -> None:
    soon = timezone.now().date() + dt.timedelta(weeks=3)
    data = answers(catalog, hours_per_week="2", target_date=soon.isoformat())
    html = client.post(ONBOARDING, data, follow=True).content.decode()
    assert f"after your target date ({soon:%-d %B %Y})" in html


def test_after_onboarding_the_onboarding_page_leads_to_settings(
    catalog: Catalog, newcomer: User, client: Client
) -> None:
    client.post(ONBOARDING, answers(catalog))
    assert client.get(ONBOARDING)["Location"] == SETTINGS


def test_settings_before_onboarding_lead_to_onboarding(
    catalog: Catalog, newcomer: User, client: Client
) -> None:
    assert client.get(SETTINGS)["Location"] == ONBOARDING


def test_onboarding_needs_a_login(db: None, client: Client) -> None:
    assert client.get(ONBOARDING)["Location"].startswith(reverse("accounts:login"))


def test_onboarding_schedules_the_first_reminder_in_the_learners_zone(
    catalog: Catalog, newcomer: User, client: Client
) -> None:
    client.post(ONBOARDING, answers(catalog, time_zone="Asia/Tokyo"))
    assert next_reminder_in(newcomer, "Asia/Tokyo") == (0, 9)  # Monday, 09:00


def test_settings_link_to_the_one_reminder_page_and_show_the_saved_schedule(
    catalog: Catalog, newcomer: User, client: Client
) -> None:
    client.post(ONBOARDING, answers(catalog))
    ReminderPreference.objects.filter(user=newcomer).update(frequency="daily", hour=18)
    html = client.get(SETTINGS).content.decode()
    assert "daily at 18:00, your local time" in html
    assert f'<a href="{REMINDERS}">Change reminder e-mails</a>' in html
    assert 'name="reminder_frequency"' not in html and 'name="reminder_hour"' not in html


def test_changing_the_time_zone_in_settings_moves_the_reminder_slot(
    catalog: Catalog, newcomer: User, client: Client
) -> None:
    client.post(ONBOARDING, answers(catalog))
    client.post(SETTINGS, answers(catalog, time_zone="Asia/Tokyo"))
    assert next_reminder_in(newcomer, "Asia/Tokyo") == (0, 9)  # Monday, 09:00


def test_the_demo_learners_reminder_page_shows_the_weekly_schedule_before_any_sweep(
    catalog: Catalog, client: Client
) -> None:
    call_command("create_demo_accounts", stdout=io.StringIO())
    learner = User.objects.get(email="learner@pathwise.local")
    slot = learner.reminder_preference.next_reminder_at
    assert slot is not None and (slot.weekday(), slot.hour) == (0, 9)  # Monday 09:00 UTC, set by the command
    client.force_login(learner)
    page = client.get(REMINDERS).content.decode()
    assert "Reminder e-mails are off." not in page
    assert (
        f"Weekly, on Mondays at 09:00 (UTC). The next one: {slot:%A} {slot.day} {slot:%B %Y}, 09:00 (UTC)"
        in page
    )


def test_the_profile_page_shows_the_schedule_and_links_to_reminder_settings(
    catalog: Catalog, client: Client
) -> None:
    signed_in_learner(client, catalog.core)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert f'Weekly, on Mondays at 09:00 · <a href="{REMINDERS}">Change reminder e-mails</a>' in html


def test_the_plan_page_links_to_reminder_settings(catalog: Catalog, client: Client) -> None:
    signed_in_learner(client, catalog.core)
    assert (
        f'<a href="{REMINDERS}">Reminder e-mails</a>' in client.get(reverse("roadmap:plan")).content.decode()
    )


def test_the_demo_learner_is_onboarded_with_a_plan_and_some_progress(catalog: Catalog) -> None:
    call_command("create_demo_accounts", stdout=io.StringIO())
    learner = User.objects.get(email="learner@pathwise.local")
    assert learner.profile.onboarded_at is not None
    assert list(learner.profile.tracks.all()) == [catalog.core]
    assert PlanItem.objects.filter(plan__learner=learner).count() == 8
    # Some progress (the demo history: a few steps and the reviewed project), not the whole plan.
    assert 3 <= Progress.objects.filter(learner=learner, status=Progress.Status.DONE).count() < 8


# ---------------------------------------------------------------- bad answers change nothing


def test_a_target_date_in_the_past_is_refused(catalog: Catalog, newcomer: User, client: Client) -> None:
    yesterday = timezone.now().date() - dt.timedelta(days=2)
    html = errors_of(client, ONBOARDING, answers(catalog, target_date=yesterday.isoformat()))
    assert "The target date is in the past" in html
    assert not PlanItem.objects.exists()


def test_today_is_a_valid_target_date_where_the_learner_lives(
    catalog: Catalog, newcomer: User, client: Client
) -> None:
    kiritimati_today = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=14))).date()
    data = answers(catalog, time_zone="Pacific/Kiritimati", target_date=kiritimati_today.isoformat())
    assert client.post(ONBOARDING, data).status_code == 302


def test_an_unknown_time_zone_is_refused(catalog: Catalog, newcomer: User, client: Client) -> None:
    html = errors_of(client, ONBOARDING, answers(catalog, time_zone="Mars/Olympus_Mons"))
    assert "Select a valid choice" in html
    assert Profile.objects.get(user=newcomer).onboarded_at is None


@pytest.mark.parametrize("hours", ["0", "81", "many"])
def test_hours_per_week_outside_1_to_80_are_refused(
    catalog: Catalog, newcomer: User, client: Client, hours: str
) -> None:
    errors_of(client, ONBOARDING, answers(catalog, hours_per_week=hours))
    assert not PlanItem.objects.exists()


@pytest.mark.parametrize("field", ["known_skills", "tracks"])
def test_an_id_too_large_for_the_database_is_refused_not_a_500(
    catalog: Catalog, newcomer: User, client: Client, field: str
) -> None:
    html = errors_of(client, ONBOARDING, answers(catalog, **{field: ["9223372036854775808"]}))
    assert "Select a valid choice. 9223372036854775808 is not one of the available choices." in html
    assert Profile.objects.get(user=newcomer).onboarded_at is None


def test_a_goal_track_is_required(catalog: Catalog, newcomer: User, client: Client) -> None:
    assert "Choose at least one track." in errors_of(client, ONBOARDING, answers(catalog, tracks=[]))


# ---------------------------------------------------------------- settings: change and re-plan, progress kept


def test_settings_show_the_saved_answers(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    onboard(user, catalog.core, hours=7)
    client.force_login(user)
    html = client.get(SETTINGS).content.decode()
    assert 'name="hours_per_week" value="7"' in html


def test_changing_the_profile_rebuilds_the_plan_and_keeps_progress(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Progress.Status.DONE)
    Progress.objects.filter(learner=user, skill=catalog.git).update(notes="Rebase, not merge.")
    client.force_login(user)
    response = client.post(
        SETTINGS, answers(catalog, tracks=[catalog.core.pk, catalog.nlp.pk], hours_per_week="4")
    )
    assert response["Location"] == reverse("roadmap:plan")
    assert PlanItem.objects.filter(plan__learner=user, skill=catalog.transformers).exists()
    git = Progress.objects.get(learner=user, skill=catalog.git)
    assert (git.status, git.notes) == (Progress.Status.DONE, "Rebase, not merge.")
    assert (
        "Settings saved. Your plan was rebuilt; your progress is kept."
        in client.get(reverse("roadmap:plan")).content.decode()
    )


def test_a_refused_settings_change_leaves_the_plan_alone(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    before = list(PlanItem.objects.filter(plan__learner=user).values_list("pk", flat=True))
    client.force_login(user)
    errors_of(client, SETTINGS, answers(catalog, tracks=[catalog.nlp.pk], hours_per_week="0"))
    assert list(PlanItem.objects.filter(plan__learner=user).values_list("pk", flat=True)) == before


# ---------------------------------------------------------------- saving the page unchanged keeps everything


def test_saving_settings_unchanged_keeps_every_answer(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    target = timezone.now().date() + dt.timedelta(days=400)
    onboard(user, catalog.core, catalog.nlp, known=(catalog.git,), hours=7, target=target)
    Profile.objects.filter(user=user).update(time_zone="Asia/Tokyo", background="data_analyst")
    ReminderPreference.objects.filter(user=user).update(frequency="daily", hour=18)
    before = Profile.objects.get(user=user)
    schedule_before = ReminderPreference.objects.filter(user=user).values("frequency", "hour").get()
    client.force_login(user)
    page = client.get(SETTINGS).content.decode()
    assert f'value="{target.isoformat()}"' in page, "the date input shows the saved date"

    response = client.post(SETTINGS, form_data(page, field="hours_per_week"))

    assert response.status_code == 302
    after = Profile.objects.get(user=user)
    fields = (
        "background",
        "hours_per_week",
        "target_date",
        "time_zone",
    )
    assert [getattr(after, f) for f in fields] == [getattr(before, f) for f in fields]
    assert ReminderPreference.objects.filter(user=user).values("frequency", "hour").get() == schedule_before
    assert after.target_date == target
    assert set(after.tracks.all()) == {catalog.core, catalog.nlp}
    assert list(after.known_skills.all()) == [catalog.git]


# ---------------------------------------------------------------- the goals service


def test_saving_goals_schedules_the_first_reminder_in_the_learners_own_zone(
    catalog: Catalog, newcomer: User
) -> None:
    build = goals_save(
        user=newcomer, background="student", tracks=[catalog.core], known_skills=[],
        hours_per_week=5, target_date=None, time_zone="Asia/Tokyo",
    )  # fmt: skip
    preference = ReminderPreference.objects.get(user=newcomer)
    assert preference.next_reminder_at is not None
    local = preference.next_reminder_at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert (local.hour, local.minute) == (preference.hour, 0)
    assert build.plan.items.exists()


@pytest.mark.parametrize(
    "change",
    [{"time_zone": "Mars/Olympus"}, {"hours_per_week": 0}, {"background": "wizard"}, {"tracks": []}],
)
def test_goals_a_form_would_refuse_are_refused_by_the_service_and_nothing_is_written(
    catalog: Catalog, newcomer: User, change: dict[str, Any]
) -> None:
    goals = {
        "background": "student", "tracks": [catalog.core], "known_skills": [], "hours_per_week": 5,
        "target_date": None, "time_zone": "UTC",
    } | change  # fmt: skip
    with pytest.raises(ValueError):
        goals_save(user=newcomer, **goals)
    newcomer.profile.refresh_from_db()
    assert newcomer.profile.onboarded_at is None
    assert not PlanItem.objects.filter(plan__learner=newcomer).exists()


def test_a_target_date_is_in_the_past_by_the_learners_own_calendar(catalog: Catalog, newcomer: User) -> None:
    yesterday_in_kiritimati = Profile(time_zone="Pacific/Kiritimati").today() - dt.timedelta(days=1)
    with pytest.raises(ValueError):
        goals_save(
            user=newcomer, background="student", tracks=[catalog.core], known_skills=[],
            hours_per_week=5, target_date=yesterday_in_kiritimati, time_zone="Pacific/Kiritimati",
        )  # fmt: skip


def test_an_unknown_time_zone_counts_as_utc_for_the_learners_today(db: None) -> None:
    profile = Profile(time_zone="Not/AZone")
    assert profile.zone == zoneinfo.ZoneInfo("UTC")
    assert profile.today() == timezone.now().astimezone(dt.UTC).date()
