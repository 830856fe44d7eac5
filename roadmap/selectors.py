"""Reads for the plan page: items with the learner's statuses, progress bars, next up, readiness."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, CharField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.models import Profile, User, today_in
from catalog.models import ITEM_FIELDS, Category, Certification, ItemKind
from roadmap.models import Plan, PlanItem, Progress
from roadmap.planning import item_state

Status = Progress.Status
NEXT_UP = 5
# Open items read for next up: enough for NEXT_UP ready ones in any real plan, and a fixed cost.
OPEN_WINDOW = 60
CATEGORY_LABELS = dict(Category.choices)
KIND_LABELS = dict(ItemKind.choices)
STATUS_LABELS = dict(Status.choices)


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


# The plan's reads are plain SQL: the ORM took four times longer to build them (a status subquery
# per kind, twice) than the database took to run them. Each item's Progress row is found through
# its kind's unique (learner, item) index by a subquery, and its catalog item's columns by primary
# key: there is no join to plan, so planning stays cheap and the plan the same whatever the
# statistics say (joins chose quadratic plans on fresh tables and took 1-8 ms to plan).
# Table names come from the models; values always travel as parameters.
_CATALOG_TABLES = {
    kind: PlanItem._meta.get_field(kind).related_model._meta.db_table  # type: ignore[union-attr]
    for kind in ITEM_FIELDS
}
_NAME_COLUMNS = {"skill": "name", "course": "title", "certification": "name", "project": "title"}


def _progress_column(column: str) -> str:
    """The learner's Progress `column` for the plan item `i`, NULL without a row."""
    lookups = " ".join(
        f"WHEN i.{k}_id IS NOT NULL THEN (SELECT p.{column} FROM {Progress._meta.db_table} p"
        f" WHERE p.learner_id = %(learner)s AND p.{k}_id = i.{k}_id)"
        for k in ITEM_FIELDS
    )
    return f"CASE {lookups} END"


# `r`: the plan's items with the learner's status and progress id ({plan} picks the plan).
_WITH_ITEMS = (
    "WITH r AS (SELECT i.id, i.position, i.skill_id, i.course_id, i.certification_id, i.project_id,"
    " i.stage_index, i.stage_title, i.hours, i.week, i.optional, i.known, i.from_prerequisites, i.needs,"
    f" COALESCE({_progress_column('status')}, '{Status.NOT_STARTED}') AS status,"
    f" {_progress_column('id')} AS progress_id"
    f" FROM {PlanItem._meta.db_table} i WHERE i.plan_id = {{plan}}) "
)
_PLAN_BY_ID = "%(plan)s"
_PLAN_OF_LEARNER = f"(SELECT id FROM {Plan._meta.db_table} WHERE learner_id = %(learner)s)"


def _catalog_column(columns: dict[str, str]) -> str:
    """A column of the catalog item of the row `r`, by primary key (no join: nothing to plan)."""
    lookups = " ".join(
        f"WHEN r.{k}_id IS NOT NULL THEN (SELECT c.{columns[k]} FROM {_CATALOG_TABLES[k]} c WHERE c.id = r.{k}_id)"
        for k in ITEM_FIELDS
        if k in columns
    )
    return f"CASE {lookups} END"


_SKILL_CATEGORY = _catalog_column({"skill": "category"})
_ENTRY_COLUMNS = (
    "r.position, r.skill_id, r.course_id, r.certification_id, r.project_id,"
    f" {_catalog_column(dict.fromkeys(ITEM_FIELDS, 'slug'))}, {_catalog_column(_NAME_COLUMNS)},"
    f" r.stage_index, r.stage_title, {_SKILL_CATEGORY}, r.hours, r.week, r.optional, r.known,"
    " r.from_prerequisites, r.needs, r.status, r.progress_id"
)
_ENTRY_WIDTH = 18
# Conditions on a row of `r`.
OPEN = f"NOT r.known AND r.status NOT IN ('{Status.DONE}', '{Status.SKIPPED}')"
HIDE = {"done": f"NOT r.known AND r.status <> '{Status.DONE}'", "skipped": f"r.status <> '{Status.SKIPPED}'"}


def _needs(value: Any) -> tuple[int, ...]:
    """A plan item's `needs` as read by a cursor: JSON text (or a list, should a driver decode it)."""
    if isinstance(value, str):
        value = json.loads(value)
    return tuple(value or ())


def _entry(row: tuple) -> Entry:
    position, *ids = row[:5]
    kind, item_id = next((k, i) for k, i in zip(ITEM_FIELDS, ids, strict=True) if i is not None)
    slug, name, stage, title, category, hours, week, optional, known, prereq, needs, status, pid = row[5:]
    return Entry(
        position, kind, item_id, slug, name, stage, title, category, hours, week, bool(optional), bool(known),
        bool(prereq), _needs(needs), status, pid,
    )  # fmt: skip


def _fetch(sql: str, params: Mapping[str, Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _entry_rows(
    *,
    learner_id: int,
    plan_id: int | None = None,
    where: Collection[str] = (),
    stage: int | None = None,
    limit: int | None = None,
    extra: str = "",
    joins: str = "",
) -> list[tuple]:
    """Rows of a plan's items in plan order (the plan by id, else the learner's), with the learner's
    status, their catalog item's slug and name, and `extra` columns; only those meeting `where`
    (conditions on `r`, which may name %(stage)s)."""
    items = _WITH_ITEMS.format(plan=_PLAN_BY_ID if plan_id is not None else _PLAN_OF_LEARNER)
    sql = f"{items}SELECT {_ENTRY_COLUMNS}{extra} FROM r{joins}"
    if where:
        sql += " WHERE " + " AND ".join(f"({condition})" for condition in where)
    sql += " ORDER BY r.position" + (" LIMIT %(limit)s" if limit is not None else "")
    return _fetch(sql, {"learner": learner_id, "plan": plan_id, "stage": stage, "limit": limit})


def plan_entries(plan: Plan) -> list[Entry]:
    """Every item of the plan, lightly: one query whatever the plan's size."""
    return [_entry(row) for row in _entry_rows(learner_id=plan.learner_id, plan_id=plan.pk)]


def hide_conditions(hide: Collection[str]) -> list[str]:
    """Rows to keep: "done" hides done and known steps, "skipped" hides skipped ones."""
    return [HIDE[h] for h in HIDE if h in hide]


def is_hidden(entry: Entry, hide: Collection[str]) -> bool:
    return ("done" in hide and entry.complete) or ("skipped" in hide and entry.status == Status.SKIPPED)


def plan_stage_rows(*, plan: Plan, stage_index: int, hide: Collection[str] = ()) -> list[Entry]:
    """One stage's items with their status, in plan order, less the hidden ones."""
    where = ["r.stage_index = %(stage)s", *hide_conditions(hide)]
    rows = _entry_rows(learner_id=plan.learner_id, plan_id=plan.pk, where=where, stage=stage_index)
    return [_entry(row) for row in rows]


def progress_stamp(learner_id: int) -> tuple[Any, ...]:
    """Moves with any change of the learner's statuses: how many Progress rows, the last change, and
    a checksum of (row, status) that moves even when another server's clock is behind."""
    ranks = " ".join(f"WHEN '{status}' THEN {rank}" for rank, status in enumerate(Status.values))
    ((count, last, checksum),) = _fetch(
        f"SELECT COUNT(*), MAX(updated_at), SUM(id * CASE status {ranks} ELSE 0 END)"
        f" FROM {Progress._meta.db_table} WHERE learner_id = %(learner)s",
        {"learner": learner_id},
    )
    return count, last, checksum


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


def _date(value: Any) -> dt.date | None:
    """A date column read by a cursor (SQLite gives text)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def learner_entries(learner: User) -> tuple[list[Entry], Pace | None]:
    """The learner's whole plan and pace in one query (for a status change, which needs both)."""
    profile = Profile._meta.db_table
    rows = _entry_rows(
        learner_id=learner.pk,
        extra=", pr.hours_per_week, pr.target_date, pr.time_zone",
        joins=f" JOIN {profile} pr ON pr.user_id = %(learner)s",
    )
    if not rows:
        return [], None
    hours, target, zone = rows[0][_ENTRY_WIDTH:]
    return [_entry(row[:_ENTRY_WIDTH]) for row in rows], Pace(hours, _date(target), zone)


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

    Bars come from counts grouped by stage, category and state (one query); "next up" and the stage
    in progress from the first open items only. That is enough: the plan is in prerequisite order,
    so an open item's open prerequisites all come before it, among the open items read.
    """
    grouped = _fetch(
        _WITH_ITEMS.format(plan=_PLAN_BY_ID)
        + f"SELECT r.stage_index, r.stage_title, {_SKILL_CATEGORY} AS category, r.known, r.status,"
        " COUNT(*), SUM(r.hours) FROM r GROUP BY r.stage_index, r.stage_title, category, r.known, r.status"
        " ORDER BY r.stage_index",
        {"learner": plan.learner_id, "plan": plan.pk},
    )
    overall = Bar("Overall")
    stages: dict[int, StageBar] = {}
    categories: dict[str, Bar] = {}
    for index, title, category, known, status, count, hours in grouped:
        group = {"known": bool(known), "status": status, "count": count, "hours": hours or 0}
        overall.add_group(**group)
        stages.setdefault(index, StageBar(title, index=index)).add_group(**group)
        if category is not None:
            categories.setdefault(category, Bar(CATEGORY_LABELS.get(category, category))).add_group(**group)
    first_open = [
        _entry(row)
        for row in _entry_rows(learner_id=plan.learner_id, plan_id=plan.pk, where=[OPEN], limit=OPEN_WINDOW)
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
    validated = Certification.skills_validated.through._meta.db_table
    # Known as the plan has it: the ticked skills and what they need (planning.known_closure).
    ready = (
        f"EXISTS (SELECT 1 FROM {Progress._meta.db_table} d WHERE d.learner_id = %(learner)s"
        f" AND d.skill_id = v.skill_id AND d.status = '{Status.DONE}')"
        f" OR EXISTS (SELECT 1 FROM {PlanItem._meta.db_table} k WHERE k.plan_id = %(plan)s"
        " AND k.skill_id = v.skill_id AND k.known)"
    )
    rows = _fetch(
        f"SELECT c.id, c.name, c.slug, COUNT(v.skill_id), SUM(CASE WHEN {ready} THEN 1 ELSE 0 END)"
        f" FROM {PlanItem._meta.db_table} i JOIN {_CATALOG_TABLES['certification']} c ON c.id = i.certification_id"
        f" LEFT JOIN {validated} v ON v.certification_id = c.id"
        " WHERE i.plan_id = %(plan)s GROUP BY i.position, c.id, c.name, c.slug ORDER BY i.position",
        {"learner": plan.learner_id, "plan": plan.pk},
    )
    return [
        Readiness(Certification(id=pk, name=name, slug=slug), count, ready or 0)
        for pk, name, slug, count, ready in rows
    ]
