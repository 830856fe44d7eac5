"""Reads for the plan page: items with the learner's statuses, progress bars, next up, readiness."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.models import Profile, User, today_in
from catalog.models import ITEM_FIELDS, Category, Certification, ItemKind, Tier
from catalog.shares import share_label
from roadmap.choices import GroupRow, StageRow, choice_groups, plan_stages
from roadmap.models import Plan, PlanItem, PlanItemQuerySet, Progress
from roadmap.planning import Lane, finish_date, item_state, weeks_needed

Status = Progress.Status
NEXT_UP = 5
CATEGORY_LABELS = dict(Category.choices)
KIND_LABELS = dict(ItemKind.choices)
STATUS_LABELS = dict(Status.choices)
TIER_LABELS = dict(Tier.choices)


# ---------------------------------------------------------------- one line per plan item


@dataclass(slots=True)
class Entry:
    """One plan item with its catalog item's name and the learner's status: a row, or a summary input."""

    position: int
    kind: str
    item_id: int
    slug: str
    name: str
    stage_index: int
    stage_title: str
    category: str | None
    hours: int
    week: int
    optional: bool
    known: bool
    from_prerequisites: bool
    needs: tuple[int, ...]
    status: str
    progress_id: int | None
    lane: str = Lane.SCHEDULED
    covered_by: int | None = None
    unlocks: int = 0
    source: str = ""
    cut_reason: str = ""
    tier: str | None = None
    share: str = ""  # the skill's share of job postings as the seeds give it ("under 5%", "35-40%")

    @property
    def scheduled(self) -> bool:
        return self.lane == Lane.SCHEDULED

    @property
    def why(self) -> str:
        """Why the step is in the plan, in one line: its tier, who put it there, what needs it."""
        parts = [TIER_LABELS[self.tier]] if self.tier in TIER_LABELS else []
        if self.share:
            parts.append(f"{self.share} of job postings")
        if self.source:
            parts.append(f"from {self.source}")
        elif self.from_prerequisites:
            parts.append("a later step needs it")
        if self.unlocks:
            parts.append(f"{self.unlocks} later step{'s' * (self.unlocks != 1)} build on it")
        return " · ".join(parts)

    @property
    def state(self) -> str:
        """ "known" or the learner's status: what every view shows."""
        return item_state(status=self.status, known=self.known)

    @property
    def complete(self) -> bool:
        return self.known or self.status == Status.DONE

    @property
    def closed(self) -> bool:
        return self.complete or self.status == Status.SKIPPED

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        return "Known already" if self.known else STATUS_LABELS[self.status]

    @property
    def dom_id(self) -> str:
        return f"item-{self.kind}-{self.slug}"

    @property
    def step_url(self) -> str:
        return row_url("roadmap:step", self.kind, self.slug)

    @property
    def status_url(self) -> str:
        return row_url("roadmap:step_status", self.kind, self.slug)


URL_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def row_url(name: str, kind: str, slug: str) -> str:
    """reverse(name, kind=kind, slug=slug), "" for a slug no URL can carry (as {% url ... as %}).

    One reverse() per URL name, then string replacement: a page of plan rows spent a millisecond
    in {% url %} tags.
    """
    if not URL_SLUG.fullmatch(slug):
        return ""
    pattern = _row_url_pattern(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return pattern.replace("__kind__", kind, 1).replace("__slug__", slug, 1)


@functools.cache
def _row_url_pattern(name: str, script_prefix: str, urlconf: str) -> str:
    return reverse(name, kwargs={"kind": "__kind__", "slug": "__slug__"})


def stage_url(index: int) -> str:
    """reverse("roadmap:plan_stage", args=[index]), remembered: the plan page links every stage."""
    return _stage_url(index, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=1024)
def _stage_url(index: int, script_prefix: str, urlconf: str) -> str:
    return reverse("roadmap:plan_stage", args=[index])


def _entry_rows(items: PlanItemQuerySet, *columns: Any) -> QuerySet[PlanItem, tuple[Any, ...]]:
    """The items (in plan order) as rows for Entry: the catalog item's slug and name, the learner's
    status (PlanItemQuerySet.with_status) and `columns` after them."""
    return (
        items.with_status()
        .order_by("position")
        .values_list(
            "position",
            *(f"{kind}_id" for kind in ITEM_FIELDS),
            Coalesce(*(f"{kind}__slug" for kind in ITEM_FIELDS)),
            Coalesce(*(f"{kind}__{_NAME_COLUMNS[kind]}" for kind in ITEM_FIELDS)),
            "stage_index",
            "stage_title",
            "skill__category",
            "hours",
            "week",
            "optional",
            "known",
            "from_prerequisites",
            "needs",
            "status",
            "progress_id",
            "lane",
            "covered_by",
            "unlocks",
            "source",
            "cut_reason",
            "skill__tier",
            "skill__share_low",
            "skill__share_high",
            "skill__entry_share_low",
            "skill__entry_share_high",
            *columns,
        )
    )


_NAME_COLUMNS = {"skill": "name", "course": "title", "certification": "name", "project": "title"}
_ENTRY_WIDTH = 28


def _entry(row: tuple[Any, ...]) -> Entry:
    position, *ids = row[:5]
    kind, item_id = next((k, i) for k, i in zip(ITEM_FIELDS, ids, strict=True) if i is not None)
    slug, name, stage, title, category, hours, week, optional, known, prereq, needs, status, pid = row[5:18]
    lane, covered_by, unlocks, source, cut_reason, tier, *shares = row[18:]
    return Entry(
        position, kind, item_id, slug, name, stage, title, category, hours, week, optional, known,
        prereq, tuple(needs or ()), status, pid, lane, covered_by, unlocks, source, cut_reason, tier,
        share_label(*shares),
    )  # fmt: skip


def _plan_items(plan: Plan) -> PlanItemQuerySet:
    # By learner, not plan (one plan per learner): with_status() joins the learner's Progress rows,
    # and a known learner lets PostgreSQL read each join from its (learner, item) index even
    # before it has statistics of the tables (a new database, the benchmark's).
    return PlanItem.objects.filter(plan__learner_id=plan.learner_id)


def plan_entries(plan: Plan) -> list[Entry]:
    """Every item of the plan, lightly: one query whatever the plan's size."""
    return [_entry(row) for row in _entry_rows(_plan_items(plan))]


def is_hidden(entry: Entry, hide: Collection[str]) -> bool:
    return ("done" in hide and entry.complete) or ("skipped" in hide and entry.status == Status.SKIPPED)


def shown(entries: list[Entry], hide: Collection[str]) -> list[Entry]:
    return [entry for entry in entries if not is_hidden(entry, hide)]


def plan_stage_rows(*, plan: Plan, stage_index: int, hide: Collection[str] = ()) -> list[Entry]:
    """One stage's items with their status, in plan order, less the hidden ones."""
    return shown(
        [_entry(row) for row in _entry_rows(_plan_items(plan).filter(stage_index=stage_index))], hide
    )


# A rank per status for progress_stamp's checksum; built once, as it is the same in every request.
_STATUS_RANK = Case(
    *(When(status=status, then=Value(i)) for i, status in enumerate(Status.values)),
    default=Value(0),
    output_field=IntegerField(),
)


def progress_stamp(learner_id: int) -> tuple[Any, ...]:
    """Moves with any change of the learner's statuses: how many Progress rows, the last change, and
    a checksum of (row, status) that moves even when another server's clock is behind."""
    stamp = Progress.objects.filter(learner_id=learner_id).aggregate(
        count=Count("pk"), last=Max("updated_at"), checksum=Sum(F("id") * _STATUS_RANK)
    )
    return stamp["count"], stamp["last"], stamp["checksum"]


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


# ---------------------------------------------------------------- the plan page


@dataclass(frozen=True)
class PlanPage:
    """What the plan page shows of a plan's state: kept in the cache as data, rendered per request."""

    summary: PlanSummary
    readiness: list[Readiness]
    # The stage in progress, which the page opens unless asked for another, with nothing hidden.
    current_rows: list[Entry]
    later: list[Entry]  # after the target date, in a focused plan
    shapes: dict[int, StageRow]  # the stages of the learner's tracks by index, hidden ones marked
    choice_groups: list[GroupRow]


def plan_page_data(*, plan: Plan, pace: Pace) -> PlanPage:
    """The plan page's data in four queries: every entry (bars, next up, the stage in progress, the
    steps after the target), the readiness of certifications, the stages and the choices."""
    entries = plan_entries(plan)
    summary = summarise(entries, pace)
    rows = [entry for entry in entries if entry.stage_index == summary.current_stage]
    later = [entry for entry in entries if entry.lane == Lane.LATER]
    learner = plan.learner
    return PlanPage(
        summary,
        certification_readiness(plan=plan),
        rows,
        later,
        {row.index: row for row in plan_stages(learner=learner)},
        choice_groups(learner=learner),
    )


# ---------------------------------------------------------------- certification readiness


@dataclass(frozen=True)
class Readiness:
    certification: Certification
    validated: int
    ready: int

    @property
    def percent(self) -> int:
        return 100 * self.ready // self.validated if self.validated else 0


def certification_readiness(*, plan: Plan) -> list[Readiness]:
    """For each certification in the plan, how many of the skills it validates the learner has done or knew."""
    # Known as the plan has it: the ticked skills and what they need (planning.known_closure).
    skill = OuterRef("certification__skills_validated")
    ready = Exists(
        Progress.objects.filter(learner_id=plan.learner_id, skill=skill, status=Status.DONE)
    ) | Exists(PlanItem.objects.filter(plan=plan, skill=skill, known=True))
    rows = (
        _plan_items(plan)
        .filter(certification__isnull=False)
        .values_list("position", "certification_id", "certification__name", "certification__slug")
        .annotate(
            validated=Count("certification__skills_validated"),
            ready=Count("certification__skills_validated", filter=ready),
        )
        .order_by("position")
    )
    return [
        Readiness(Certification(id=pk, name=name, slug=slug), validated, ready)
        for _, pk, name, slug, validated, ready in rows
    ]
