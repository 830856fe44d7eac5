"""Wishes.front (a job focus): the named items and what they need come first, never before a prerequisite."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.planning import Choice, ItemKey, Lane, Node, Wishes, plan_order
from tests.roadmap.test_plan_build import random_plans


@st.composite
def plans_with_front(draw: st.DrawFn) -> tuple:
    choices, nodes, known, hours = draw(random_plans())
    front = tuple(draw(st.lists(st.sampled_from(sorted(nodes)), max_size=4, unique=True)))
    return choices, nodes, known, hours, front


def reach(key: ItemKey, needs: dict[ItemKey, tuple[ItemKey, ...]]) -> set[ItemKey]:
    found, stack = set(), [key]
    while stack:
        k = stack.pop()
        if k not in found:
            found.add(k)
            stack.extend(needs[k])
    return found


@settings(max_examples=300, deadline=None)
@given(plans_with_front())
def test_property_with_a_front_no_step_comes_before_its_prerequisites(data: tuple) -> None:
    choices, nodes, known, hours, front = data
    planned = plan_order(choices, nodes, hours_per_week=hours, known=known, wishes=Wishes(front=front))
    position = {item.key: item.position for item in planned}
    for item in planned:
        for need in nodes[item.key].needs:
            if need in position:
                assert position[need] < item.position
    stages = [item.stage_index for item in planned]
    assert stages == sorted(stages)


@settings(max_examples=300, deadline=None)
@given(plans_with_front())
def test_property_front_items_and_their_needs_come_before_the_rest_of_their_stage(data: tuple) -> None:
    choices, nodes, known, hours, front = data
    planned = plan_order(choices, nodes, hours_per_week=hours, known=known, wishes=Wishes(front=front))
    # What each item needs as the planner sees it (a course teaching a skill comes first, too).
    by_position = {item.position: item for item in planned}
    needs = {item.key: tuple(by_position[p].key for p in item.needs) for item in planned}
    pulled = set().union(*(reach(k, needs) for k in front if k in needs)) if front else set()
    for item in planned:
        if item.key in pulled:
            later = [o for o in planned if o.key not in pulled and o.stage_index >= item.stage_index]
            assert all(item.position < o.position for o in later)


def test_a_front_skill_from_the_last_stage_becomes_the_first_step_after_what_it_needs() -> None:
    a, b, c, d = ("skill", 1), ("skill", 2), ("skill", 3), ("skill", 4)
    nodes = {a: Node("a", 5), b: Node("b", 5), c: Node("c", 5, needs=(a,)), d: Node("d", 5)}
    choices = [Choice(a, 0, 0), Choice(b, 0, 1), Choice(d, 1, 0), Choice(c, 2, 0)]
    planned = plan_order(choices, nodes, hours_per_week=5, wishes=Wishes(front=(c,)))
    assert [item.key for item in planned] == [a, c, b, d]
    assert all(item.lane == Lane.SCHEDULED for item in planned)
    assert planned[1].week == 2 and planned[1].stage_index == 0
