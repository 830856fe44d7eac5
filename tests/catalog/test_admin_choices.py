"""Admin of choice groups, their options, a step's option, backgrounds and skill aliases."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from catalog.models import Background, ChoiceGroup, ChoiceOption, Skill, Step
from tests.catalog.admin_pages import admin_url, inline_rows
from tests.factories import SkillFactory, StageFactory, StepFactory

pytestmark = pytest.mark.django_db


def group_form(stage_id: int, options: list[dict[str, Any]]) -> dict[str, Any]:
    group = {"stage": stage_id, "slug": "cloud", "title": "Cloud", "description": "", "order": 0}
    return group | inline_rows("options", options)


def test_an_editor_adds_a_choice_group_with_its_options(staff_client: Client) -> None:
    stage = StageFactory()
    options = [
        {"order": 0, "slug": "aws", "title": "AWS", "is_default": "on"},
        {"order": 1, "slug": "azure", "title": "Azure"},
    ]

    response = staff_client.post(admin_url(ChoiceGroup, "add"), group_form(stage.pk, options))

    assert response.status_code == 302
    group = ChoiceGroup.objects.get(stage=stage)
    assert [(o.slug, o.is_default) for o in group.options.all()] == [("aws", True), ("azure", False)]


def test_two_default_options_are_refused_with_a_message_not_an_error(staff_client: Client) -> None:
    options = [
        {"order": 0, "slug": "aws", "title": "AWS", "is_default": "on"},
        {"order": 1, "slug": "azure", "title": "Azure", "is_default": "on"},
    ]

    response = staff_client.post(admin_url(ChoiceGroup, "add"), group_form(StageFactory().pk, options))

    assert response.status_code == 200
    assert "Only one option can be the default; ticked: AWS, Azure." in response.content.decode()
    assert not ChoiceGroup.objects.exists()


def step_form(step: Step, option: ChoiceOption) -> dict[str, Any]:
    return {
        "stage": step.stage_id,
        "order": step.order,
        "skill": step.skill_id,
        "note": "",
        "option": option.pk,
    }


def test_a_step_takes_an_option_of_its_own_stage(staff_client: Client) -> None:
    step = StepFactory()
    group = ChoiceGroup.objects.create(stage=step.stage, slug="framework", title="Framework")
    option = group.options.create(slug="pytorch", title="PyTorch", is_default=True)

    response = staff_client.post(admin_url(Step, "change", step.pk), step_form(step, option))

    assert response.status_code == 302
    step.refresh_from_db()
    assert step.option == option


def test_a_step_refuses_an_option_of_another_stage_naming_the_field(staff_client: Client) -> None:
    step = StepFactory()
    elsewhere = ChoiceGroup.objects.create(stage=StageFactory(), slug="cloud", title="Cloud")
    option = elsewhere.options.create(slug="aws", title="AWS")

    response = staff_client.post(admin_url(Step, "change", step.pk), step_form(step, option))

    assert response.status_code == 200
    assert "Choose an option of a choice group of this step&#x27;s stage." in response.content.decode()
    step.refresh_from_db()
    assert step.option is None


def test_a_background_proposes_skills_and_a_skill_keeps_its_aliases(staff_client: Client) -> None:
    python = SkillFactory(name="Python")
    data = {"slug": "software_engineer", "name": "Software engineer", "description": "", "order": 0}
    data["proposed_skills"] = [python.pk]

    assert staff_client.post(admin_url(Background, "add"), data).status_code == 302
    assert list(Background.objects.get().proposed_skills.all()) == [python]
    python.aliases.create(name="Python 3")
    html = staff_client.get(admin_url(Skill, "change", python.pk)).content.decode()
    assert "Python 3" in html
