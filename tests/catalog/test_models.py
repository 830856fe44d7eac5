"""Catalog invariants held by the database (constraints) and by model validation (no prerequisite cycles)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.graph import find_cycle_with_edge
from catalog.models import Certification, SkillPrerequisite, Step
from tests.factories import (
    CertificationFactory,
    CourseFactory,
    ProjectIdeaFactory,
    SkillFactory,
    StageFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db


def test_two_skills_cannot_share_a_slug() -> None:
    SkillFactory(slug="python")

    with pytest.raises(IntegrityError), transaction.atomic():
        SkillFactory(slug="python")


def test_two_courses_cannot_share_a_slug() -> None:
    CourseFactory(slug="fast-ai")

    with pytest.raises(IntegrityError), transaction.atomic():
        CourseFactory(slug="fast-ai")


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (SkillFactory, "estimated_hours"),
        (CourseFactory, "hours"),
        (CertificationFactory, "hours"),
        (ProjectIdeaFactory, "hours"),
    ],
)
def test_negative_hours_are_refused_by_the_database(factory: type, field: str) -> None:
    obj = factory()

    with pytest.raises(IntegrityError), transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).update(**{field: -1})


@pytest.mark.parametrize(
    "shares",
    [
        {"share_high": "100.01"},
        {"share_low": "-0.01"},
        {"entry_share_high": "101"},
        {"share_low": 20, "share_high": 10},
    ],
)
def test_a_share_outside_0_to_100_or_a_range_upside_down_is_refused(shares: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SkillFactory(**shares)


def test_a_share_of_exactly_100_is_accepted() -> None:
    skill = SkillFactory(share_low="100.00", share_high="100.00")

    skill.refresh_from_db()
    assert skill.share_label == "about 100%"


@pytest.mark.parametrize(
    ("shares", "label", "estimate"),
    [
        ({"share_high": 5}, "under 5%", 2.5),
        ({"share_low": 35, "share_high": 40}, "35-40%", 37.5),
        ({"share_low": 20, "share_high": 20}, "about 20%", 20.0),
        ({"share_low": 50}, "over 50%", 50.0),
        ({"entry_share_low": 15, "entry_share_high": 20}, "15-20% at entry level", 17.5),
        ({}, "", None),
    ],
)
def test_shares_read_as_the_seeds_give_them(
    shares: dict[str, Any], label: str, estimate: float | None
) -> None:
    skill = SkillFactory(**shares)

    skill.refresh_from_db()
    assert skill.share_label == label
    assert skill.share_estimate == estimate


def test_a_step_pointing_at_no_item_is_refused() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        StepFactory(skill=None)


def test_a_step_pointing_at_two_items_is_refused() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        StepFactory(course=CourseFactory())


def test_model_validation_names_the_step_rule() -> None:
    step = Step(stage=StageFactory(), order=1)

    with pytest.raises(ValidationError, match="exactly one of"):
        step.full_clean()


def test_two_steps_of_a_stage_cannot_share_an_order() -> None:
    stage = StageFactory()
    StepFactory(stage=stage, order=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        StepFactory(stage=stage, order=1)


def test_a_retired_certification_without_a_date_is_refused() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationFactory(status=Certification.Status.RETIRED, retired_on=None)


def test_an_active_certification_with_a_retirement_date_is_refused() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationFactory(status=Certification.Status.ACTIVE, retired_on=date(2024, 1, 1))


def test_a_certification_cannot_succeed_itself() -> None:
    cert = CertificationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Certification.objects.filter(pk=cert.pk).update(successor=cert)


def test_a_skill_cannot_require_itself() -> None:
    skill = SkillFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        SkillPrerequisite.objects.create(skill=skill, requires=skill)


def test_the_same_prerequisite_edge_cannot_be_stored_twice() -> None:
    numpy, python = SkillFactory(name="NumPy"), SkillFactory(name="Python")
    SkillPrerequisite.objects.create(skill=numpy, requires=python)

    with pytest.raises(IntegrityError), transaction.atomic():
        SkillPrerequisite.objects.create(skill=numpy, requires=python)


def test_model_validation_refuses_a_cycle_and_names_it() -> None:
    python, numpy = SkillFactory(name="Python"), SkillFactory(name="NumPy")
    SkillPrerequisite.objects.create(skill=numpy, requires=python)

    with pytest.raises(ValidationError) as caught:
        SkillPrerequisite(skill=python, requires=numpy).full_clean()

    assert caught.value.message_dict == {
        "requires": ["This prerequisite would create a cycle: Python → NumPy → Python."]
    }


def test_model_validation_finds_a_long_cycle() -> None:
    a, b, c = SkillFactory(name="Linear algebra"), SkillFactory(name="NumPy"), SkillFactory(name="PyTorch")
    SkillPrerequisite.objects.create(skill=b, requires=a)
    SkillPrerequisite.objects.create(skill=c, requires=b)

    with pytest.raises(ValidationError, match="Linear algebra → PyTorch → NumPy → Linear algebra"):
        SkillPrerequisite(skill=a, requires=c).full_clean()


def test_model_validation_accepts_a_diamond() -> None:
    a, b, c, d = (SkillFactory() for _ in range(4))
    for skill, requires in ((b, a), (c, a), (d, b)):
        SkillPrerequisite.objects.create(skill=skill, requires=requires)

    SkillPrerequisite(skill=d, requires=c).full_clean()


@pytest.mark.django_db(databases=[])
def test_the_graph_code_finds_the_cycle_a_new_edge_closes_without_the_database() -> None:
    # catalog.graph is pure: the model's validation passes the edges in (django_db with no
    # database: any query here would fail the test).
    edges = [(2, 1), (3, 2)]  # 2 needs 1, 3 needs 2

    assert find_cycle_with_edge(edges, 1, 3) == [1, 3, 2, 1]
    assert find_cycle_with_edge(edges, 3, 1) is None


def test_an_upside_down_share_range_names_its_field(db: None) -> None:
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from tests.factories import SkillFactory

    skill = SkillFactory.build(share_low=Decimal(10), share_high=Decimal(5))
    with pytest.raises(ValidationError) as refused:
        skill.full_clean()
    assert "share_high" in refused.value.message_dict
