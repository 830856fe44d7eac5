"""Browser tests of a learner's map and step page: keyboard to a step, tick deliverables, notes, evidence."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from catalog.models import Deliverable
from roadmap.models import DeliverableCheck, Progress
from tests.factories import PASSWORD, UserFactory
from tests.plans import Catalog, onboard

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def learner(catalog: Catalog) -> tuple[User, Catalog]:
    for order, text in enumerate(["A trained model", "A README with results"]):
        Deliverable.objects.create(project=catalog.project, order=order, text=text)
    user = UserFactory(email="ada@example.com")
    onboard(user, catalog.core)
    return user, catalog


def log_in(page: Page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name=re.compile("Log in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/plan/"))


def test_a_learner_reaches_a_step_from_the_map_with_the_keyboard(
    page: Page, live_server: Any, learner: tuple[User, Catalog]
) -> None:
    log_in(page, live_server.url)
    page.get_by_role("link", name="Map", exact=True).click()
    # Skills are stations; the course, exam and project ride on the skills they serve: 8 steps in all.
    expect(page.locator("a.map-node, a.map-attach")).to_have_count(8)
    page.get_by_role("link", name="Skip the map and read it as a list").focus()
    page.keyboard.press("Tab")  # the scrollable map region
    page.keyboard.press("Tab")  # the first node
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert ": Not started" in focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/plan/skill/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(focused.split(",")[0])


def test_deliverables_notes_and_evidence_update_without_a_reload(
    page: Page, live_server: Any, learner: tuple[User, Catalog]
) -> None:
    user, _ = learner
    log_in(page, live_server.url)
    page.goto(live_server.url + "/plan/project/image-classifier/")
    page.evaluate("window.notReloaded = true")

    page.get_by_role("button", name="A trained model").click()
    expect(page.locator("#deliverables-count")).to_contain_text("1 of 2 done")
    expect(page.get_by_role("button", name="A trained model")).to_have_attribute("aria-pressed", "true")

    page.get_by_label("Your notes").fill("Reached **92%** accuracy. <script>window.hacked = 1</script>")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#notes-preview strong")).to_have_text("92%")
    page.get_by_role("button", name="Save notes").click()
    expect(page.locator("#notes .inline-notice")).to_have_text("Notes saved.")

    page.get_by_label("Link").fill("javascript:alert(1)")
    page.get_by_role("button", name="Add link").click()
    expect(page.get_by_role("alert")).to_contain_text("http:// or https://")
    page.get_by_label("Link").fill("https://github.com/ada/classifier")
    page.get_by_role("button", name="Add link").click()
    expect(page.get_by_role("link", name="https://github.com/ada/classifier")).to_be_visible()

    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("window.hacked") is None
    project = Progress.objects.get(learner=user, project__slug="image-classifier")
    assert project.notes.startswith("Reached **92%**")
    assert project.evidence.count() == 1
    assert DeliverableCheck.objects.filter(progress=project).count() == 1


def test_without_javascript_a_deliverable_and_notes_are_saved_by_plain_forms(
    browser: Browser, live_server: Any, learner: tuple[User, Catalog]
) -> None:
    user, _ = learner
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url)
    page.goto(live_server.url + "/plan/project/image-classifier/")
    page.get_by_role("button", name="A README with results").click()
    expect(page.locator("#deliverables-count")).to_contain_text("1 of 2 done")
    page.get_by_label("Your notes").fill("Plain *forms* work.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_text("Notes saved.")).to_be_visible()
    expect(page.locator(".rendered-notes em")).to_have_text("forms")
    context.close()
    assert Progress.objects.get(learner=user, project__slug="image-classifier").notes == "Plain *forms* work."
