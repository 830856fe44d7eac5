"""The activity page: streaks, steps done per week and the calendar (from sign-up on), the weekly goal,
the burn-up of the plan, the newcomer's empty state, a fixed query count."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile, User, zone_or_utc
from roadmap.models import PlanItem, Progress, ProgressEvent, WeeklyGoal
from roadmap.services import GoalError, weekly_goal_set
from roadmap.visuals import activity_calendar, streaks, weekly_chart, weekly_counts
from roadmap.visuals.charts import burnup_chart
from tests.factories import UserFactory
from tests.roadmap.visual_plans import ACTIVITY, MAP, done_at, learner, plan_of

__all__ = ["learner"]
D = dt.date


# ---------------------------------------------------------------- streaks (pure)


def test_no_history_means_no_streak() -> None:
    assert streaks([], today=D(2026, 3, 10)) == (0, 0)


def test_a_streak_ending_today_is_current() -> None:
    days = [D(2026, 3, 8), D(2026, 3, 9), D(2026, 3, 10)]
    assert streaks(days, today=D(2026, 3, 10)) == (3, 3)


def test_today_not_yet_active_keeps_yesterdays_streak() -> None:
    days = [D(2026, 3, 7), D(2026, 3, 8), D(2026, 3, 9)]
    assert streaks(days, today=D(2026, 3, 10)) == (3, 3)


def test_a_missed_day_breaks_the_current_streak() -> None:
    days = [D(2026, 3, 6), D(2026, 3, 7), D(2026, 3, 8)]
    assert streaks(days, today=D(2026, 3, 10)) == (0, 3)


def test_streaks_run_across_month_and_year_ends() -> None:
    days = [D(2025, 12, 30), D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 2)]
    assert streaks(days, today=D(2026, 1, 2)) == (4, 4)
    february = [D(2028, 2, 28), D(2028, 2, 29), D(2028, 3, 1)]  # a leap year
    assert streaks(february, today=D(2028, 3, 2)) == (3, 3)


def test_the_longest_streak_can_be_an_old_one() -> None:
    old = [D(2026, 1, 1) + dt.timedelta(days=i) for i in range(10)]
    recent = [D(2026, 3, 9), D(2026, 3, 10)]
    assert streaks(old + recent, today=D(2026, 3, 10)) == (2, 10)


# ---------------------------------------------------------------- weekly chart and calendar (pure)


def test_steps_done_are_counted_per_monday_to_sunday_week() -> None:
    today = D(2026, 3, 11)  # a Wednesday
    done = [(D(2026, 3, 9), 1), (D(2026, 3, 8), 2), (D(2026, 3, 2), 3), (D(2026, 3, 11), 4)]
    assert weekly_counts(done, today=today, weeks=3) == [0, 2, 2]


def test_a_step_done_twice_in_one_week_counts_once() -> None:
    today = D(2026, 3, 11)
    assert weekly_counts([(D(2026, 3, 9), 7), (D(2026, 3, 10), 7)], today=today, weeks=1) == [1]


def test_older_weeks_are_left_out_of_the_chart() -> None:
    assert weekly_counts([(D(2025, 1, 1), 1)], today=D(2026, 3, 11), weeks=26) == [0] * 26


def test_the_calendar_ends_today_and_counts_active_days() -> None:
    today = D(2026, 3, 11)
    calendar = activity_calendar(
        {D(2026, 3, 11): 2, D(2026, 3, 1): 9, D(2025, 1, 1): 1}, today=today, weeks=4
    )
    assert calendar.days[-1].day == today
    assert calendar.days[0].day == D(2026, 2, 16)  # the Monday three weeks before this week's
    assert calendar.active_days == 2
    assert {d.level for d in calendar.days if d.count} == {2, 4}


def test_an_unknown_time_zone_falls_back_to_utc() -> None:
    assert zone_or_utc("Not/AZone") == ZoneInfo("UTC")
    assert zone_or_utc("Europe/Berlin") == ZoneInfo("Europe/Berlin")


# ---------------------------------------------------------------- pages


def test_anonymous_visitors_are_sent_to_log_in(client: Client, db: None) -> None:
    for url in (MAP, ACTIVITY):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", [MAP, ACTIVITY])
def test_visual_pages_keep_their_query_count_from_20_to_200_steps(client: Client, db: None, url: str) -> None:
    counts = []
    for size in (20, 200):
        user = UserFactory()
        Profile.objects.create(user=user)
        plan = plan_of(user, size)
        progress = list(Progress.objects.filter(learner=user))
        ProgressEvent.objects.bulk_create(
            ProgressEvent(
                progress=p,
                from_status="not_started",
                to_status="done",
                at=timezone.now() - dt.timedelta(days=i % 90),
            )
            for i, p in enumerate(progress)
        )
        assert plan.items.count() == size
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # activity: session, user, profile, days, steps done, plan, its entries, finish dates, goal, nav
    assert counts[1] <= 10


def test_activity_shows_the_current_and_longest_streak(client: Client, learner: User) -> None:
    now = timezone.now()
    for days_ago in (0, 1, 2, 10, 11, 12, 13):
        done_at(learner, now - dt.timedelta(days=days_ago))
    html = client.get(ACTIVITY).content.decode()
    assert '<dd id="current-streak">3 days</dd>' in html
    assert '<dd id="longest-streak">4 days</dd>' in html


def test_activity_days_follow_the_learners_time_zone(client: Client, learner: User) -> None:
    Profile.objects.filter(user=learner).update(time_zone="Pacific/Auckland")
    zone = ZoneInfo("Pacific/Auckland")
    local_today = timezone.now().astimezone(zone).date()
    # 09:00 in Auckland today is still yesterday in UTC: the calendar must show it on today.
    morning = dt.datetime.combine(local_today, dt.time(9), tzinfo=zone)
    if morning > timezone.now():
        morning -= dt.timedelta(days=1)
        local_today -= dt.timedelta(days=1)
    done_at(learner, morning)
    html = client.get(ACTIVITY).content.decode()
    assert f"<title>{local_today:%a} {local_today.day} {local_today:%b %Y}: 1 change</title>" in html


def test_the_weekly_chart_counts_steps_done(client: Client, learner: User) -> None:
    now = timezone.now()
    done_at(learner, now)
    done_at(learner, now - dt.timedelta(minutes=1))
    done_at(learner, now - dt.timedelta(minutes=2), status="in_progress")
    response = client.get(ACTIVITY)
    chart = response.context["chart"]
    assert chart.bars[-1].count == 2
    assert chart.total == 2
    assert "2 steps done</title>" in response.content.decode()


def test_an_unknown_time_zone_on_the_profile_still_shows_activity_in_utc(
    client: Client, learner: User
) -> None:
    Profile.objects.filter(user=learner).update(time_zone="Mars/Olympus_Mons")
    done_at(learner, timezone.now())
    response = client.get(ACTIVITY)
    assert response.status_code == 200
    assert response.context["current_streak"] == 1


# ---------------------------------------------------------------- since sign-up, the weekly goal, the burn-up


def test_a_new_learner_sees_an_invitation_not_empty_weeks(client: Client, learner: User) -> None:
    plan_of(learner, 3)
    Progress.objects.filter(learner=learner).update(status="not_started")
    response = client.get(ACTIVITY)
    html = response.content.decode()
    assert "Your activity starts with your first step" in html
    assert 'class="week-chart"' not in html and 'class="calendar"' not in html
    assert response.context["weeks"] == 1


def test_the_charts_start_the_week_the_learner_signed_up(client: Client, learner: User) -> None:
    User.objects.filter(pk=learner.pk).update(date_joined=timezone.now() - dt.timedelta(weeks=3))
    done_at(learner, timezone.now())
    response = client.get(ACTIVITY)
    assert len(response.context["chart"].bars) == 4
    assert "Steps done, last 4 weeks" in response.content.decode()


def test_weekly_chart_fills_a_fixed_box_and_labels_never_reach_its_edges() -> None:
    for weeks in (1, 4, 26):
        chart = weekly_chart([], today=D(2026, 12, 30), weeks=weeks)
        labelled = [bar for bar in chart.bars if bar.labelled]
        assert labelled[-1] is chart.bars[-1]  # this week always has its label
        assert all(22 <= bar.label_x <= chart.width - 22 for bar in labelled)  # "28 Dec" is ~40 wide
        gaps = [b.label_x - a.label_x for a, b in itertools.pairwise(labelled)]
        assert all(gap >= 44 for gap in gaps)
        assert all(bar.width <= 40 for bar in chart.bars)


def test_the_calendar_keeps_room_for_a_month_starting_in_its_last_column() -> None:
    calendar = activity_calendar({}, today=D(2026, 12, 1), weeks=8)
    label, x = calendar.months[-1]
    assert label == "Dec" and x + 22 <= calendar.width


def test_the_weekly_goal_is_proposed_from_the_hours_a_week_until_set(client: Client, learner: User) -> None:
    Profile.objects.filter(user=learner).update(hours_per_week=6)
    goal = client.get(ACTIVITY).context["goal"]
    assert (goal.target, goal.unit, goal.stored) == (6, "hours", False)


def test_a_weekly_goal_in_steps_counts_the_steps_finished_this_week(client: Client, learner: User) -> None:
    plan_of(learner, 8)  # steps 0 and 4 are done, 1 and 5 in progress
    for progress in Progress.objects.filter(learner=learner, status="done"):
        ProgressEvent.objects.create(progress=progress, from_status="in_progress", to_status="done")
    response = client.post(reverse("roadmap:weekly_goal"), {"target": "3", "unit": "steps"})
    assert response.status_code == 302 and response["Location"].endswith("#goal")
    html = client.get(ACTIVITY).content.decode()
    assert "<strong>2</strong> of 3 steps" in html


def test_an_hours_goal_counts_the_planned_hours_of_steps_finished(client: Client, learner: User) -> None:
    plan_of(learner, 8)
    PlanItem.objects.filter(plan__learner=learner).update(hours=7)
    for progress in Progress.objects.filter(learner=learner, status="done"):
        ProgressEvent.objects.create(progress=progress, from_status="in_progress", to_status="done")
    weekly_goal_set(learner=learner, unit="hours", target=20)
    goal = client.get(ACTIVITY).context["goal"]
    assert (goal.done, goal.percent, goal.met) == (14, 70, False)


@pytest.mark.parametrize("target, unit", [("0", "hours"), ("81", "hours"), ("51", "steps"), ("5", "days")])
def test_a_weekly_goal_out_of_range_is_refused_with_a_message(
    client: Client, learner: User, target: str, unit: str
) -> None:
    response = client.post(reverse("roadmap:weekly_goal"), {"target": target, "unit": unit}, follow=True)
    assert (
        "Your weekly goal was not saved" in response.content.decode()
        or "goes from 1 to" in response.content.decode()
    )
    assert not WeeklyGoal.objects.exists()
    with pytest.raises(GoalError):
        weekly_goal_set(learner=learner, unit="steps", target=51)


def test_the_burn_up_shows_scope_done_and_the_target(client: Client, learner: User) -> None:
    plan_of(learner, 8)
    PlanItem.objects.filter(plan__learner=learner).update(hours=10)
    target = timezone.now().date() + dt.timedelta(weeks=10)
    Profile.objects.filter(user=learner).update(hours_per_week=2, target_date=target)
    Progress.objects.filter(learner=learner, status="done").update(completed_at=timezone.now())
    response = client.get(ACTIVITY)
    burnup = response.context["burnup"]
    # 8 steps of 10 h: the known one and the skipped one are out of scope; 2 are done
    assert (burnup.scope, burnup.done) == (60, 20)
    assert burnup.target == target and burnup.late  # 40 h left at 2 h a week: 20 weeks
    html = response.content.decode()
    assert 'class="burnup-target"' in html and "Whole plan: 60 h" in html
    assert "after your target" in html


def test_the_burn_up_counts_the_plan_as_the_plan_page_does(client: Client, learner: User) -> None:
    plan_of(learner, 8)
    PlanItem.objects.filter(plan__learner=learner).update(hours=10)
    # Beside the schedule: an optional step not included, one after the target, one in a hidden stage.
    for position, lane in ((7, "optional"), (8, "later"), (2, "hidden")):
        PlanItem.objects.filter(plan__learner=learner, position=position).update(lane=lane)
    Profile.objects.filter(user=learner).update(hours_per_week=2)
    Progress.objects.filter(learner=learner, status="done").update(completed_at=timezone.now())
    burnup = client.get(ACTIVITY).context["burnup"]
    summary = client.get(reverse("roadmap:plan")).context["summary"]
    # Scheduled: positions 1 (done), 3 (not started), 5 (done) and 6 (in progress); 4 is known.
    assert (burnup.scope, burnup.done) == (40, 20)
    assert burnup.scope - burnup.done == summary.remaining_hours
    assert burnup.projected == summary.projected_finish


def test_burn_up_layout_runs_from_the_start_to_the_later_of_target_and_finish() -> None:
    chart = burnup_chart(
        start=D(2026, 1, 1),
        today=D(2026, 3, 1),
        completions=[(D(2026, 2, 1), 10), (D(2026, 2, 15), 20)],
        scope=100,
        target=D(2026, 6, 1),
        projected=D(2026, 9, 1),
    )
    assert chart.done == 30
    assert chart.left < chart.target_x < chart.projected_x == chart.right
    assert chart.planned_points.endswith(f"{chart.target_x},{chart.scope_y}")
    done = [tuple(map(float, p.split(","))) for p in chart.done_points.split()]
    assert [y for _, y in done] == sorted((y for _, y in done), reverse=True)  # never goes down
    assert all(chart.left <= x <= chart.right for x, _ in done)
    labels = [label for label, _ in chart.x_ticks]
    assert labels[0] == "Jan 2026" and "Sep" in labels
