"""A plan that fits: hours counted once, real choices, optional steps beside the schedule, hidden
stages, the target date respected by a focused plan, next up that makes sense, nothing lost."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Profile, User
from roadmap.models import PlanItem, Progress, ProgressEvent
from roadmap.planning import Lane
from roadmap.selectors import Pace, plan_overview
from roadmap.services import (
    PlanError,
    plan_choose,
    plan_focus,
    plan_rebuild,
    stage_hide,
    step_include,
    step_move,
    step_pin,
    step_set_status,
)
from tests.factories import UserFactory
from tests.plans import onboard
from tests.roadmap.fitting import REQUIRED_HOURS, FitCatalog, fit_catalog

Status = Progress.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def fit() -> FitCatalog:
    return fit_catalog()


def items(user: User) -> dict[str, PlanItem]:
    rows = PlanItem.objects.filter(plan__learner=user).select_related(
        "skill", "course", "certification", "project"
    )
    return {row.item.slug: row for row in rows}


def summary(user: User):
    return plan_overview(user.plan, Pace.of(Profile.objects.get(user=user)))


def learner(fit: FitCatalog, *, hours: int = 10, target: dt.date | None = None) -> User:
    user = UserFactory()
    onboard(user, fit.track, hours=hours, target=target)
    return user


# ---------------------------------------------------------------- hours that add up


def test_a_course_replaces_the_hours_of_the_skills_it_teaches(fit: FitCatalog) -> None:
    user = learner(fit)
    plan = items(user)
    course = plan["ml-course"]
    for slug in ("ml-basics", "evaluation"):
        assert plan[slug].hours == 0 and plan[slug].covered_by == course.position
        assert plan[slug].position > course.position  # take the course, then tick its skills off
    assert course.hours == 40
    assert summary(user).remaining_hours == REQUIRED_HOURS


def test_skipping_the_course_gives_its_skills_their_own_hours_back(fit: FitCatalog) -> None:
    user = learner(fit)
    step_set_status(learner=user, kind="course", item_id=fit.course.pk, status=Status.SKIPPED)
    plan = items(user)
    assert plan["ml-basics"].hours == 30 and plan["ml-basics"].covered_by is None
    assert summary(user).remaining_hours == REQUIRED_HOURS - 40 + 30 + 20


def test_optional_steps_wait_beside_the_schedule_until_included(fit: FitCatalog) -> None:
    user = learner(fit)
    rust = items(user)["rust"]
    assert rust.lane == Lane.OPTIONAL and rust.week == 0
    before = summary(user)
    assert (before.optional.items, before.optional.hours) == (1, 50)
    step_include(learner=user, item=rust, included=True)
    after = summary(user)
    assert after.remaining_hours == REQUIRED_HOURS + 50 and after.optional.items == 0
    assert items(user)["rust"].lane == Lane.SCHEDULED and items(user)["rust"].week > 0
    step_include(learner=user, item=items(user)["rust"], included=False)
    assert summary(user).remaining_hours == REQUIRED_HOURS


def test_including_a_step_that_is_required_already_is_refused(fit: FitCatalog) -> None:
    user = learner(fit)
    with pytest.raises(PlanError, match="in your plan already"):
        step_include(learner=user, item=items(user)["python"], included=True)


# ---------------------------------------------------------------- real choices


def test_only_the_default_option_of_each_choice_is_in_the_plan(fit: FitCatalog) -> None:
    user = learner(fit)
    slugs = set(items(user))
    assert {"pytorch", "aws", "aws-exam"} <= slugs
    assert not {"tensorflow", "gcp", "gcp-exam"} & slugs
    assert items(user)["pytorch"].source == "your choice of deep-learning framework: PyTorch"


def test_choosing_another_option_swaps_its_steps_and_keeps_the_progress_of_the_first(fit: FitCatalog) -> None:
    user = learner(fit)
    step_set_status(learner=user, kind="skill", item_id=fit.skills["pytorch"].pk, status=Status.DONE)
    Progress.objects.filter(learner=user, skill=fit.skills["pytorch"]).update(notes="My notes")
    plan_choose(learner=user, option=fit.tensorflow)
    assert "tensorflow" in items(user) and "pytorch" not in items(user)
    plan_choose(learner=user, option=fit.pytorch)
    pytorch = Progress.objects.get(learner=user, skill=fit.skills["pytorch"])
    assert (pytorch.status, pytorch.notes) == (Status.DONE, "My notes")
    assert ProgressEvent.objects.filter(progress=pytorch).count() == 1
    assert "tensorflow" not in items(user)


def test_a_prerequisite_never_pulls_an_unchosen_option_back_in(fit: FitCatalog) -> None:
    user = learner(fit)
    plan_choose(learner=user, option=fit.gcp)
    slugs = set(items(user))
    assert "mlops" in slugs and {"gcp", "gcp-exam"} <= slugs  # mlops needs aws, which stays out
    assert not {"aws", "aws-exam"} & slugs


# ---------------------------------------------------------------- make it mine


def test_a_hidden_stage_leaves_the_schedule_and_comes_back_with_its_progress(fit: FitCatalog) -> None:
    user = learner(fit)
    step_set_status(
        learner=user, kind="skill", item_id=fit.skills["communication"].pk, status=Status.IN_PROGRESS
    )
    stage_hide(learner=user, stage=fit.stages[3], hidden=True)
    assert items(user)["communication"].lane == Lane.HIDDEN
    assert summary(user).remaining_hours == REQUIRED_HOURS - 10
    assert summary(user).hidden.items == 1
    stage_hide(learner=user, stage=fit.stages[3], hidden=False)
    assert items(user)["communication"].lane == Lane.SCHEDULED
    assert Progress.objects.get(learner=user, skill=fit.skills["communication"]).status == Status.IN_PROGRESS


def test_hiding_a_stage_keeps_what_a_visible_step_needs_from_it(fit: FitCatalog) -> None:
    user = learner(fit)
    stage_hide(learner=user, stage=fit.stages[0], hidden=True)
    plan = items(user)
    assert plan["python"].lane == Lane.SCHEDULED  # ml-basics needs it
    assert plan["git"].lane == Lane.SCHEDULED  # mlops needs it


def test_a_step_moves_within_its_stage_but_not_before_what_it_needs(fit: FitCatalog) -> None:
    user = learner(fit)
    git, python = items(user)["git"], items(user)["python"]
    assert python.position < git.position
    step_move(learner=user, item=git, earlier=True)
    assert items(user)["git"].position < items(user)["python"].position
    plan_rebuild(learner=user)  # the move survives a rebuild
    assert items(user)["git"].position < items(user)["python"].position
    with pytest.raises(PlanError, match="Evaluation needs Ml basics first"):
        step_move(learner=user, item=items(user)["evaluation"], earlier=True)


# ---------------------------------------------------------------- the target date


def test_a_late_plan_says_which_hours_a_week_would_make_it(fit: FitCatalog) -> None:
    user = learner(fit, hours=5, target=dt.date.today() + dt.timedelta(weeks=10))
    plan_summary = summary(user)
    assert plan_summary.late
    assert plan_summary.hours_to_fit == -(-REQUIRED_HOURS // 10)  # 195 h in 10 weeks: 20 h a week


def test_a_focused_plan_fits_the_target_and_lists_the_rest_with_reasons(fit: FitCatalog) -> None:
    user = learner(fit, hours=10, target=dt.date.today() + dt.timedelta(weeks=10, days=3))
    plan_focus(learner=user, focused=True)
    plan = items(user)
    scheduled = [i for i in plan.values() if i.lane == Lane.SCHEDULED]
    assert sum(i.hours for i in scheduled) <= 100
    later = [i for i in plan.values() if i.lane == Lane.LATER]
    assert later and all("does not fit in the 100 h" in i.cut_reason for i in later)
    # Foundations first; the complementary step is the first to wait.
    assert plan["python"].lane == plan["git"].lane == Lane.SCHEDULED
    assert plan["communication"].lane == Lane.LATER
    assert summary(user).later.items == len(later)
    # Nothing deleted: the cut steps are still plan items with progress rows; undo schedules them.
    assert Progress.objects.filter(learner=user, skill=fit.skills["communication"]).exists()
    plan_focus(learner=user, focused=False)
    assert all(i.lane != Lane.LATER for i in items(user).values())


def test_a_pinned_step_stays_in_a_focused_plan(fit: FitCatalog) -> None:
    user = learner(fit, hours=10, target=dt.date.today() + dt.timedelta(weeks=10, days=3))
    plan_focus(learner=user, focused=True)
    step_pin(learner=user, item=items(user)["communication"], pinned=True)
    assert items(user)["communication"].lane == Lane.SCHEDULED


def test_focusing_needs_a_target_date(fit: FitCatalog) -> None:
    user = learner(fit)
    with pytest.raises(PlanError, match="target date"):
        plan_focus(learner=user, focused=True)


# ---------------------------------------------------------------- next up


def test_next_up_never_offers_an_optional_hidden_or_unchosen_step(fit: FitCatalog) -> None:
    user = learner(fit)
    for slug in ("python", "git"):
        step_set_status(learner=user, kind="skill", item_id=fit.skills[slug].pk, status=Status.DONE)
    stage_hide(learner=user, stage=fit.stages[3], hidden=True)
    names = [e.slug for e in summary(user).next_up]
    assert names[0] == "ml-course"  # the current stage first
    assert not {"rust", "tensorflow", "communication", "gcp"} & set(names)


def test_why_each_step_is_there(fit: FitCatalog) -> None:
    user = learner(fit)
    entries = {e.slug: e for e in summary(user).next_up}
    why = entries["python"].why
    assert "Foundation" in why and "ML Engineer track" in why and "build on it" in why


def test_why_gives_the_share_as_the_skill_page_does(fit: FitCatalog) -> None:
    from decimal import Decimal

    from roadmap.selectors import plan_entries

    skill = fit.skills["python"]
    skill.entry_share_low, skill.entry_share_high = Decimal(15), Decimal(20)
    skill.save()
    user = learner(fit)
    python = next(e for e in plan_entries(user.plan) if e.slug == "python")
    assert skill.share_label == "15-20% at entry level"
    assert "15-20% at entry level of job postings" in python.why
