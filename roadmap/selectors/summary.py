"""The summary of a whole plan: progress bars, next up, the projected finish against the target."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from accounts.models import Profile, User, today_in
from catalog.models import Category
from roadmap.models import Plan, PlanItem, Progress
from roadmap.planning import Lane, finish_date, weeks_needed
from roadmap.selectors.entries import _ENTRY_WIDTH, Entry, _entry, _entry_rows, plan_entries, stage_url

Status = Progress.Status
NEXT_UP = 5
CATEGORY_LABELS = dict(Category.choices)


# ---------------------------------------------------------------- the summary of a whole plan


@dataclass(frozen=True)
class Pace:
    """What the projection needs from the learner's profile."""

    hours_per_week: int
    target_date: dt.date | None
    time_zone: str

    @classmethod
    def of(cls, profile: Profile) -> Pace:
        return cls(profile.hours_per_week, profile.target_date, profile.time_zone)


def learner_entries(learner: User) -> tuple[list[Entry], Pace | None]:
    """The learner's whole plan and pace in one query (for a status change, which needs both)."""
    pace = ("plan__learner__profile__hours_per_week", "plan__learner__profile__target_date")
    rows = list(
        _entry_rows(
            PlanItem.objects.filter(plan__learner=learner), *pace, "plan__learner__profile__time_zone"
        )
    )
    if not rows or rows[0][_ENTRY_WIDTH] is None:
        return [], None
    hours, target, zone = rows[0][_ENTRY_WIDTH:]
    return [_entry(row[:_ENTRY_WIDTH]) for row in rows], Pace(hours, target, zone)


# plan_head's statement: the plan page runs it on every view to find its cached data. The ORM spent
# ~1.5 ms of CPU building the plan-and-profile query, the progress aggregate and the own steps'
# query (empty for most learners) each time, against ~0.15 ms for this constant one.
# The checksum weighs each Progress row by its status's rank (1-4, in Progress.Status order).
PLAN_HEAD = (
    "SELECT plan.id, plan.built_at, plan.focused, profile.hours_per_week, profile.target_date,"
    " profile.time_zone, progress.rows, progress.last_change, progress.checksum,"
    " (SELECT COUNT(id) FROM roadmap_ownstep WHERE learner_id = %(learner)s)"
    " FROM roadmap_plan plan"
    " JOIN accounts_profile profile ON profile.user_id = plan.learner_id"
    " CROSS JOIN (SELECT COUNT(id) AS rows, MAX(updated_at) AS last_change, COALESCE(SUM(id * CASE status"
    " WHEN %(s1)s THEN 1 WHEN %(s2)s THEN 2 WHEN %(s3)s THEN 3 WHEN %(s4)s THEN 4 ELSE 0 END), 0) AS checksum"
    " FROM roadmap_progress WHERE learner_id = %(learner)s) progress"
    " WHERE plan.learner_id = %(learner)s"
)
_STATUS_RANKS = {f"s{rank}": status for rank, status in enumerate(Progress.Status.values, start=1)}


@dataclass(frozen=True, slots=True)
class PlanHead:
    """What the plan page needs before its cached data: the plan, the pace, and what moves its key."""

    plan_id: int
    built_at: dt.datetime
    focused: bool
    pace: Pace
    # Moves with any change of the learner's statuses: how many Progress rows, the last change, and
    # a checksum of (row, status) that moves even when another server's clock is behind.
    progress_stamp: tuple[Any, ...]
    own_steps: int

    @property
    def state_key(self) -> str:
        """Moves when the plan is rebuilt, a status changes, the pace changes or the learner's day
        turns: the key of any cached data drawn from the plan (the plan page's, the mentee page's)."""
        state = (self.plan_id, self.built_at, self.progress_stamp, self.pace, today_in(self.pace.time_zone))
        return hashlib.blake2b(repr(state).encode(), digest_size=16).hexdigest()


def plan_head(learner_id: int) -> PlanHead | None:
    """The learner's plan head in one statement; None without a plan (or a profile)."""
    with connection.cursor() as cursor:
        cursor.execute(PLAN_HEAD, {**_STATUS_RANKS, "learner": learner_id})
        row = cursor.fetchone()
    if row is None:
        return None
    plan_id, built_at, focused, hours, target, zone, *stamp, own_steps = row
    if timezone.is_naive(built_at):  # SQLite keeps no offset: the column is UTC
        built_at = timezone.make_aware(built_at, dt.UTC)
    return PlanHead(plan_id, built_at, bool(focused), Pace(hours, target, zone), tuple(stamp), own_steps)


@dataclass
class Bar:
    """Progress of a group of items; skipped items count in neither part."""

    label: str
    complete: int = 0
    total: int = 0
    skipped: int = 0
    hours_left: int = 0

    @property
    def percent(self) -> int:
        return 100 * self.complete // self.total if self.total else 0

    def add_group(self, *, known: bool, status: str, count: int, hours: int) -> None:
        """Count `count` items of one kind of state, `hours` long in all."""
        if status == Status.SKIPPED and not known:
            self.skipped += count
            return
        self.total += count
        if known or status == Status.DONE:
            self.complete += count
        else:
            self.hours_left += hours


@dataclass
class StageBar(Bar):
    index: int = 0

    @property
    def rows_url(self) -> str:
        return stage_url(self.index)


@dataclass
class Aside:
    """Items beside the schedule (optional, after the target, hidden): how many and their open hours."""

    items: int = 0
    hours: int = 0

    def add_group(self, *, known: bool, status: str, count: int, hours: int) -> None:
        self.items += count
        if not known and status not in (Status.DONE, Status.SKIPPED):
            self.hours += hours


@dataclass
class PlanSummary:
    overall: Bar
    stages: list[StageBar]
    categories: list[Bar]
    next_up: list[Entry]
    pace: Pace
    today: dt.date
    current_stage: int | None = None
    entries: int = 0
    optional: Aside = field(default_factory=Aside)
    later: Aside = field(default_factory=Aside)
    hidden: Aside = field(default_factory=Aside)

    @property
    def hours_per_week(self) -> int:
        return self.pace.hours_per_week

    @property
    def target_date(self) -> dt.date | None:
        return self.pace.target_date

    @property
    def remaining_hours(self) -> int:
        return self.overall.hours_left

    @property
    def weeks_left(self) -> int:
        return weeks_needed(self.remaining_hours, self.hours_per_week)

    @property
    def projected_finish(self) -> dt.date:
        return finish_date(
            today=self.today, hours_left=self.remaining_hours, hours_per_week=self.hours_per_week
        )

    @property
    def late(self) -> bool:
        """The target date cannot be met at the learner's hours per week."""
        return self.target_date is not None and self.projected_finish > self.target_date

    @property
    def hours_to_fit(self) -> int | None:
        """The hours a week that would finish the schedule by the target date (None: not even 80)."""
        if self.target_date is None:
            return None
        weeks = (self.target_date - self.today).days // 7
        needed = math.ceil(self.remaining_hours / weeks) if weeks >= 1 else 81
        return max(needed, 1) if needed <= 80 else None

    def stage(self, index: int) -> StageBar | None:
        return next((stage for stage in self.stages if stage.index == index), None)


def next_up(entries: list[Entry], limit: int = NEXT_UP) -> list[Entry]:
    """Open scheduled items whose prerequisites are done, known or skipped (none of them open): those
    of the current stage (the first open item's) in plan order, then the others by what they unlock.

    `entries` may be every item or only the first open ones: in prerequisite order, an item's open
    prerequisites are open items before it.
    """
    open_positions = {e.position for e in entries if not e.closed and e.scheduled}
    ready = [e for e in entries if e.position in open_positions and not open_positions.intersection(e.needs)]
    if not ready:
        return []
    current = min(e.stage_index for e in entries if e.position in open_positions)
    here = [e for e in ready if e.stage_index == current]
    elsewhere = sorted((e for e in ready if e.stage_index != current), key=lambda e: (-e.unlocks, e.position))
    return (here + elsewhere)[:limit]


def plan_summary(*, plan: Plan, profile: Profile, entries: list[Entry] | None = None) -> PlanSummary:
    """The summary of a plan, from its entries when the caller has them already."""
    return summarise(plan_entries(plan) if entries is None else entries, Pace.of(profile))


def plan_overview(plan: Plan, pace: Pace) -> PlanSummary:
    """The summary of a plan read afresh (after a rebuild)."""
    return summarise(plan_entries(plan), pace)


def summarise(entries: list[Entry], pace: Pace) -> PlanSummary:
    """Overall, per-stage and per-category bars, next up and the stage in progress of every item of a
    plan, counted from the items themselves: next up and the open stage need them read anyway."""
    # Items counted by (stage index, stage title, skill category, known, status, lane), then each group
    # added to its bars: a thousand-item plan has a few dozen groups.
    groups: dict[tuple[int, str, str | None, bool, str, str], tuple[int, int]] = {}
    for e in entries:
        key = (e.stage_index, e.stage_title, e.category, e.known, e.status, e.lane)
        items, hours = groups.get(key, (0, 0))
        groups[key] = (items + 1, hours + e.hours)
    overall = Bar("Overall")
    stages: dict[int, StageBar] = {}
    categories: dict[str, Bar] = {}
    asides = {Lane.OPTIONAL: Aside(), Lane.LATER: Aside(), Lane.HIDDEN: Aside()}
    for (index, title, category, known, status, lane), (items, hours) in groups.items():
        if lane in asides:
            asides[lane].add_group(known=known, status=status, count=items, hours=hours)
            continue
        bars = [overall, stages.setdefault(index, StageBar(title, index=index))]
        if category:
            bars.append(categories.setdefault(category, Bar(CATEGORY_LABELS.get(category, category))))
        for bar in bars:
            bar.add_group(known=known, status=status, count=items, hours=hours)
    first_open = [e for e in entries if not e.closed and e.scheduled]
    order = list(CATEGORY_LABELS)
    return PlanSummary(
        overall=overall,
        stages=[stages[i] for i in sorted(stages)],
        categories=[
            categories[c] for c in sorted(categories, key=lambda c: order.index(c) if c in order else 99)
        ],
        next_up=next_up(first_open),
        pace=pace,
        today=today_in(pace.time_zone),
        current_stage=first_open[0].stage_index if first_open else None,
        entries=overall.total + overall.skipped,
        optional=asides[Lane.OPTIONAL],
        later=asides[Lane.LATER],
        hidden=asides[Lane.HIDDEN],
    )
