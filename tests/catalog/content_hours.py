"""The planner's hour rule over a content file (pure: the JSON dict, no database), for the content tests.

The rule of issue 11, as roadmap.services.catalog_nodes and roadmap.planning.plan_order build plans:
  - a skill needs its prerequisites; a course or project the prerequisites of the skills it teaches
    or practises (not those skills); a certification its recommended and validated skills;
  - of each choice group only the chosen option's steps are scheduled (the default when none is
    chosen), and an unchosen option's items are never pulled in through prerequisites;
  - known skills (and everything they need) take no time;
  - a course in the plan replaces the hours of the skills it teaches;
  - required hours come from the required steps and their prerequisite closure; optional steps
    (and what only they pull in) are the "+N h".
The closures are roadmap.planning's own; the rest stays here until the planner has the choice and
course rules (issues 11 and 12 are built in parallel).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from roadmap.planning import Node, known_closure, prerequisite_closure

Key = tuple[str, str]  # (kind, slug)
KINDS = {
    "skill": "skills",
    "course": "courses",
    "certification": "certifications",
    "project": "project_ideas",
}


@dataclass(frozen=True)
class Hours:
    required: int
    optional: int
    items: frozenset[Key]  # everything the required plan schedules (known and covered included)


def catalog_graph(
    content: Mapping[str, Any],
) -> tuple[dict[Key, int], dict[Key, set[Key]], dict[str, set[str]]]:
    """Hours and needs of every item, and the skills each course teaches."""
    requires = {s["slug"]: set(s["prerequisites"]) for s in content["skills"]}
    hours: dict[Key, int] = {}
    needs: dict[Key, set[Key]] = {}
    teaches: dict[str, set[str]] = {}

    def taught_needs(taught: set[str]) -> set[Key]:
        return {("skill", s) for t in taught for s in requires.get(t, set())} - {("skill", t) for t in taught}

    for s in content["skills"]:
        hours["skill", s["slug"]] = s["estimated_hours"]
        needs["skill", s["slug"]] = {("skill", r) for r in s["prerequisites"]}
    for c in content["courses"]:
        hours["course", c["slug"]] = c["hours"]
        needs["course", c["slug"]] = taught_needs(set(c["skills"]))
        teaches[c["slug"]] = set(c["skills"])
    for p in content["project_ideas"]:
        hours["project", p["slug"]] = p["hours"]
        needs["project", p["slug"]] = taught_needs(set(p["skills"]))
    for c in content["certifications"]:
        hours["certification", c["slug"]] = c["hours"]
        needs["certification", c["slug"]] = {
            ("skill", s) for s in c["skills_recommended"] + c["skills_validated"]
        }
    return hours, needs, teaches


def track_steps(
    content: Mapping[str, Any], tracks: Iterable[str], chosen: Mapping[str, str] | None = None
) -> tuple[list[tuple[Key, bool]], set[Key]]:
    """The scheduled steps of `tracks` as (item, optional), and the items of unchosen options.

    `chosen` maps "<group>" to "<option>" (group slugs are unique across the shipped content)."""
    chosen = chosen or {}
    steps: list[tuple[Key, bool]] = []
    left_out: set[Key] = set()
    by_slug = {t["slug"]: t for t in content["tracks"]}
    for slug in tracks:
        for stage in by_slug[slug]["stages"]:
            picked = {}
            for group in stage.get("choices", []):
                default = next((o["slug"] for o in group["options"] if o["default"]), None)
                picked[group["slug"]] = chosen.get(group["slug"], default)
            for step in stage["steps"]:
                key = (step["kind"], step["ref"])
                option = step.get("option")
                if option is not None:
                    group, name = option.split("/")
                    if picked[group] != name:
                        left_out.add(key)
                        continue
                steps.append((key, step["optional"]))
    return steps, left_out - {key for key, _ in steps}


def closure(start: Iterable[Key], needs: Mapping[Key, set[Key]], stop: set[Key], skip: set[Key]) -> set[Key]:
    """`start` and everything it needs, by the planner's own closure: not following the needs of `stop`
    (known) items, and never entering `skip` (the planner does not see items missing from its nodes)."""
    nodes = {
        key: Node(slug=key[1], hours=0, needs=tuple(sorted(n))) for key, n in needs.items() if key not in skip
    }
    return prerequisite_closure([k for k in start if k in nodes], nodes, frozenset(stop))


def known_skills(known: Iterable[str], needs: Mapping[Key, set[Key]]) -> set[Key]:
    nodes = {key: Node(slug=key[1], hours=0, needs=tuple(sorted(n))) for key, n in needs.items()}
    return set(known_closure([("skill", s) for s in known], nodes))


def _cost(items: set[Key], hours: Mapping[Key, int], teaches: Mapping[str, set[str]], known: set[Key]) -> int:
    covered = {("skill", s) for kind, slug in items if kind == "course" for s in teaches[slug]}
    return sum(hours[k] for k in items if k not in known and k not in covered)


def plan_hours(
    content: Mapping[str, Any],
    tracks: Iterable[str],
    *,
    known: Iterable[str] = (),
    chosen: Mapping[str, str] | None = None,
) -> Hours:
    hours, needs, teaches = catalog_graph(content)
    steps, left_out = track_steps(content, tracks, chosen)
    known_keys = known_skills(known, needs)
    required = closure([k for k, optional in steps if not optional], needs, known_keys, left_out)
    everything = closure([k for k, _ in steps], needs, known_keys, left_out)
    required_hours = _cost(required, hours, teaches, known_keys)
    return Hours(
        required=required_hours,
        optional=_cost(everything, hours, teaches, known_keys) - required_hours,
        items=frozenset(required),
    )


def background_skills(content: Mapping[str, Any], slug: str) -> list[str]:
    return next(b["proposed_skills"] for b in content["backgrounds"] if b["slug"] == slug)


def longest_chain(items: Iterable[Key], needs: Mapping[Key, set[Key]]) -> list[Key]:
    """The longest run of items each needing the one before, among `items`."""
    items = set(items)
    best: dict[Key, list[Key]] = {}

    def chain(key: Key) -> list[Key]:
        if key not in best:
            longest = max((chain(n) for n in needs[key] if n in items), key=len, default=[])
            best[key] = [*longest, key]
        return best[key]

    return max((chain(k) for k in items), key=len, default=[])
