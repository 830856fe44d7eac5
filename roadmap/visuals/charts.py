"""The activity page's charts as pure layout: steps done per week, the calendar of active days, the
burn-up of the plan (planned against done, with the target date). Templates draw the SVG."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

# ---------------------------------------------------------------- steps done per week

CHART_WEEKS = 26
# The chart is laid out in a fixed box that CSS scales to its card's width; bars never get wider
# than CHART_BAR_MAX, so a new learner's few weeks do not turn into slabs.
CHART_WIDTH = 720
CHART_HEIGHT = 200
CHART_BAR_MAX = 40
CHART_LEFT = 34
CHART_RIGHT = 24  # room for the last week's label, centred on its bar
CHART_BOTTOM = 36
AXIS_LABEL_WIDTH = 44  # "28 Dec" at 11 px, with a gap


def week_start(day: dt.date) -> dt.date:
    """The Monday of the ISO week containing `day`."""
    return day - dt.timedelta(days=day.weekday())


def weeks_since(first_day: dt.date, *, today: dt.date, cap: int = CHART_WEEKS) -> int:
    """How many weeks the charts show: from the week of `first_day` (sign-up) to this week, at most `cap`."""
    return max(1, min(cap, (week_start(today) - week_start(first_day)).days // 7 + 1))


@dataclass(frozen=True)
class WeekBar:
    start: dt.date
    count: int
    x: float
    y: float
    height: float
    width: float
    labelled: bool

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class WeeklyChart:
    bars: list[WeekBar]
    peak: int
    total: int
    width: int
    height: int
    baseline: int
    ticks: list[tuple[int, int]]  # (value, y) for the scale's gridlines

    @property
    def left(self) -> int:
        return CHART_LEFT

    @property
    def right(self) -> int:
        return self.width - CHART_RIGHT


def weekly_counts(
    done: Iterable[tuple[dt.date, int]], *, today: dt.date, weeks: int = CHART_WEEKS
) -> list[int]:
    """Steps done in each of the last `weeks` weeks (oldest first; the last is this week).

    `done` holds (local date, step id) of every change to "done"; a step done, undone and done
    again within one week counts once in that week.
    """
    first = week_start(today) - dt.timedelta(weeks=weeks - 1)
    seen: set[tuple[int, int]] = set()
    counts = [0] * weeks
    for day, step in done:
        index = (week_start(day) - first).days // 7
        if 0 <= index < weeks and (index, step) not in seen:
            seen.add((index, step))
            counts[index] += 1
    return counts


def nice_ticks(peak: int) -> list[int]:
    """Up to four round gridline values from 0 to at least `peak`."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        step = candidate
        if peak <= candidate * 3:
            break
    top = max(step, -(-peak // step) * step)
    return list(range(0, top + 1, step))


def weekly_chart(
    done: Iterable[tuple[dt.date, int]], *, today: dt.date, weeks: int = CHART_WEEKS
) -> WeeklyChart:
    """Bars of steps done per week, scaled to the busiest week, with a round scale. Weeks share the
    plot's width; labels go on every few weeks (counted back from this week, which always has one)
    so that no two overlap."""
    counts = weekly_counts(done, today=today, weeks=weeks)
    ticks = nice_ticks(max(counts, default=0))
    top = ticks[-1]
    baseline = CHART_HEIGHT - CHART_BOTTOM
    plot = baseline - 14
    slot = (CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / weeks
    bar = min(CHART_BAR_MAX, slot * 0.72)
    every = max(1, -(-AXIS_LABEL_WIDTH // int(slot)) if slot >= 1 else weeks)
    first = week_start(today) - dt.timedelta(weeks=weeks - 1)
    bars = []
    for i, count in enumerate(counts):
        height = round(plot * count / top, 1) if top else 0
        bars.append(
            WeekBar(
                start=first + dt.timedelta(weeks=i),
                count=count,
                x=round(CHART_LEFT + i * slot + (slot - bar) / 2, 1),
                y=round(baseline - height, 1),
                height=height,
                width=round(bar, 1),
                labelled=(weeks - 1 - i) % every == 0,
            )
        )
    return WeeklyChart(
        bars=bars,
        peak=max(counts, default=0),
        total=sum(counts),
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        baseline=baseline,
        ticks=[(value, baseline - round(plot * value / top)) for value in ticks],
    )


# ---------------------------------------------------------------- the activity calendar

CALENDAR_WEEKS = 26
CELL = 13
CELL_GAP = 3
CALENDAR_LEFT = 30
CALENDAR_TOP = 18
CALENDAR_RIGHT = 16  # a month starting in the last column keeps its whole label ("Dec")


def local_dates(moments: Iterable[dt.datetime], zone: dt.tzinfo) -> list[dt.date]:
    """The calendar date of each aware moment in the learner's time zone."""
    return [moment.astimezone(zone).date() for moment in moments]


def streaks(active: Iterable[dt.date], *, today: dt.date) -> tuple[int, int]:
    """(current, longest) runs of consecutive active days.

    The current streak counts back from today, or from yesterday while today has no activity
    yet: a learner who was active every day up to yesterday has not lost their streak at breakfast.
    """
    days = set(active)
    longest = 0
    for day in days:
        if day - dt.timedelta(days=1) in days:
            continue  # not the start of a run
        length = 1
        while day + dt.timedelta(days=length) in days:
            length += 1
        longest = max(longest, length)
    start = today if today in days else today - dt.timedelta(days=1)
    current = 0
    while start - dt.timedelta(days=current) in days:
        current += 1
    return current, longest


def activity_level(count: int) -> int:
    """0-4, the shade of a day on the calendar by how many changes were made that day."""
    if count <= 0:
        return 0
    if count == 1:
        return 1
    if count <= 3:
        return 2
    if count <= 6:
        return 3
    return 4


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    count: int
    x: int
    y: int

    @property
    def level(self) -> int:
        return activity_level(self.count)


@dataclass(frozen=True)
class Calendar:
    days: list[CalendarDay]
    months: list[tuple[str, int]]  # (label, x) at the first column of each month
    weekdays: list[tuple[str, int]]  # (label, y) of the rows labelled on the left
    width: int
    height: int
    active_days: int

    @property
    def cell(self) -> int:
        return CELL


def activity_calendar(
    counts: Mapping[dt.date, int], *, today: dt.date, weeks: int = CALENDAR_WEEKS
) -> Calendar:
    """A GitHub-style grid: one column per week (Monday on top), ending with today's week."""
    first = week_start(today) - dt.timedelta(weeks=weeks - 1)
    days: list[CalendarDay] = []
    months: list[tuple[str, int]] = []
    for week in range(weeks):
        x = CALENDAR_LEFT + week * (CELL + CELL_GAP)
        monday = first + dt.timedelta(weeks=week)
        for weekday in range(7):
            day = monday + dt.timedelta(days=weekday)
            if day > today:
                break
            if day.day == 1 or (week == 0 and weekday == 0):
                months.append((day.strftime("%b"), x))
            days.append(CalendarDay(day, counts.get(day, 0), x, CALENDAR_TOP + weekday * (CELL + CELL_GAP)))
    # Drop a month label that would collide with the next one (the first, partial month).
    if len(months) > 1 and months[1][1] - months[0][1] < 3 * (CELL + CELL_GAP):
        months.pop(0)
    weekdays = [
        (name, CALENDAR_TOP + i * (CELL + CELL_GAP) + CELL - 2)
        for i, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"))
    ]
    return Calendar(
        days=days,
        months=months,
        weekdays=weekdays,
        width=CALENDAR_LEFT + weeks * (CELL + CELL_GAP) + CALENDAR_RIGHT,
        height=CALENDAR_TOP + 7 * (CELL + CELL_GAP),
        active_days=sum(1 for d in days if d.count > 0),
    )


# ---------------------------------------------------------------- the burn-up of the plan

BURNUP_WIDTH = 720
BURNUP_HEIGHT = 260
BURNUP_LEFT = 46
BURNUP_RIGHT = 30
BURNUP_TOP = 22
BURNUP_BOTTOM = 40
# A projection this far out (a few hours a week for a long plan) is drawn to this many years.
BURNUP_MAX_YEARS = 6


@dataclass(frozen=True)
class Burnup:
    """The plan's hours over time: the scope (every open or finished hour of the plan), the done
    hours as they came, the straight line that meets the target date, and where the learner's pace
    leads. Coordinates are in the box of width and height; the template draws them."""

    width: int
    height: int
    left: int
    right: int
    top: int
    baseline: int
    scope: int
    done: int
    scope_y: float
    done_points: str
    planned_points: str
    projection_points: str
    today_x: float
    target: dt.date | None
    target_x: float | None
    projected: dt.date | None
    projected_x: float | None
    x_ticks: list[tuple[str, float]]
    y_ticks: list[tuple[int, float]]

    @property
    def late(self) -> bool:
        return self.target is not None and self.projected is not None and self.projected > self.target


def burnup_chart(
    *,
    start: dt.date,
    today: dt.date,
    completions: Iterable[tuple[dt.date, int]],
    scope: int,
    target: dt.date | None,
    projected: dt.date | None,
) -> Burnup:
    """Lay out the burn-up from the plan's first day to the later of the target and the projected
    finish. `completions` are (local date, hours) of each finished step; `scope` the plan's hours."""
    start = min([start, *(day for day, _ in completions)]) if completions else start
    end_candidates = [today + dt.timedelta(days=7)] + [d for d in (target, projected) if d is not None]
    end = min(max(end_candidates), start + dt.timedelta(days=365 * BURNUP_MAX_YEARS))
    span = max(1, (end - start).days)
    right = BURNUP_WIDTH - BURNUP_RIGHT
    baseline = BURNUP_HEIGHT - BURNUP_BOTTOM
    ticks = nice_ticks(max(scope, 1))
    top_value = ticks[-1]

    def x(day: dt.date) -> float:
        days = min(max((day - start).days, 0), span)
        return round(BURNUP_LEFT + (right - BURNUP_LEFT) * days / span, 1)

    def y(hours: float) -> float:
        return round(baseline - (baseline - BURNUP_TOP) * hours / top_value, 1)

    points = [f"{x(start)},{y(0)}"]
    done = 0
    for day, hours in sorted(completions):
        if day > today:
            continue
        points.append(f"{x(day)},{y(done)}")  # a step up on the day the step was finished
        done += hours
        points.append(f"{x(day)},{y(done)}")
    points.append(f"{x(today)},{y(done)}")
    goal = target or projected
    planned = f"{x(start)},{y(0)} {x(goal)},{y(scope)}" if goal else ""
    projection = f"{x(today)},{y(done)} {x(projected)},{y(scope)}" if projected and done < scope else ""
    return Burnup(
        width=BURNUP_WIDTH,
        height=BURNUP_HEIGHT,
        left=BURNUP_LEFT,
        right=right,
        top=BURNUP_TOP,
        baseline=baseline,
        scope=scope,
        done=done,
        scope_y=y(scope),
        done_points=" ".join(points),
        planned_points=planned,
        projection_points=projection,
        today_x=x(today),
        target=target,
        target_x=x(target) if target else None,
        projected=projected,
        projected_x=x(projected) if projected else None,
        x_ticks=_month_ticks(start, end, x),
        y_ticks=[(value, y(value)) for value in ticks],
    )


def _month_ticks(start: dt.date, end: dt.date, x: Callable[[dt.date], float]) -> list[tuple[str, float]]:
    """Labels at the first of months, thinned so that at most about eight show."""
    months = []
    day = dt.date(start.year, start.month, 1)
    while day <= end:
        if day >= start:
            months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    every = max(1, -(-len(months) // 8))
    ticks, year = [], None
    for month in months[::every]:
        # The year is written on the first label and wherever it changes.
        ticks.append((month.strftime("%b") if month.year == year else month.strftime("%b %Y"), x(month)))
        year = month.year
    return ticks
