"""Writes of the roadmap: progress, notes, evidence and deliverables (progress.py); goals, choices, the
learner's own changes and plan building (plans.py). Callers import them from here."""

from roadmap.services.plans import (
    PlanBuild,
    PlanError,
    goals_save,
    hours_to_fit,
    pace_set,
    plan_choose,
    plan_focus,
    plan_rebuild,
    stage_hide,
    step_include,
    step_move,
    step_pin,
)
from roadmap.services.progress import (
    EVIDENCE_LIMIT,
    StepError,
    deliverable_set,
    evidence_add,
    evidence_remove,
    note_save,
    progress_get_or_create,
    status_changes,
    step_set_status,
)

__all__ = [
    "EVIDENCE_LIMIT",
    "PlanBuild",
    "PlanError",
    "StepError",
    "deliverable_set",
    "evidence_add",
    "evidence_remove",
    "goals_save",
    "hours_to_fit",
    "note_save",
    "pace_set",
    "plan_choose",
    "plan_focus",
    "plan_rebuild",
    "progress_get_or_create",
    "stage_hide",
    "status_changes",
    "step_include",
    "step_move",
    "step_pin",
    "step_set_status",
]
