"""The activity page's reads: weeks since sign-up, streaks, this week against the weekly goal (set by
roadmap.services.weekly_goal_set), the burn-up of the plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate

from accounts.models import Profile, User, today_in, zone_or_utc
from roadmap.models import WEEKLY_GOAL_MAX, Plan, Progress, ProgressEvent, WeeklyGoal
from roadmap.planning import finish_date
from roadmap.selectors import Entry, plan_entries
from roadmap.visuals import activity_calendar, streaks, week_start, weekly_chart
from roadmap.visuals.charts import Burnup, burnup_chart, weeks_since

Status = Progress.Status
Unit = WeeklyGoal.Unit


@dataclass(frozen=True)
class GoalProgress:
    """This week against the weekly goal; `stored` False: proposed from the learner's hours a week."""

    unit: str
    target: int
    done: int
    stored: bool

    @property
    def percent(self) -> int:
        return min(100, 100 * self.done // self.target) if self.target else 0

    @property
    def met(self) -> bool:
        return self.done >= self.target


def goal_progress(
    *, goal: WeeklyGoal | None, hours_per_week: int, finished: set[int], entries: list[Entry]
) -> GoalProgress:
    """`finished`: the Progress ids finished this week; their plan hours count toward an hours goal."""
    unit = goal.unit if goal else Unit.HOURS
    target = goal.target if goal else min(hours_per_week, WEEKLY_GOAL_MAX["hours"])
    # Finished this week and still done (a step undone again does not count).
    kept = [e for e in entries if e.status == Status.DONE and e.progress_id in finished]
    done = len(kept) if unit == Unit.STEPS else sum(e.hours for e in kept)
    return GoalProgress(unit=unit, target=target, done=done, stored=goal is not None)


def plan_burnup(
    *,
    entries: list[Entry],
    completed: dict[int, dt.date],
    start: dt.date,
    today: dt.date,
    profile: Profile | None,
) -> Burnup | None:
    """The burn-up of the plan in hours: only the scheduled steps are in scope (optional ones not
    included, those after the target and hidden stages wait beside it), and of those neither the
    known nor the skipped ones, as the plan page's bars and projected finish count them."""
    counted = [e for e in entries if e.scheduled and not e.known and e.status != Status.SKIPPED]
    scope = sum(e.hours for e in counted)
    if not scope or profile is None:
        return None
    completions = [
        (completed[e.progress_id], e.hours)
        for e in counted
        if e.status == Status.DONE and e.progress_id in completed
    ]
    left = sum(e.hours for e in counted if e.status != Status.DONE)
    projected = finish_date(today=today, hours_left=left, hours_per_week=profile.hours_per_week)
    return burnup_chart(
        start=start,
        today=today,
        completions=completions,
        scope=scope,
        target=profile.target_date,
        projected=projected if left else today,
    )


def activity_context(*, learner: User) -> dict[str, Any]:
    """Everything the activity page shows, in a fixed number of queries whatever the history."""
    profile = Profile.objects.filter(user=learner).first()
    time_zone = profile.time_zone if profile else None
    zone, today = zone_or_utc(time_zone), today_in(time_zone)
    events = ProgressEvent.objects.filter(progress__learner=learner).order_by()
    local_day = TruncDate("at", tzinfo=zone)
    # Every day with a status change, for the calendar and both streaks (the longest may be old).
    per_day = dict(
        events.annotate(day=local_day).values("day").annotate(n=Count("id")).values_list("day", "n")
    )
    joined = learner.date_joined.astimezone(zone).date()
    # No weeks before the learner signed up: a newcomer's chart starts with their first week.
    weeks = weeks_since(min([joined, *per_day]), today=today)
    since = dt.datetime.combine(week_start(today) - dt.timedelta(weeks=weeks - 1), dt.time(), tzinfo=dt.UTC)
    done = list(
        events.filter(to_status=Status.DONE, at__gte=since - dt.timedelta(days=1))
        .annotate(day=local_day)
        .values_list("day", "progress_id")
    )
    plan = Plan.objects.filter(learner=learner).first()
    entries = plan_entries(plan) if plan else []
    finished = Progress.objects.filter(learner=learner, status=Status.DONE).values_list("pk", "completed_at")
    completed = {pk: at.astimezone(zone).date() for pk, at in finished.order_by() if at is not None}
    current, longest = streaks(per_day, today=today)
    this_week = {pk for day, pk in done if week_start(day) == week_start(today)}
    return {
        "new_learner": not per_day,
        "next_step": next((e for e in entries if not e.closed), None),
        "chart": weekly_chart(done, today=today, weeks=weeks),
        "calendar": activity_calendar(per_day, today=today, weeks=weeks),
        "weeks": weeks,
        "current_streak": current,
        "longest_streak": longest,
        "today": today,
        "zone": zone,
        "goal": goal_progress(
            goal=WeeklyGoal.objects.filter(learner=learner).first(),
            hours_per_week=profile.hours_per_week if profile else 5,
            finished=this_week,
            entries=entries,
        ),
        "burnup": plan_burnup(
            entries=entries, completed=completed, start=joined, today=today, profile=profile
        ),
    }
