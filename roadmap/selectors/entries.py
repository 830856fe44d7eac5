"""One line per plan item: the learner's status of each, the rows of a stage, the page's URLs."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    QuerySet,
)
from django.db.models.functions import Coalesce

from catalog.models import ITEM_FIELDS, ItemKind, Tier
from catalog.shares import share_label
from config.reversing import url
from roadmap.models import Plan, PlanItem, PlanItemQuerySet, Progress
from roadmap.planning import Lane, item_state

Status = Progress.Status
KIND_LABELS = dict(ItemKind.choices)
STATUS_LABELS = dict(Status.choices)
TIER_LABELS = dict(Tier.choices)


# ---------------------------------------------------------------- one line per plan item


def row_url_property(name: str) -> property:
    """A property of a row: row_url(name) with the row's kind and slug."""
    return property(lambda row: row_url(name, row.kind, row.slug))


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

    # The step's page and the changes made from its row of the plan.
    step_url = row_url_property("roadmap:step")
    status_url = row_url_property("roadmap:step_status")
    include_url = row_url_property("roadmap:step_include")
    pin_url = row_url_property("roadmap:step_pin")
    move_url = row_url_property("roadmap:step_move")


URL_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def row_url(name: str, kind: str, slug: str) -> str:
    """The URL `name` of a plan row's step, "" for a slug no URL can carry (as {% url ... as %})."""
    return url(name, kind, slug) if URL_SLUG.fullmatch(slug) else ""


def stage_url(index: int) -> str:
    return url("roadmap:plan_stage", index)


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
