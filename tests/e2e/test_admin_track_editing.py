"""Browser test: an editor changes a track's stage and steps on one admin page, under the strict CSP."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Stage, Step
from tests.factories import (
    PASSWORD,
    CourseFactory,
    SkillFactory,
    StaffUserFactory,
    StageFactory,
    StepFactory,
    TrackFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Reports every Content-Security-Policy violation (inline style or script, foreign source) as an error.
REPORT_CSP = (
    "document.addEventListener('securitypolicyviolation', e => "
    "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
)


def choose(page: Page, select_id: str, text: str) -> None:
    """Pick an item in an admin autocomplete (select2) box by typing part of its name."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_editor_changes_a_stage_and_its_steps_on_the_track_page(page: Page, live_server: Any) -> None:
    editor = StaffUserFactory()
    track = TrackFactory(name="ML Engineer")
    stage = StageFactory(track=track, order=1, title="Foundations")
    python = StepFactory(stage=stage, order=1, skill=SkillFactory(name="Python"))
    numpy = StepFactory(stage=stage, order=2, skill=SkillFactory(name="NumPy"))
    CourseFactory(title="Practical Deep Learning")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.add_init_script(REPORT_CSP)

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("E-mail address").fill(editor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + f"/admin/catalog/track/{track.pk}/change/")

    page.locator("#id_stages-0-title").fill("First steps")
    page.locator("#id_stages-0-steps-0-order").fill("2")  # swap the two steps
    page.locator("#id_stages-0-steps-1-order").fill("1")
    page.locator("#stages-0 a.djn-add-handler.djn-model-catalog-step").click()
    page.locator("#id_stages-0-steps-2-order").fill("3")
    choose(page, "id_stages-0-steps-2-course", "Practical")
    page.locator("#id_stages-0-steps-2-optional").check()
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    assert Stage.objects.get().title == "First steps"
    assert [(s.pk, s.optional) for s in Step.objects.order_by("order")][:2] == [
        (numpy.pk, False),
        (python.pk, False),
    ]
    added = Step.objects.get(order=3)
    assert (added.course.title, added.optional) == ("Practical Deep Learning", True)
    # The admin links no icon, so the browser's own /favicon.ico request is the one allowed 404.
    assert [url for url in failed if not url.endswith("/favicon.ico")] == []
    assert [e for e in errors if not e.startswith("Failed to load resource")] == []


def test_the_track_editor_fits_a_1280_px_window(page: Page, live_server: Any) -> None:
    editor = StaffUserFactory()
    track = TrackFactory(name="ML Engineer")
    stage = StageFactory(track=track, order=1, title="Foundations")
    StepFactory(
        stage=stage, order=1, skill=SkillFactory(name="Programming fundamentals"), note="Skip if known"
    )
    StepFactory(stage=stage, order=2, skill=None, course=CourseFactory(title="Practical Deep Learning"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("E-mail address").fill(editor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + f"/admin/catalog/track/{track.pk}/change/")
    expect(page.locator("#id_stages-0-steps-0-order")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    box = page.locator("#stages-0 table.djn-table").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280
