"""Reads for the plan page: items with the learner's statuses, progress bars, next up, readiness."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Profile
from roadmap.models import ITEM_FIELDS, Category, Certification, ItemKind, Plan, PlanItem, Progress

Status = Progress.Status
NEXT_UP = 5
CATEGORY_LABELS = dict(Category.choices)


def learner_today(profile: Profile) -> dt.date:
    """Today's date where the learner lives."""
    try:
        zone = zoneinfo.ZoneInfo(profile.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(zone).date()


def status_of_item(learner_id: int) -> Coalesce:
    """The learner's status of a plan item's catalog item, as an annotation (not started without a row)."""
    whens = [
        When(
            **{f"{kind}__isnull": False},
            then=Subquery(
                Progress.objects.filter(learner_id=learner_id, **{kind: OuterRef(kind)}).values("status")[:1]
            ),
        )
        for kind in ITEM_FIELDS
    ]
    return Coalesce(Case(*whens, output_field=CharField()), Value(Status.NOT_STARTED))


def plan_items_with_status(plan: Plan) -> QuerySet[PlanItem]:
    return PlanItem.objects.filter(plan=plan).annotate(status=status_of_item(plan.learner_id))


def hide_filter(hide: Collection[str]) -> Q:
    """Rows to leave out: "done" hides done and known steps, "skipped" hides skipped ones."""
    condition = Q(pk__in=[])
    if "done" in hide:
        condition |= Q(status=Status.DONE) | Q(known=True)
    if "skipped" in hide:
        condition |= Q(status=Status.SKIPPED)
    return condition


def plan_stage_rows(*, plan: Plan, stage_index: int, hide: Collection[str] = ()) -> list[PlanRow]:
    """One stage's items with their catalog item and status, in plan order."""
    rows = (
        plan_items_with_status(plan)
        .filter(stage_index=stage_index)
        .exclude(hide_filter(hide))
        .select_related(*ITEM_FIELDS)
        .order_by("position")
    )
    return [PlanRow(item, item.status) for item in rows]  # type: ignore[attr-defined]


def is_hidden(*, status: str, known: bool, hide: Collection[str]) -> bool:
    return ("done" in hide and (status == Status.DONE or known)) or (
        "skipped" in hide and status == Status.SKIPPED
    )


# ---------------------------------------------------------------- the summary of a whole plan


@dataclass(frozen=True)
class Entry:
    """One plan item as the summary sees it."""

    position: int
    kind: str
    slug: str
    name: str
    stage_index: int
    stage_title: str
    category: str | None
    hours: int
    optional: bool
    known: bool
    status: str
    needs: tuple[int, ...]

    @property
    def complete(self) -> bool:
        return self.known or self.status == Status.DONE

    @property
    def closed(self) -> bool:
        return self.complete or self.status == Status.SKIPPED


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
        if entry.status == Status.SKIPPED and not entry.known:
            self.skipped += 1
            return
        self.total += 1
        if entry.complete:
            self.complete += 1
        else:
            self.hours_left += entry.hours


@dataclass
class StageBar(Bar):
    index: int = 0
    open_count: int = 0


@dataclass
class PlanSummary:
    overall: Bar
    stages: list[StageBar]
    categories: list[Bar]
    next_up: list[Entry]
    hours_per_week: int
    today: dt.date
    target_date: dt.date | None
    current_stage: int | None = None
    entries: int = 0

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


def plan_entries(plan: Plan) -> list[Entry]:
    """Every item of the plan, lightly: one query whatever the plan's size."""
    rows = (
        plan_items_with_status(plan)
        .annotate(
            item_slug=Coalesce("skill__slug", "course__slug", "certification__slug", "project__slug"),
            item_name=Coalesce("skill__name", "course__title", "certification__name", "project__title"),
        )
        .order_by("position")
        .values_list(
            "position",
            "skill_id",
            "course_id",
            "certification_id",
            "project_id",
            "stage_index",
            "stage_title",
            "skill__category",
            "hours",
            "optional",
            "known",
            "status",
            "needs",
            "item_slug",
            "item_name",
        )
    )
    entries = []
    for (
        position,
        *ids,
        stage_index,
        title,
        category,
        hours,
        optional,
        known,
        status,
        needs,
        slug,
        name,
    ) in rows:
        kind = next(k for k, i in zip(ITEM_FIELDS, ids, strict=True) if i is not None)
        entries.append(
            Entry(
                position,
                kind,
                slug,
                name,
                stage_index,
                title,
                category,
                hours,
                optional,
                known,
                status,
                tuple(needs or ()),
            )
        )
    return entries


def next_up(entries: list[Entry], limit: int = NEXT_UP) -> list[Entry]:
    """The first open items whose prerequisites are done, known or skipped."""
    closed = {e.position for e in entries if e.closed}
    ready = []
    for entry in entries:
        if entry.position not in closed and all(n in closed for n in entry.needs):
            ready.append(entry)
            if len(ready) == limit:
                break
    return ready


def plan_summary(*, plan: Plan, profile: Profile, entries: list[Entry] | None = None) -> PlanSummary:
    """Overall, per-stage and per-category progress, next up and the projected finish."""
    entries = plan_entries(plan) if entries is None else entries
    overall = Bar("Overall")
    stages: dict[int, StageBar] = {}
    categories: dict[str, Bar] = {}
    current: int | None = None
    for entry in entries:
        overall.add(entry)
        stage = stages.setdefault(entry.stage_index, StageBar(entry.stage_title, index=entry.stage_index))
        stage.add(entry)
        if not entry.closed:
            stage.open_count += 1
            if current is None:
                current = entry.stage_index
        if entry.category:
            categories.setdefault(
                entry.category, Bar(CATEGORY_LABELS.get(entry.category, entry.category))
            ).add(entry)
    order = list(CATEGORY_LABELS)
    return PlanSummary(
        overall=overall,
        stages=[stages[i] for i in sorted(stages)],
        categories=[
            categories[c] for c in sorted(categories, key=lambda c: order.index(c) if c in order else 99)
        ],
        next_up=next_up(entries),
        hours_per_week=profile.hours_per_week,
        today=learner_today(profile),
        target_date=profile.target_date,
        current_stage=current,
        entries=len(entries),
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
    certifications = (
        Certification.objects.filter(pk__in=in_plan.values("certification_id"))
        .annotate(
            plan_position=Subquery(in_plan.filter(certification=OuterRef("pk")).values("position")[:1]),
            validated=Count("skills_validated", distinct=True),
            ready=Count(
                "skills_validated",
                distinct=True,
                filter=Q(skills_validated__in=done.values("skill_id"))
                | Q(skills_validated__in=known.values("skill_id")),
            ),
        )
        .order_by("plan_position")
    )
    return [Readiness(c, c.validated, c.ready) for c in certifications]


# ---------------------------------------------------------------- rows of the plan page


@dataclass(frozen=True)
class PlanRow:
    """A plan item with its catalog item and the learner's status, as one line of the plan page."""

    item: PlanItem
    status: str

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def kind_label(self) -> str:
        return ItemKind(self.item.kind).label

    @property
    def slug(self) -> str:
        return str(self.item.item.slug)

    @property
    def name(self) -> str:
        return str(self.item.item)

    @property
    def dom_id(self) -> str:
        return f"item-{self.kind}-{self.slug}"

    @property
    def status_label(self) -> str:
        return Status(self.status).label
