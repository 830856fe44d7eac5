"""The plan page's cached data and the certifications' readiness."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    OuterRef,
)

from accounts.models import User
from catalog.models import Certification
from roadmap.choices import GroupRow, StageRow, choice_groups, plan_stages
from roadmap.models import Plan, PlanItem, Progress
from roadmap.planning import Lane
from roadmap.selectors.entries import Entry, _plan_items, plan_entries
from roadmap.selectors.summary import Pace, PlanSummary, summarise

Status = Progress.Status


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


@dataclass(frozen=True)
class PlanShape:
    """The stages and choice groups of the learner's tracks, as the plan was built. They change with
    the learner's tracks, choices and hidden stages, each of which rebuilds the plan, and with
    catalog edits; never with a status: the plan page keeps them per build and catalog version."""

    stages: dict[int, StageRow]  # by index, hidden ones marked
    choice_groups: list[GroupRow]


def plan_shape(*, learner: User) -> PlanShape:
    """The learner's stages and choice groups: two queries."""
    return PlanShape({row.index: row for row in plan_stages(learner=learner)}, choice_groups(learner=learner))


def plan_page_data(*, plan: Plan, pace: Pace, shape: PlanShape | None = None) -> PlanPage:
    """The plan page's data in four queries: every entry (bars, next up, the stage in progress, the
    steps after the target), the readiness of certifications, and the plan's shape (its stages and
    choices: two queries, none when the caller has it)."""
    entries = plan_entries(plan)
    summary = summarise(entries, pace)
    rows = [entry for entry in entries if entry.stage_index == summary.current_stage]
    later = [entry for entry in entries if entry.lane == Lane.LATER]
    shape = shape or plan_shape(learner=plan.learner)
    return PlanPage(
        summary, certification_readiness(plan=plan), rows, later, shape.stages, shape.choice_groups
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
