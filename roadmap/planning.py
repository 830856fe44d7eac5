"""Plan building as pure functions over plain data: closure, lanes, ordering and weeks (no database here)."""

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
# The focused plan keeps foundations first, future-proofing bets last (catalog.models.Tier's words).
TIER_RANK = {
    "foundation": 0,
    "essential": 1,
    "advanced": 2,
    "specialised": 3,
    "complementary": 4,
    "differentiator": 5,
    "future_proofing": 6,
}


class Lane:
    """Where a plan item stands: in the schedule, or beside it."""

    SCHEDULED = "scheduled"  # counts in the hours, the weeks and the projected finish
    OPTIONAL = "optional"  # an optional step (or what only optional steps need): "+N h" until included
    LATER = "later"  # cut by the focused plan: "after your target"
    HIDDEN = "hidden"  # in a stage the learner hid

    CHOICES = (
        (SCHEDULED, "In the plan"),
        (OPTIONAL, "Optional"),
        (LATER, "After your target"),
        (HIDDEN, "Hidden"),
    )


@dataclass(frozen=True)
class Choice:
    """A step of a chosen track: the item it points at, where the track puts it, and who put it there."""

    key: ItemKey
    stage_index: int
    order: float
    optional: bool = False
    source: str = ""


@dataclass(frozen=True)
class Node:
    """A catalog item: a slug for a stable tie-break, its hours, the items it needs first, the skills
    whose hours it includes (a course teaching them, an exam preparing them), and what the focused plan
    ranks it by: its tier and share of job postings."""

    slug: str
    hours: int
    needs: tuple[ItemKey, ...] = ()
    covers: tuple[ItemKey, ...] = ()
    tier: str = ""
    share: float | None = None
    share_label: str = ""  # as the seeds give it: "under 5%", "35-40%"


@dataclass(frozen=True)
class Wishes:
    """What the learner asked of the plan beyond tracks and known skills."""

    included: frozenset[ItemKey] = frozenset()  # optional steps to schedule
    excluded: frozenset[ItemKey] = frozenset()  # unchosen options: never in the plan, never pulled in
    hidden_stages: frozenset[int] = frozenset()
    pinned: frozenset[ItemKey] = frozenset()  # kept in a focused plan before anything else
    budget_hours: int | None = None  # a focused plan: the hours there are until the target date
    # Ranked first, in this order, with what each needs (a job ad's missing skills: jobs.focus).
    front: tuple[ItemKey, ...] = ()


@dataclass(frozen=True)
class PlannedItem:
    key: ItemKey
    position: int
    stage_index: int
    week: int
    hours: int  # the hours it adds to the schedule: 0 when a course in the plan covers it
    optional: bool
    known: bool
    from_prerequisites: bool
    needs: tuple[int, ...]  # positions of the plan items this one needs first
    lane: str = Lane.SCHEDULED
    covered_by: int | None = None  # position of the course or exam whose hours include this one's
    needed_by: tuple[int, ...] = ()  # positions of the plan items that need this one first
    unlocks: int = 0  # how many scheduled items need it, directly or not
    source: str = ""
    cut_reason: str = ""


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
    chosen: Iterable[ItemKey],
    nodes: Mapping[ItemKey, Node],
    known: frozenset[ItemKey],
    excluded: frozenset[ItemKey] = frozenset(),
) -> set[ItemKey]:
    """The chosen items plus everything they need, transitively; a known item's needs are not followed
    and an excluded item (an option the learner did not choose) is never pulled in."""
    found: set[ItemKey] = set()
    stack = [key for key in chosen if key in nodes and key not in excluded]
    while stack:
        key = stack.pop()
        if key in found:
            continue
        found.add(key)
        if key not in known:
            stack.extend(n for n in nodes[key].needs if n in nodes and n not in found and n not in excluded)
    return found


def _reach(start: Iterable[ItemKey], edges: Mapping[ItemKey, Iterable[ItemKey]]) -> set[ItemKey]:
    found: set[ItemKey] = set()
    stack = list(start)
    while stack:
        key = stack.pop()
        if key not in found:
            found.add(key)
            stack.extend(edges.get(key, ()))
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


def _any_topological(keys: set[ItemKey], needs: Mapping[ItemKey, list[ItemKey]]) -> list[ItemKey]:
    """Some order with every item after what it needs, for the passes whose result does not depend on
    which one (Kahn's algorithm with a plain stack, no heap); raises on a cycle."""
    waiting = {key: len(needs[key]) for key in keys}
    unlocks: dict[ItemKey, list[ItemKey]] = {key: [] for key in keys}
    for key in keys:
        for need in needs[key]:
            unlocks[need].append(key)
    ready = [key for key, count in waiting.items() if count == 0]
    ordered: list[ItemKey] = []
    while ready:
        key = ready.pop()
        ordered.append(key)
        for other in unlocks[key]:
            waiting[other] -= 1
            if waiting[other] == 0:
                ready.append(other)
    if len(ordered) != len(keys):
        raise ValueError("The prerequisite graph has a cycle.")
    return ordered


def share_words(node: Node) -> str:
    return f"{node.share_label} of job postings" if node.share_label else "no job-posting figure"


@dataclass
class _Build:
    """The working state of one plan_order call."""

    nodes: Mapping[ItemKey, Node]
    chosen: dict[ItemKey, Choice]
    keys: set[ItemKey]
    needs: dict[ItemKey, list[ItemKey]]
    known: frozenset[ItemKey]
    lane: dict[ItemKey, str]

    def lanes(self, all_optional: Mapping[ItemKey, bool], wishes: Wishes) -> None:
        """Scheduled: what the required steps (and included optional ones) need, outside hidden stages;
        hidden: the steps of hidden stages and what only they need; optional: the rest."""
        hidden = wishes.hidden_stages
        roots = [
            key
            for key, choice in self.chosen.items()
            if (not all_optional[key] or key in wishes.included) and choice.stage_index not in hidden
        ]
        required = _reach(roots, self.needs)
        needers: dict[ItemKey, list[ItemKey]] = {key: [] for key in self.keys}
        for key in self.keys:
            for need in self.needs[key]:
                needers[need].append(key)
        for key in reversed(_any_topological(self.keys, self.needs)):
            if key in required:
                self.lane[key] = Lane.SCHEDULED
            elif key in self.chosen:
                self.lane[key] = Lane.HIDDEN if self.chosen[key].stage_index in hidden else Lane.OPTIONAL
            else:  # pulled in only by unscheduled items: hidden when all of those are
                visible = any(self.lane[n] != Lane.HIDDEN for n in needers[key])
                self.lane[key] = Lane.OPTIONAL if visible else Lane.HIDDEN

    def coverage(self, skipped: frozenset[ItemKey]) -> dict[ItemKey, ItemKey]:
        """Which scheduled course includes each scheduled skill's hours (the first one by slug); the
        skill then comes after it, unless that would put it before something the course needs first."""
        covered: dict[ItemKey, ItemKey] = {}
        teachers = sorted(
            (key for key in self.keys if self.nodes[key].covers and self.lane[key] == Lane.SCHEDULED),
            key=lambda k: (KIND_RANK[k[0]], self.nodes[k].slug),
        )
        for teacher in teachers:
            if teacher in skipped or teacher in self.known:
                continue
            for skill in self.nodes[teacher].covers:
                fresh = skill in self.keys and skill not in covered and skill not in self.known
                if fresh and self.lane[skill] == Lane.SCHEDULED:
                    covered[skill] = teacher
        original = {key: list(needs) for key, needs in self.needs.items()}
        for skill, teacher in covered.items():
            self.needs[skill] = sorted({*self.needs[skill], teacher})
        try:  # one check for all the new edges; a cycle (rare) takes the careful way
            _any_topological(self.keys, self.needs)
        except ValueError:
            self.needs.update(original)  # in place: the caller holds this dict
            taught: dict[ItemKey, list[ItemKey]] = {}
            for skill, teacher in covered.items():
                taught.setdefault(teacher, []).append(skill)
            for teacher, skills in taught.items():
                before = _reach([teacher], self.needs)  # what the course needs first, at any depth
                for skill in skills:
                    if skill not in before:
                        self.needs[skill] = sorted({*self.needs[skill], teacher})
        return covered

    def places(self, wishes: Wishes) -> dict[ItemKey, tuple[float, float]]:
        """The earliest (stage, order) of the item itself or of anything that needs it; hidden items
        pull nothing into their stage, and a scheduled item's own place in a hidden stage does not count.

        Nor does an optional step the learner has not included pull what the schedule holds: a stage's
        optional course would otherwise carry the later stages' skills it builds on into its own stage
        (the core track's "Python for data" held the maths, through its optional bootcamp). Such a step
        waits instead in the stage of the last thing it needs."""
        place: dict[ItemKey, tuple[float, float]] = {}
        for key in self.keys:
            choice = self.chosen.get(key)
            own = (choice.stage_index, choice.order) if choice else NOT_CHOSEN
            if choice and self.lane[key] != Lane.HIDDEN and choice.stage_index in wishes.hidden_stages:
                own = NOT_CHOSEN
            place[key] = own
        order = _any_topological(self.keys, self.needs)
        for key in reversed(order):
            for need in self.needs[key]:
                if self.lane[key] in (Lane.HIDDEN, Lane.OPTIONAL) and self.lane[need] != self.lane[key]:
                    continue
                place[need] = min(place[need], place[key])
        for key in order:
            if self.lane[key] == Lane.OPTIONAL:
                last = max(
                    (place[need] for need in self.needs[key] if place[need] != NOT_CHOSEN), default=None
                )
                if last is not None and last[0] > place[key][0]:
                    place[key] = (last[0], place[key][1])
        return place

    def bring_forward(self, place: dict[ItemKey, tuple[float, float]], front: tuple[ItemKey, ...]) -> None:
        """Put the front items, each after what it needs, at the head of the earliest scheduled stage
        (where "next up" looks first); the topological order still keeps every prerequisite before."""
        stages = [place[k][0] for k in self.keys if self.lane[k] == Lane.SCHEDULED and place[k] != NOT_CHOSEN]
        first = min(stages, default=0)
        for rank, key in enumerate(front):
            if key not in self.keys:
                continue
            for need in _reach([key], self.needs):
                ahead = (min(place[need][0], first), float(rank - len(front)) - 1e9)
                place[need] = min(place[need], ahead)

    def unlocks(self, ordered: list[ItemKey]) -> dict[ItemKey, int]:
        """How many scheduled items need each item, directly or through others (sets as bitmasks: a
        thousand-step plan costs milliseconds, not a million set operations)."""
        bit = {key: 1 << i for i, key in enumerate(ordered)}
        below: dict[ItemKey, int] = dict.fromkeys(self.keys, 0)
        for key in reversed(ordered):
            mine = below[key] | (bit[key] if self.lane[key] == Lane.SCHEDULED else 0)
            for need in self.needs[key]:
                below[need] |= mine
        return {key: found.bit_count() for key, found in below.items()}

    def focus(
        self,
        ordered: list[ItemKey],
        hours: Mapping[ItemKey, int],
        closed: frozenset[ItemKey],
        unlocks: Mapping[ItemKey, int],
        wishes: Wishes,
    ) -> dict[ItemKey, str]:
        """Cut the schedule to the budget: pinned steps first, then by tier, share of job postings and
        what a step unlocks, each with what it needs. Returns the cut items with the reason for each."""
        budget = wishes.budget_hours or 0
        open_keys = [
            k for k in ordered if self.lane[k] == Lane.SCHEDULED and k not in self.known and k not in closed
        ]
        open_set = set(open_keys)
        position = {k: i for i, k in enumerate(ordered)}

        def score(key: ItemKey) -> tuple:
            node = self.nodes[key]
            share = -(node.share or 0.0)
            return (
                key not in wishes.pinned,
                TIER_RANK.get(node.tier, 7),
                share,
                -unlocks[key],
                position[key],
            )

        selected: set[ItemKey] = set()
        spent = 0
        for key in sorted(open_keys, key=score):
            if key in selected:
                continue
            wanted = {k for k in _reach([key], self.needs) if k in open_set and k not in selected}
            cost = sum(hours[k] for k in wanted)
            if spent + cost <= budget:
                selected |= wanted
                spent += cost
        cut: dict[ItemKey, str] = {}
        for key in open_keys:
            if key not in selected:
                node = self.nodes[key]
                tier = node.tier.replace("_", "-") or "unranked"
                cut[key] = (
                    f"{tier.capitalize()} step, {share_words(node)}, "
                    f"unlocks {unlocks[key]} later step{'s' * (unlocks[key] != 1)}: "
                    f"it does not fit in the {budget} h before your target date"
                )
        return cut


def _lanes(
    choices: Iterable[Choice],
    nodes: Mapping[ItemKey, Node],
    known: frozenset[ItemKey],
    skipped: frozenset[ItemKey],
    wishes: Wishes,
) -> tuple[_Build, dict[ItemKey, bool], dict[ItemKey, ItemKey]]:
    """The first half of plan_order: the steps (chosen ones and what they need), each one's lane, and
    the skills whose hours a scheduled course includes."""
    known = known_closure(known, nodes)
    chosen: dict[ItemKey, Choice] = {}
    all_optional: dict[ItemKey, bool] = {}
    for choice in sorted(choices, key=lambda c: (c.stage_index, c.order, KIND_RANK[c.key[0]], c.key)):
        if choice.key not in nodes or choice.key in wishes.excluded:
            continue
        chosen.setdefault(choice.key, choice)
        all_optional[choice.key] = all_optional.get(choice.key, True) and choice.optional
    keys = prerequisite_closure(chosen, nodes, known, wishes.excluded)
    needs = {key: sorted({n for n in nodes[key].needs if n in keys and n != key}) for key in keys}
    build = _Build(nodes, chosen, keys, needs, known, {})
    build.lanes(all_optional, wishes)
    return build, all_optional, build.coverage(skipped)


@dataclass(frozen=True)
class PlanTotals:
    steps: int
    required_hours: int  # open scheduled steps
    optional_hours: int  # open optional steps


def plan_totals(
    choices: Iterable[Choice],
    nodes: Mapping[ItemKey, Node],
    *,
    known: frozenset[ItemKey] = frozenset(),
    closed: frozenset[ItemKey] = frozenset(),
    wishes: Wishes | None = None,
) -> PlanTotals:
    """The size and hours plan_order's plan would have (no focus budget), without ordering it or
    laying it out in weeks: onboarding's live preview, answered as the learner types."""
    build, _, covered = _lanes(choices, nodes, known, frozenset(), wishes or Wishes())
    open_keys = [key for key in build.keys if key not in build.known and key not in closed]
    hours = {key: 0 if key in covered else nodes[key].hours for key in open_keys}
    return PlanTotals(
        steps=len(build.keys),
        required_hours=sum(hours[k] for k in open_keys if build.lane[k] == Lane.SCHEDULED),
        optional_hours=sum(hours[k] for k in open_keys if build.lane[k] == Lane.OPTIONAL),
    )


def plan_order(
    choices: Iterable[Choice],
    nodes: Mapping[ItemKey, Node],
    *,
    hours_per_week: int,
    known: frozenset[ItemKey] = frozenset(),
    closed: frozenset[ItemKey] = frozenset(),
    skipped: frozenset[ItemKey] = frozenset(),
    wishes: Wishes | None = None,
) -> list[PlannedItem]:
    """Order the chosen steps and their prerequisite closure, and lay the scheduled ones out in weeks.

    Stages come first: an item sits in the earliest stage that holds it or needs it (so a
    prerequisite from a later stage moves earlier), then by step order, then by kind and slug.
    No item comes before what it needs. `known` skills, and the skills they need (known_closure),
    take no time and no week (week 0); `closed` (done or skipped) items take no time. Only the
    scheduled lane takes weeks; a skill a scheduled course covers adds no hours of its own (the
    course's hours include them) unless the learner skipped that course.
    """
    if hours_per_week < 1:
        raise ValueError("hours_per_week must be at least 1.")
    wishes = wishes or Wishes()
    build, all_optional, covered = _lanes(choices, nodes, known, skipped, wishes)
    chosen, keys, needs, known = build.chosen, build.keys, build.needs, build.known
    place = build.places(wishes)
    if wishes.front:
        build.bring_forward(place, wishes.front)
    rank = {key: (place[key], KIND_RANK[key[0]], nodes[key].slug) for key in keys}
    ordered = _topological(keys, needs, rank)
    hours = {key: 0 if key in covered else nodes[key].hours for key in keys}
    unlocks = build.unlocks(ordered)
    cut = build.focus(ordered, hours, closed, unlocks, wishes) if wishes.budget_hours is not None else {}

    position_of = {key: i for i, key in enumerate(ordered, start=1)}
    needed_by: dict[ItemKey, list[int]] = {key: [] for key in keys}
    for key in ordered:
        for need in needs[key]:
            needed_by[need].append(position_of[key])
    planned: list[PlannedItem] = []
    hours_before = 0
    for key in ordered:
        is_known = key in known
        lane = Lane.LATER if key in cut else build.lane[key]
        in_schedule = lane == Lane.SCHEDULED and not is_known
        step = chosen.get(key)
        planned.append(
            PlannedItem(
                key=key,
                position=position_of[key],
                stage_index=int(place[key][0]),
                week=hours_before // hours_per_week + 1 if in_schedule else 0,
                hours=hours[key],
                optional=lane == Lane.OPTIONAL or (step is not None and all_optional[key]),
                known=is_known,
                from_prerequisites=step is None,
                needs=tuple(sorted(position_of[n] for n in needs[key])),
                lane=lane,
                covered_by=position_of[covered[key]] if key in covered else None,
                needed_by=tuple(needed_by[key]),
                unlocks=unlocks[key],
                source=step.source if step else "",
                cut_reason=cut.get(key, ""),
            )
        )
        if in_schedule and key not in closed:
            hours_before += hours[key]
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
