"""Reads for the map: the skill of the plan each course, certification and project is attached to
(the skills a course teaches, a project practises, an exam validates), so the map draws them on
that skill's station instead of as stations of their own."""

from __future__ import annotations

from collections.abc import Sequence

from catalog.models import Certification, Course, ProjectIdea
from roadmap.selectors import Entry, next_up
from roadmap.visuals.maps import MapLayout, map_layout

SERVED = {
    "course": (Course.skills.through, "course_id"),
    "project": (ProjectIdea.skills.through, "projectidea_id"),
    "certification": (Certification.skills_validated.through, "certification_id"),
}


def map_attachments(entries: Sequence[Entry]) -> dict[int, int]:
    """Plan position of each course, certification and project -> the position of the skill it serves
    (the first such skill of its own stage, else the first in the plan). One query per kind the
    plan holds, whatever its size; an item serving no skill of the plan is left out (its own station)."""
    skills = {e.item_id: e for e in entries if e.kind == "skill"}
    attach: dict[int, int] = {}
    for kind, (through, column) in SERVED.items():
        items = {e.item_id: e for e in entries if e.kind == kind}
        if not items:
            continue
        served: dict[int, list[Entry]] = {}
        rows = through._default_manager.filter(**{f"{column}__in": list(items)}).values_list(
            column, "skill_id"
        )
        for item_id, skill_id in rows:
            if skill_id in skills:
                served.setdefault(item_id, []).append(skills[skill_id])
        for item_id, candidates in served.items():
            entry = items[item_id]
            best = min(candidates, key=lambda s: (s.stage_index != entry.stage_index, s.position))
            attach[entry.position] = best.position
    return attach


def plan_map(entries: list[Entry], *, stages: set[int] | None = None, focus: int | None = None) -> MapLayout:
    """The map of a plan's entries as every page draws it: courses, exams and projects on the station
    of the skill they serve, the next steps marked, and the stage of the first of them as the current one."""
    upcoming = next_up([e for e in entries if not e.closed])
    return map_layout(
        entries,
        attach=map_attachments(entries),
        stages=stages,
        focus=focus,
        next_up={e.position for e in upcoming},
        current_stage=upcoming[0].stage_index if upcoming else None,
    )
