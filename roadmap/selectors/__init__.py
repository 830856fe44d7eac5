"""Reads for the plan page: items with the learner's statuses, progress bars, next up, readiness."""

from roadmap.selectors.entries import (
    Entry,
    is_hidden,
    plan_entries,
    plan_stage_rows,
    row_url,
    shown,
    stage_url,
)
from roadmap.selectors.page import (
    PlanPage,
    PlanShape,
    Readiness,
    certification_readiness,
    plan_page_data,
    plan_shape,
)
from roadmap.selectors.summary import (
    Bar,
    Pace,
    PlanHead,
    PlanSummary,
    StageBar,
    learner_entries,
    next_up,
    plan_head,
    plan_overview,
    plan_summary,
    summarise,
)

__all__ = [
    "Bar",
    "Entry",
    "Pace",
    "PlanHead",
    "PlanPage",
    "PlanShape",
    "PlanSummary",
    "Readiness",
    "StageBar",
    "certification_readiness",
    "is_hidden",
    "learner_entries",
    "next_up",
    "plan_entries",
    "plan_head",
    "plan_overview",
    "plan_page_data",
    "plan_shape",
    "plan_stage_rows",
    "plan_summary",
    "row_url",
    "shown",
    "stage_url",
    "summarise",
]
