"""Plan building: prerequisite closure, known skills, ordering, weeks, retired exams, re-planning."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import example, given, settings
from hypothesis import strategies as st

from catalog.models import Certification
from roadmap.models import PlanItem, Progress, ProgressEvent
from roadmap.planning import (
    Choice,
    ItemKey,
    Lane,
    Node,
    PlannedItem,
    known_closure,
    plan_order,
    plan_totals,
    resolve_certification,
)
from roadmap.services import plan_rebuild, step_set_status
from tests.factories import (
    CertificationFactory,
    CourseFactory,
    SkillFactory,
    StageFactory,
    StepFactory,
    TrackFactory,
    UserFactory,
)
from tests.plans import Catalog, needs, onboard, plan_slugs

Status = Progress.Status


def items_by_slug(user: object) -> dict[str, PlanItem]:
    items = PlanItem.objects.filter(plan__learner=user).select_related(
        "skill", "course", "certification", "project"
    )
    return {item.item.slug: item for item in items}


# ---------------------------------------------------------------- what goes into a plan


def test_plan_holds_the_chosen_steps_and_the_prerequisites_they_need(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    items = items_by_slug(user)
    assert set(items) == {
        "python",
        "git",
        "linear-algebra",
        "numpy",
        "pytorch",
        "dl-pytorch",
        "image-classifier",
        "ml-dev-2",
    }
    assert items["linear-algebra"].from_prerequisites
    assert not items["numpy"].from_prerequisites


def test_a_specialisation_adds_its_steps_after_the_core_track(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.nlp, catalog.core)
    assert plan_slugs(user)[-1] == "transformers"


def test_a_step_in_two_chosen_tracks_appears_once(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core, catalog.nlp)
    assert plan_slugs(user).count("git") == 1


def test_known_skills_stay_in_the_plan_marked_known(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core, known=(catalog.python, catalog.git))
    items = items_by_slug(user)
    assert items["python"].known and items["git"].known
    assert not items["numpy"].known


def test_no_step_comes_before_what_it_needs(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core, catalog.nlp)
    order = plan_slugs(user)
    assert order.index("python") < order.index("numpy")
    assert order.index("linear-algebra") < order.index("numpy")
    assert order.index("numpy") < order.index("pytorch") < order.index("transformers")
    assert order.index("pytorch") < order.index("ml-dev-2")


def test_a_prerequisite_from_a_later_stage_moves_into_the_stage_that_needs_it(db: None) -> None:
    track = TrackFactory(is_core=True)
    early, late = (
        StageFactory(track=track, order=1, title="Early"),
        StageFactory(track=track, order=2, title="Late"),
    )
    basics, advanced = SkillFactory(slug="basics"), SkillFactory(slug="advanced")
    needs(advanced, basics)
    StepFactory(stage=early, order=1, skill=advanced)
    StepFactory(stage=late, order=1, skill=basics)
    user = UserFactory()
    onboard(user, track)
    items = items_by_slug(user)
    assert items["basics"].position < items["advanced"].position
    assert items["basics"].stage_title == "Early"


def test_an_optional_course_does_not_pull_a_later_stage_into_its_own(db: None) -> None:
    """A first stage's optional course teaching a skill that builds on the second stage's basics:
    the basics stay in the second stage, and the course waits there, after them."""
    track = TrackFactory(is_core=True)
    early, late = (
        StageFactory(track=track, order=1, title="Early"),
        StageFactory(track=track, order=2, title="Late"),
    )
    first, basics, advanced = (
        SkillFactory(slug="first"),
        SkillFactory(slug="basics"),
        SkillFactory(slug="advanced"),
    )
    needs(advanced, basics)
    course = CourseFactory(slug="deep-course")
    course.skills.add(advanced)
    StepFactory(stage=early, order=1, skill=first)
    StepFactory(stage=early, order=2, skill=None, course=course, optional=True)
    StepFactory(stage=late, order=1, skill=basics)
    user = UserFactory()
    onboard(user, track)
    items = items_by_slug(user)
    assert items["basics"].stage_title == "Late" and items["first"].stage_title == "Early"
    assert items["deep-course"].lane == Lane.OPTIONAL and items["deep-course"].stage_title == "Late"
    assert items["basics"].position < items["deep-course"].position


def test_the_same_profile_always_gives_the_same_plan(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core, catalog.nlp)
    first = plan_slugs(user)
    plan_rebuild(learner=user)
    assert plan_slugs(user) == first


def test_prerequisite_positions_are_recorded_for_next_up_and_the_map(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    items = items_by_slug(user)
    assert sorted(items["numpy"].needs) == sorted(
        [items["python"].position, items["linear-algebra"].position]
    )


# ---------------------------------------------------------------- retired certifications


def test_a_retired_certification_is_replaced_by_its_successor(catalog: Catalog) -> None:
    user = UserFactory()
    build = onboard(user, catalog.core)
    slugs = plan_slugs(user)
    assert "ml-dev-1" not in slugs and "ml-dev-2" in slugs
    assert build.notes == ["ML Developer 1 has been retired: your plan has ML Developer 2 instead."]


def test_a_retired_certification_without_successor_is_left_out_with_a_note(db: None) -> None:
    track = TrackFactory(is_core=True)
    stage = StageFactory(track=track)
    gone = CertificationFactory(
        name="Old exam", status=Certification.Status.RETIRED, retired_on=dt.date(2023, 6, 30)
    )
    StepFactory(stage=stage, order=1, skill=None, certification=gone)
    StepFactory(stage=stage, order=2)
    user = UserFactory()
    build = onboard(user, track)
    assert not PlanItem.objects.filter(plan__learner=user, certification=gone).exists()
    assert "Old exam has been retired and has no successor" in build.notes[0]


def test_successors_are_followed_through_several_retirements() -> None:
    assert resolve_certification(1, {1: 2, 2: 3, 3: None}, {1, 2}) == 3
    assert resolve_certification(1, {1: 2, 2: 1}, {1, 2}) is None
    assert resolve_certification(5, {}, set()) == 5


# ---------------------------------------------------------------- weeks and the projected finish


def test_weeks_follow_the_hours_per_week(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core, hours=10)
    items = items_by_slug(user)
    # python 20 h, git 5 h, linear algebra 30 h: NumPy starts after 55 hours, in week 6.
    assert [items[s].week for s in ("python", "git", "linear-algebra", "numpy")] == [1, 3, 3, 6]


def test_known_and_done_steps_take_no_time(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core, hours=10)
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.DONE)
    onboard(user, catalog.core, known=(catalog.python,), hours=10)
    assert items_by_slug(user)["numpy"].week == 4  # only linear algebra's 30 hours before it


def test_a_known_skill_takes_no_week_and_its_prerequisites_are_known_too(catalog: Catalog) -> None:
    user = UserFactory()
    build = onboard(user, catalog.core, known=(catalog.numpy,), hours=10)
    items = items_by_slug(user)
    # Knowing NumPy means knowing what it needs: the core track's Python step is known, and linear
    # algebra (in no track, only needed by NumPy) is not added at all. Git is still to learn.
    assert {slug for slug, item in items.items() if item.known} == {"numpy", "python"}
    assert "linear-algebra" not in items
    assert [items[s].week for s in ("python", "numpy")] == [0, 0]
    # Git's 5 hours, then the PyTorch course (25 h, PyTorch's hours included): PyTorch after 30 h.
    assert items["git"].week == 1 and items["dl-pytorch"].week == 1 and items["pytorch"].week == 4
    # 120 hours less Python 20, linear algebra 30 and NumPy 10: 60 hours at 10 a week.
    assert build.summary.remaining_hours == 60
    assert build.summary.projected_finish == build.plan.built_at.date() + dt.timedelta(weeks=6)


def test_knowing_a_deep_skill_marks_the_whole_chain_below_it_known(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core, catalog.nlp, known=(catalog.transformers,))
    items = items_by_slug(user)
    # Transformers needs PyTorch, which needs NumPy, which needs Python (linear algebra: in no track).
    assert {slug for slug, item in items.items() if item.known} == {
        "transformers",
        "pytorch",
        "numpy",
        "python",
    }
    assert not items["git"].known and not items["dl-pytorch"].known


def test_projected_finish_counts_the_open_hours(catalog: Catalog) -> None:
    user = UserFactory()
    build = onboard(user, catalog.core, hours=10)
    # Required only, each hour once: Python 20 + Git 5 + linear algebra 30 + NumPy 10 + the PyTorch
    # course 25 (PyTorch's own 40 hours are the course's) + the exam 30 = 120 hours at 10 a week;
    # the optional project's 20 hours wait beside the schedule.
    assert build.summary.remaining_hours == 120
    assert build.summary.projected_finish == build.plan.built_at.date() + dt.timedelta(weeks=12)
    assert (build.summary.optional.items, build.summary.optional.hours) == (1, 20)


# ---------------------------------------------------------------- re-planning loses nothing


def test_replanning_keeps_every_status_note_and_history_entry(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.IN_PROGRESS)
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.DONE)
    Progress.objects.filter(learner=user, skill=catalog.git).update(notes="Learnt branching.")
    onboard(user, catalog.nlp, hours=3)  # core dropped: git stays through NLP
    onboard(user, catalog.core, catalog.nlp, known=(catalog.python,), hours=12)
    git = Progress.objects.get(learner=user, skill=catalog.git)
    assert (git.status, git.notes) == (Status.DONE, "Learnt branching.")
    assert ProgressEvent.objects.filter(progress=git).count() == 2


def test_progress_on_a_step_dropped_from_the_plan_comes_back_with_it(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="course", item_id=catalog.course.pk, status=Status.DONE)
    onboard(user, catalog.nlp)
    assert not PlanItem.objects.filter(plan__learner=user, course=catalog.course).exists()
    onboard(user, catalog.core)
    assert Progress.objects.get(learner=user, course=catalog.course).status == Status.DONE


def test_every_plan_item_has_its_progress_row_after_building(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core, catalog.nlp)
    assert (
        Progress.objects.filter(learner=user).count() == PlanItem.objects.filter(plan__learner=user).count()
    )


# ---------------------------------------------------------------- properties over random acyclic graphs

KINDS = ("skill", "course", "project", "certification")


@st.composite
def random_plans(draw: st.DrawFn) -> tuple[list[Choice], dict[ItemKey, Node], frozenset[ItemKey], int]:
    """A random acyclic catalog (an item only needs items with a smaller number) and a random profile."""
    size = draw(st.integers(min_value=1, max_value=30))
    keys: list[ItemKey] = [(draw(st.sampled_from(KINDS)), i) for i in range(size)]
    nodes: dict[ItemKey, Node] = {}
    for i, key in enumerate(keys):
        needs_ = draw(st.sets(st.integers(min_value=0, max_value=i - 1), max_size=4)) if i else set()
        slug = draw(st.sampled_from(["a", "b", "c"])) + str(i)
        covers = ()
        if key[0] == "course" and i:
            covers = tuple(
                keys[n] for n in draw(st.sets(st.integers(0, i - 1), max_size=3)) if keys[n][0] == "skill"
            )
        nodes[key] = Node(
            slug=slug, hours=draw(st.integers(0, 30)), needs=tuple(keys[n] for n in needs_), covers=covers
        )
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=size))
    choices = [
        Choice(key, draw(st.integers(0, 4)), draw(st.integers(0, 10)), draw(st.booleans())) for key in chosen
    ]
    known = frozenset(draw(st.lists(st.sampled_from(keys), max_size=5)))
    return choices, nodes, known, draw(st.integers(1, 40))


def build(data: tuple[list[Choice], dict[ItemKey, Node], frozenset[ItemKey], int]) -> list[PlannedItem]:
    choices, nodes, known, hours = data
    return plan_order(choices, nodes, hours_per_week=hours, known=known)


@settings(max_examples=300, deadline=None)
@given(random_plans())
def test_property_no_step_comes_before_its_prerequisites(data: tuple) -> None:
    planned = build(data)
    position = {item.key: item.position for item in planned}
    nodes = data[1]
    for item in planned:
        for need in nodes[item.key].needs:
            if need in position:
                assert position[need] < item.position
        assert all(p < item.position for p in item.needs)


@settings(max_examples=300, deadline=None)
@given(random_plans(), st.randoms(use_true_random=False))
def test_property_the_same_input_always_gives_the_same_plan(data: tuple, rnd: random.Random) -> None:
    choices, nodes, known, hours = data
    shuffled_choices = rnd.sample(choices, len(choices))
    shuffled_nodes = dict(rnd.sample(list(nodes.items()), len(nodes)))
    assert build(data) == plan_order(shuffled_choices, shuffled_nodes, hours_per_week=hours, known=known)


@settings(max_examples=300, deadline=None)
@given(random_plans())
def test_property_every_chosen_step_appears_exactly_once(data: tuple) -> None:
    planned = build(data)
    keys = [item.key for item in planned]
    assert len(keys) == len(set(keys))
    assert {choice.key for choice in data[0]} <= set(keys)
    assert [item.position for item in planned] == list(range(1, len(planned) + 1))


@settings(max_examples=300, deadline=None)
@given(random_plans())
def test_property_the_plan_is_the_prerequisite_closure_in_stage_order(data: tuple) -> None:
    _, nodes, known, _ = data
    planned = build(data)
    keys = {item.key for item in planned}
    for item in planned:  # everything an unknown item needs is in the plan
        if item.key not in known_closure(known, nodes):
            assert set(nodes[item.key].needs) <= keys
    stages = [item.stage_index for item in planned]
    assert stages == sorted(stages)
    weeks = [item.week for item in planned if not item.known and item.lane == Lane.SCHEDULED]
    assert weeks == sorted(weeks)


@settings(max_examples=300, deadline=None)
@given(random_plans())
def test_property_what_a_known_skill_needs_is_known_and_known_items_take_no_week(data: tuple) -> None:
    choices, nodes, known, hours = data
    planned = build(data)
    known_keys = {item.key for item in planned if item.known}
    assert known_keys == {item.key for item in planned} & known_closure(known, nodes)
    for item in planned:
        if item.known:
            assert item.key[0] == "skill" and item.week == 0
            assert {n for n in nodes[item.key].needs if n[0] == "skill"} & {
                i.key for i in planned
            } <= known_keys
    # The weeks are those of a plan where known items last no time at all.
    no_time = {
        k: Node(n.slug, 0 if k in known_keys else n.hours, n.needs, n.covers) for k, n in nodes.items()
    }
    others = plan_order(choices, no_time, hours_per_week=hours, known=known)
    assert [i.week for i in planned if not i.known] == [i.week for i in others if not i.known]


def _before_in_plan(item: PlannedItem, by_position: dict[int, PlannedItem]) -> set[int]:
    """The positions the plan puts before `item` because it needs them, at any depth (the catalog's
    prerequisites and the edges that put covered skills after their courses)."""
    found: set[int] = set()
    stack = list(item.needs)
    while stack:
        position = stack.pop()
        if position not in found:
            found.add(position)
            stack.extend(by_position[position].needs)
    return found


# Found by this property on a CI run: course 18 needs skill 9 and covers skill 0; course 23 needs skill
# 0 and covers skills 0 and 9. Skill 0 follows course 18, so course 23 needs skill 9 first (through
# skill 0 and course 18): skill 9 comes before the course that covers it, its hours still counted once.
_TWO_COURSES = (
    [Choice(("course", 18), 0, 0, False), Choice(("course", 23), 0, 0, False)],
    {
        ("skill", 0): Node(slug="a0", hours=5),
        ("skill", 9): Node(slug="a9", hours=7),
        ("course", 18): Node(slug="a18", hours=20, needs=(("skill", 9),), covers=(("skill", 0),)),
        ("course", 23): Node(
            slug="a23", hours=30, needs=(("skill", 0),), covers=(("skill", 0), ("skill", 9))
        ),
    },
    frozenset(),
    1,
)


@settings(max_examples=300, deadline=None)
@given(random_plans())
@example(_TWO_COURSES)
def test_property_no_hour_is_counted_twice(data: tuple) -> None:
    _, nodes, _, _ = data
    planned = build(data)
    scheduled = [i for i in planned if i.lane == Lane.SCHEDULED and not i.known]
    assert sum(i.hours for i in scheduled) <= sum(nodes[i.key].hours for i in scheduled)
    by_position = {i.position: i for i in planned}
    for item in planned:
        if item.covered_by is not None:  # its hours are the course's, which is scheduled before it
            course = by_position[item.covered_by]
            assert item.hours == 0 and course.lane == Lane.SCHEDULED and item.key in nodes[course.key].covers
            # After its course, unless the plan needs it before the course (as the course's own
            # prerequisite, or through another course that covers what this course needs).
            assert course.position < item.position or item.position in _before_in_plan(course, by_position)
        else:
            assert item.hours == nodes[item.key].hours


@settings(max_examples=300, deadline=None)
@given(random_plans(), st.data())
def test_property_onboarding_preview_totals_are_the_built_plans(data: tuple, more: st.DataObject) -> None:
    """The live preview's figures (plan_totals, which skips ordering) are those of the plan it builds."""
    choices, nodes, known, hours = data
    closed = frozenset(more.draw(st.lists(st.sampled_from(sorted(nodes)), max_size=4)))
    planned = plan_order(choices, nodes, hours_per_week=hours, known=known, closed=closed)
    totals = plan_totals(choices, nodes, known=known, closed=closed)
    open_items = [item for item in planned if not item.known and item.key not in closed]
    assert totals.steps == len(planned)
    assert totals.required_hours == sum(i.hours for i in open_items if i.lane == Lane.SCHEDULED)
    assert totals.optional_hours == sum(i.hours for i in open_items if i.lane == Lane.OPTIONAL)
