"""Browser smoke test of the public catalog: home, a track, a skill, links and live filtering."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Cost
from tests.factories import (
    CourseFactory,
    ProjectIdeaFactory,
    SkillFactory,
    StageFactory,
    StepFactory,
    TrackFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browsable_track() -> dict[str, Any]:
    python = SkillFactory(name="Python", slug="python", estimated_hours=40)
    pytorch = SkillFactory(name="PyTorch", slug="pytorch", estimated_hours=60)
    pytorch.prerequisites.add(python)
    course = CourseFactory(title="Practical Deep Learning", cost=Cost.FREE)
    course.skills.add(pytorch)
    project = ProjectIdeaFactory(title="Image classifier")
    project.skills.add(pytorch)
    track = TrackFactory(name="ML Engineer", slug="ml-engineer", is_core=True)
    stage = StageFactory(track=track, order=1, title="Foundations")
    StepFactory(stage=stage, order=1, skill=python)
    StepFactory(stage=stage, order=2, skill=pytorch)
    StepFactory(
        stage=StageFactory(track=track, order=2, title="Portfolio"), order=1, skill=None, project=project
    )
    CourseFactory(title="Paid Bootcamp", cost=Cost.PAID)
    return {"track": track, "pytorch": pytorch}


def test_visitor_browses_from_home_to_a_track_a_skill_and_its_prerequisite(
    page: Page, live_server: Any, browsable_track: dict[str, Any]
) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Machine Learning Engineer")
    page.get_by_role("link", name="ML Engineer").click()

    expect(page).to_have_url(re.compile(r"/tracks/ml-engineer/$"))
    expect(page.get_by_role("heading", name="Stage 1 Foundations")).to_be_visible()
    expect(page.get_by_text("100 hours").first).to_be_visible()
    page.locator(".step-link", has_text="PyTorch").click()

    expect(page).to_have_url(re.compile(r"/skills/pytorch/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("PyTorch")
    expect(page.get_by_role("link", name="Practical Deep Learning")).to_be_visible()
    page.get_by_role("link", name="Python", exact=True).click()

    expect(page).to_have_url(re.compile(r"/skills/python/$"))
    expect(page.get_by_role("link", name="PyTorch")).to_be_visible()
    assert errors == []


def test_course_filters_update_results_in_place_and_the_address(
    page: Page, live_server: Any, browsable_track: dict[str, Any]
) -> None:
    page.goto(live_server.url + "/courses/")
    expect(page.locator("#result-count")).to_have_text("2 courses")

    page.get_by_label("Cost").select_option("free")

    expect(page.locator("#result-count")).to_have_text("1 course")
    expect(page.get_by_text("Paid Bootcamp")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"cost=free"))
    expect(page.get_by_label("Cost")).to_be_visible()  # the form itself was not replaced


def test_phone_layout_has_no_sideways_scroll(
    page: Page, live_server: Any, browsable_track: dict[str, Any]
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/tracks/ml-engineer/", "/skills/pytorch/", "/courses/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
