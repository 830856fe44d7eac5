"""The plan the real planner builds from the shipped content (fixtures/content.json), as a new user
meets it on `make run`: hours in the band, one framework and one cloud, the target date respected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from catalog.models import Background, ChoiceOption, Track
from roadmap.models import PlanItem
from roadmap.planning import Lane
from roadmap.services import PlanBuild, goals_save, plan_choose, plan_focus
from tests.factories import UserFactory

CONTENT = Path(__file__).resolve().parents[2] / "fixtures" / "content.json"
SPECIALISATIONS = ["nlp-llms", "computer-vision", "mlops-deployment", "model-optimisation-edge"]


@pytest.fixture(scope="module")
def shipped(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The shipped content, imported once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_content", str(CONTENT), verbosity=0)
        yield
        transaction.set_rollback(True)


def build(
    background: str, *tracks: str, target: dt.date | None = None, hours: int = 10
) -> tuple[User, PlanBuild]:
    user = UserFactory()
    proposal = Background.objects.filter(slug=background).first()
    known = list(proposal.proposed_skills.all()) if proposal else []
    chosen = Track.objects.filter(slug__in=["ml-engineer", *tracks])
    build = goals_save(
        user=user,
        background=background,
        tracks=chosen,
        known_skills=known,
        hours_per_week=hours,
        target_date=target,
        time_zone="UTC",
    )
    return user, build


def scheduled_slugs(user: User) -> set[str]:
    items = PlanItem.objects.filter(plan__learner=user, lane=Lane.SCHEDULED).select_related(
        "skill", "course", "certification", "project"
    )
    return {item.item.slug for item in items}


@pytest.mark.django_db
def test_a_newcomers_core_plan_is_about_1000_hours(shipped: None) -> None:
    _, plan = build("other")
    assert 1000 <= plan.summary.remaining_hours <= 1100


@pytest.mark.django_db
def test_a_software_engineers_core_plan_is_about_850_hours(shipped: None) -> None:
    _, plan = build("software_engineer")
    assert 800 <= plan.summary.remaining_hours <= 900


@pytest.mark.django_db
@pytest.mark.parametrize("track", SPECIALISATIONS)
def test_a_specialisation_adds_150_to_250_hours(shipped: None, track: str) -> None:
    _, core = build("other")
    _, both = build("other", track)
    assert 150 <= both.summary.remaining_hours - core.summary.remaining_hours <= 250


@pytest.mark.django_db
def test_picking_pytorch_and_aws_schedules_no_other_framework_or_cloud(shipped: None) -> None:
    user, _ = build("software_engineer")
    for group, option in (("framework", "pytorch"), ("cloud", "aws")):
        plan_choose(learner=user, option=ChoiceOption.objects.get(group__slug=group, slug=option))
    slugs = scheduled_slugs(user)
    assert {"pytorch", "aws"} <= slugs
    assert not {"tensorflow", "keras", "azure", "azure-ml", "gcp", "vertex-ai"} & slugs
    everything = {
        i.item.slug
        for i in PlanItem.objects.filter(plan__learner=user).select_related(
            "skill", "course", "certification", "project"
        )
    }
    assert not {"tensorflow", "azure", "vertex-ai", "azure-ml", "gcp"} & everything


@pytest.mark.django_db
def test_a_software_engineer_with_a_12_month_target_is_told_what_fits(shipped: None) -> None:
    target = dt.date.today() + dt.timedelta(days=365)
    user, plan = build("software_engineer", target=target)
    summary = plan.summary
    assert summary.late  # 835 hours at 10 a week take 84 weeks
    assert summary.hours_to_fit is not None and 16 <= summary.hours_to_fit <= 18
    focused = plan_focus(learner=user, focused=True).summary
    assert not focused.late and focused.later.items > 0
    cut = PlanItem.objects.filter(plan__learner=user, lane=Lane.LATER)
    assert all("does not fit" in item.cut_reason for item in cut)
    assert not cut.filter(skill__tier="foundation").exists()
