"""Reads for the plan page: items with the learner's statuses, progress bars, next up, readiness."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Profile, User
from roadmap.models import ITEM_FIELDS, Category, Certification, ItemKind, Plan, PlanItem, Progress

Status = Progress.Status
NEXT_UP = 5
# Open items read for next up: enough for NEXT_UP ready ones in any real plan, and a fixed cost.
OPEN_WINDOW = 60
CATEGORY_LABELS = dict(Category.choices)
KIND_LABELS = dict(ItemKind.choices)
STATUS_LABELS = dict(Status.choices)


def today_in(time_zone: str) -> dt.date:
    """Today's date in a time zone (UTC if the name is unknown)."""
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(zone).date()


def learner_today(profile: Profile) -> dt.date:
    """Today's date where the learner lives."""
    return today_in(profile.time_zone)


def _progress_of_item(learner_id: int, column: str, output: Any) -> Case:
    """A column of the learner's Progress row for a plan item's catalog item, as an annotation."""

    def lookup(kind: str) -> Subquery:
        rows = Progress.objects.filter(learner_id=learner_id, **{kind: OuterRef(kind)})
        return Subquery(rows.values(column)[:1])

    whens = [When(**{f"{kind}__isnull": False}, then=lookup(kind)) for kind in ITEM_FIELDS]
    return Case(*whens, output_field=output)


def status_of_item(learner_id: int) -> Coalesce:
    """The learner's status of a plan item's catalog item, as an annotation (not started without a row)."""
    return Coalesce(_progress_of_item(learner_id, "status", CharField()), Value(Status.NOT_STARTED))


def with_progress(items: QuerySet[PlanItem], learner_id: int) -> QuerySet[PlanItem]:
    """Plan items annotated with the learner's status (not started without a row) and progress id."""
    return items.annotate(
        status=status_of_item(learner_id),
        progress_id=_progress_of_item(learner_id, "id", BigIntegerField()),
    )


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
        return STATUS_LABELS[self.status]

    @property
    def dom_id(self) -> str:
        return f"item-{self.kind}-{self.slug}"


ENTRY_COLUMNS = (
    "position",
    *(f"{kind}_id" for kind in ITEM_FIELDS),
    "item_slug",
    "item_name",
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
)


def entries_of(
    items: QuerySet[PlanItem],
    learner_id: int,
    *extra: str,
    exclude: Q | None = None,
    limit: int | None = None,
) -> Iterable[tuple[Entry, tuple]]:
    """Entries of the given plan items in plan order (less `exclude`, at most `limit`), each with the
    `extra` columns asked for."""
    annotated = with_progress(items, learner_id)
    rows = (
        (annotated.exclude(exclude) if exclude is not None else annotated)
        .annotate(
            item_slug=Coalesce("skill__slug", "course__slug", "certification__slug", "project__slug"),
            item_name=Coalesce("skill__name", "course__title", "certification__name", "project__title"),
        )
        .order_by("position")
        .values_list(*ENTRY_COLUMNS, *extra)
    )
    if limit is not None:
        rows = rows[:limit]
    width = len(ENTRY_COLUMNS)
    for row in rows:
        position, ids, fields, more = row[0], row[1:5], row[5:width], row[width:]
        kind, item_id = next((k, i) for k, i in zip(ITEM_FIELDS, ids, strict=True) if i is not None)
        slug, name, stage, title, category, hours, week, optional, known, prereq, needs, status, pid = fields
        entry = Entry(
            position, kind, item_id, slug, name, stage, title, category, hours, week, optional, known, prereq,
            tuple(needs or ()), status, pid,
        )  # fmt: skip
        yield entry, tuple(more)


def plan_entries(plan: Plan) -> list[Entry]:
    """Every item of the plan, lightly: one query whatever the plan's size."""
    return [entry for entry, _ in entries_of(PlanItem.objects.filter(plan=plan), plan.learner_id)]


def hide_filter(hide: Collection[str]) -> Q:
    """Rows to leave out: "done" hides done and known steps, "skipped" hides skipped ones."""
    condition = Q(pk__in=[])
    if "done" in hide:
        condition |= Q(status=Status.DONE) | Q(known=True)
    if "skipped" in hide:
        condition |= Q(status=Status.SKIPPED)
    return condition


def is_hidden(entry: Entry, hide: Collection[str]) -> bool:
    return ("done" in hide and entry.complete) or ("skipped" in hide and entry.status == Status.SKIPPED)


def plan_stage_rows(*, plan: Plan, stage_index: int, hide: Collection[str] = ()) -> list[Entry]:
    """One stage's items with their status, in plan order, less the hidden ones."""
    items = PlanItem.objects.filter(plan=plan, stage_index=stage_index)
    return [entry for entry, _ in entries_of(items, plan.learner_id, exclude=hide_filter(hide))]


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


PACE_COLUMNS = tuple(f"plan__learner__profile__{f}" for f in ("hours_per_week", "target_date", "time_zone"))


def learner_entries(learner: User) -> tuple[list[Entry], Pace | None]:
    """The learner's whole plan and pace in one query (for a status change, which needs both)."""
    entries, pace = [], None
    for entry, (hours, target, zone) in entries_of(
        PlanItem.objects.filter(plan__learner=learner), learner.pk, *PACE_COLUMNS
    ):
        entries.append(entry)
        pace = pace or Pace(hours, target, zone)
    return entries, pace


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

    def add(self, entry: Entry) -> None:
        self.add_group(known=entry.known, status=entry.status, count=1, hours=entry.hours)

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
        return -(-self.remaining_hours // self.hours_per_week)

    @property
    def projected_finish(self) -> dt.date:
        return self.today + dt.timedelta(weeks=self.weeks_left)

    @property
    def late(self) -> bool:
        """The target date cannot be met at the learner's hours per week."""
        return self.target_date is not None and self.projected_finish > self.target_date

    def stage(self, index: int) -> StageBar | None:
        return next((stage for stage in self.stages if stage.index == index), None)


def next_up(entries: list[Entry], limit: int = NEXT_UP) -> list[Entry]:
    """The first open items whose prerequisites are done, known or skipped (none of them open).

    `entries` may be every item or only the first open ones: in prerequisite order, an item's open
    prerequisites are open items before it.
    """
    open_positions = {e.position for e in entries if not e.closed}
    ready = []
    for entry in entries:
        if entry.position in open_positions and not open_positions.intersection(entry.needs):
            ready.append(entry)
            if len(ready) == limit:
                break
    return ready


def plan_summary(*, plan: Plan, profile: Profile, entries: list[Entry] | None = None) -> PlanSummary:
    """The summary of a plan: from its entries when the caller has them, else read with aggregates."""
    if entries is None:
        return plan_overview(plan, Pace.of(profile))
    return summarise(entries, Pace.of(profile))


def summarise(entries: list[Entry], pace: Pace) -> PlanSummary:
    """Overall, per-stage and per-category progress, next up and the projected finish."""
    overall = Bar("Overall")
    stages: dict[int, StageBar] = {}
    categories: dict[str, Bar] = {}
    current: int | None = None
    for entry in entries:
        overall.add(entry)
        stages.setdefault(entry.stage_index, StageBar(entry.stage_title, index=entry.stage_index)).add(entry)
        if current is None and not entry.closed:
            current = entry.stage_index
        if entry.category:
            label = CATEGORY_LABELS.get(entry.category, entry.category)
            categories.setdefault(entry.category, Bar(label)).add(entry)
    order = list(CATEGORY_LABELS)
    return PlanSummary(
        overall=overall,
        stages=[stages[i] for i in sorted(stages)],
        categories=[
            categories[c] for c in sorted(categories, key=lambda c: order.index(c) if c in order else 99)
        ],
        next_up=next_up(entries),
        pace=pace,
        today=today_in(pace.time_zone),
        current_stage=current,
        entries=len(entries),
    )


def plan_overview(plan: Plan, pace: Pace) -> PlanSummary:
    """What summarise() gives, read with aggregates: the time spent in Python does not grow with the plan.

    Bars come from counts grouped by stage and by category; "next up" and the stage in progress
    from the first open items only. That is enough: the plan is in prerequisite order, so an open
    item's open prerequisites all come before it, among the open items read.
    """
    items = PlanItem.objects.filter(plan=plan).annotate(status=status_of_item(plan.learner_id))
    overall = Bar("Overall")
    stages: dict[int, StageBar] = {}
    counted = items.values("stage_index", "stage_title", "known", "status").annotate(
        n=Count("pk"), h=Sum("hours")
    )
    for row in counted.order_by("stage_index"):
        stage = stages.setdefault(row["stage_index"], StageBar(row["stage_title"], index=row["stage_index"]))
        for bar in (overall, stage):
            bar.add_group(known=row["known"], status=row["status"], count=row["n"], hours=row["h"] or 0)
    categories: dict[str, Bar] = {}
    by_category = items.filter(skill__isnull=False).annotate(category=F("skill__category"))
    grouped = by_category.values("category", "known", "status").annotate(n=Count("pk"), h=Sum("hours"))
    for group in grouped.order_by():
        category = str(group["category"])
        bar = categories.setdefault(category, Bar(CATEGORY_LABELS.get(category, category)))
        bar.add_group(known=group["known"], status=group["status"], count=group["n"], hours=group["h"] or 0)
    closed = Q(known=True) | Q(status__in=[Status.DONE, Status.SKIPPED])
    first_open = [
        e
        for e, _ in entries_of(
            PlanItem.objects.filter(plan=plan), plan.learner_id, exclude=closed, limit=OPEN_WINDOW
        )
    ]
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
    done = Progress.objects.filter(learner_id=plan.learner_id, status=Status.DONE, skill__isnull=False)
    known = Profile.known_skills.through.objects.filter(profile__user_id=plan.learner_id)
    in_plan = PlanItem.objects.filter(plan=plan, certification__isnull=False)
    ready = Q(skills_validated__in=done.values("skill_id")) | Q(skills_validated__in=known.values("skill_id"))
    certifications = (
        Certification.objects.filter(pk__in=in_plan.values("certification_id"))
        .annotate(
            plan_position=Subquery(in_plan.filter(certification=OuterRef("pk")).values("position")[:1]),
            validated=Count("skills_validated", distinct=True),
            ready=Count("skills_validated", distinct=True, filter=ready),
        )
        .order_by("plan_position")
    )
    return [Readiness(c, c.validated, c.ready) for c in certifications]
