"""Plan building as pure functions over plain data: closure, ordering and weeks (no database here)."""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# (kind, id): kind is one of roadmap.models.ITEM_FIELDS.
ItemKey = tuple[str, int]

# Within one stage and step, learn the skill, then take the course, build the project, sit the exam.
KIND_RANK = {"skill": 0, "course": 1, "project": 2, "certification": 3}
NOT_CHOSEN = (math.inf, math.inf)


@dataclass(frozen=True)
class Choice:
    """A step of a chosen track: the item it points at and where the track puts it."""

    key: ItemKey
    stage_index: int
    order: int
    optional: bool = False


@dataclass(frozen=True)
class Node:
    """A catalog item: a slug for a stable tie-break, its hours, and the items it needs first."""

    slug: str
    hours: int
    needs: tuple[ItemKey, ...] = ()


@dataclass(frozen=True)
class PlannedItem:
    key: ItemKey
    position: int
    stage_index: int
    week: int
    hours: int
    optional: bool
    known: bool
    from_prerequisites: bool
    needs: tuple[int, ...]  # positions of the plan items this one needs first


def item_state(*, status: str, known: bool) -> str:
    """What every view shows for a plan item: "known" for a skill the learner knows, else their status."""
    return "known" if known else status


def known_closure(known: Iterable[ItemKey], nodes: Mapping[ItemKey, Node]) -> frozenset[ItemKey]:
    """The skills the learner knows and every skill those need, transitively: whoever knows
    PyTorch knows NumPy, so is not sent back to it."""
    found: set[ItemKey] = set()
    stack = [key for key in known if key in nodes and key[0] == "skill"]
    while stack:
        key = stack.pop()
        if key in found:
            continue
        found.add(key)
        stack.extend(need for need in nodes[key].needs if need in nodes and need[0] == "skill")
    return frozenset(found)


def prerequisite_closure(
    chosen: Iterable[ItemKey], nodes: Mapping[ItemKey, Node], known: frozenset[ItemKey]
) -> set[ItemKey]:
    """The chosen items plus everything they need, transitively; a known item's needs are not followed."""
    found: set[ItemKey] = set()
    stack = [key for key in chosen if key in nodes]
    while stack:
        key = stack.pop()
        if key in found:
            continue
        found.add(key)
        if key not in known:
            stack.extend(need for need in nodes[key].needs if need in nodes and need not in found)
    return found


def _topological(keys: set[ItemKey], needs: Mapping[ItemKey, list[ItemKey]], rank: dict) -> list[ItemKey]:
    """Kahn's algorithm taking the smallest `rank` among the ready items; raises on a cycle."""
    waiting = {key: len(needs[key]) for key in keys}
    unlocks: dict[ItemKey, list[ItemKey]] = {key: [] for key in keys}
    for key in keys:
        for need in needs[key]:
            unlocks[need].append(key)
    heap = [(rank[key], key) for key, count in waiting.items() if count == 0]
    heapq.heapify(heap)
    ordered: list[ItemKey] = []
    while heap:
        _, key = heapq.heappop(heap)
        ordered.append(key)
        for other in unlocks[key]:
            waiting[other] -= 1
            if waiting[other] == 0:
                heapq.heappush(heap, (rank[other], other))
    if len(ordered) != len(keys):
        raise ValueError("The prerequisite graph has a cycle.")
    return ordered


def plan_order(
    choices: Iterable[Choice],
    nodes: Mapping[ItemKey, Node],
    *,
    hours_per_week: int,
    known: frozenset[ItemKey] = frozenset(),
    closed: frozenset[ItemKey] = frozenset(),
) -> list[PlannedItem]:
    """Order the chosen steps and their prerequisite closure, and lay them out in weeks.

    Stages come first: an item sits in the earliest stage that holds it or needs it (so a
    prerequisite from a later stage moves earlier), then by step order, then by kind and slug.
    No item comes before what it needs. `known` skills, and the skills they need (known_closure),
    take no time and no week (week 0); `closed` (done or skipped) items take no time.
    """
    if hours_per_week < 1:
        raise ValueError("hours_per_week must be at least 1.")
    known = known_closure(known, nodes)
    chosen: dict[ItemKey, Choice] = {}
    all_optional: dict[ItemKey, bool] = {}
    for choice in sorted(choices, key=lambda c: (c.stage_index, c.order, KIND_RANK[c.key[0]], c.key)):
        if choice.key not in nodes:
            continue
        chosen.setdefault(choice.key, choice)
        all_optional[choice.key] = all_optional.get(choice.key, True) and choice.optional
    keys = prerequisite_closure(chosen, nodes, known)
    needs = {key: sorted({n for n in nodes[key].needs if n in keys and n != key}) for key in keys}

    # The earliest (stage, order) of the item itself or of anything that needs it.
    own = {key: (chosen[key].stage_index, chosen[key].order) if key in chosen else NOT_CHOSEN for key in keys}
    any_order = _topological(keys, needs, {key: (0, key) for key in keys})
    place = dict(own)
    for key in reversed(any_order):  # every item after all the items that need it
        for need in needs[key]:
            place[need] = min(place[need], place[key])
    rank = {key: (place[key], KIND_RANK[key[0]], nodes[key].slug) for key in keys}
    ordered = _topological(keys, needs, rank)

    position_of = {key: i for i, key in enumerate(ordered, start=1)}
    planned: list[PlannedItem] = []
    hours_before = 0
    for key in ordered:
        node = nodes[key]
        is_known = key in known
        planned.append(
            PlannedItem(
                key=key,
                position=position_of[key],
                stage_index=int(place[key][0]),
                week=0 if is_known else hours_before // hours_per_week + 1,
                hours=node.hours,
                optional=all_optional.get(key, False),
                known=is_known,
                from_prerequisites=key not in chosen,
                needs=tuple(sorted(position_of[n] for n in needs[key])),
            )
        )
        if not is_known and key not in closed:
            hours_before += node.hours
    return planned


def weeks_needed(hours: int, hours_per_week: int) -> int:
    return math.ceil(hours / max(hours_per_week, 1)) if hours > 0 else 0


def finish_date(*, today: dt.date, hours_left: int, hours_per_week: int) -> dt.date:
    """The projected finish: the open hours at the learner's hours a week, from their today."""
    return today + dt.timedelta(weeks=weeks_needed(hours_left, hours_per_week))


def resolve_certification(
    certification_id: int, successor_of: Mapping[int, int | None], retired: set[int] | frozenset[int]
) -> int | None:
    """The active certification to recommend instead of `certification_id`, following successors."""
    seen: set[int] = set()
    current: int | None = certification_id
    while current is not None and current in retired:
        if current in seen:  # successors pointing in a circle: nothing active to send anyone to
            return None
        seen.add(current)
        current = successor_of.get(current)
    return current
