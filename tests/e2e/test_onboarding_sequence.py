"""Onboarding's screens in a real browser: the live preview as the learner answers (htmx), a choice,
the background's proposal, Back; and the same sequence without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from roadmap.models import PlanItem
from tests.factories import UserFactory
from tests.roadmap.fitting import REQUIRED_HOURS, FitCatalog, fit_catalog_with_background

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-and-quiet-river-42"


@pytest.fixture
def fit() -> FitCatalog:
    return fit_catalog_with_background()


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def log_in(page: Page, base: str, email: str) -> None:
    UserFactory(email=email, password=PASSWORD)
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.goto(base + "/accounts/onboarding/")


def go_through(page: Page, fit: FitCatalog, *, live: bool) -> None:
    expect(page.get_by_role("heading", name="Step 1 of 5: Where you start")).to_be_visible()
    page.get_by_label("Software engineer").check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_label("ML Engineer")).to_be_checked()
    expect(page.locator("#plan-preview")).to_contain_text(f"{REQUIRED_HOURS} hours")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Step 3 of 5: Your choices")).to_be_visible()
    expect(page.get_by_label("PyTorch")).to_be_checked()
    page.get_by_label("TensorFlow").check()
    page.get_by_role("button", name="Next").click()
    # The background's proposal comes ticked: the preview counts them known (python 20 h, git 5 h).
    expect(page.get_by_label("Python", exact=True)).to_be_checked()
    expect(page.locator("#plan-preview")).to_contain_text(f"{REQUIRED_HOURS - 25} hours")
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("TensorFlow")).to_be_checked()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    hours = page.get_by_label("Hours per week")
    hours.fill("5")
    if live:  # the preview follows the answer without a page load
        hours.dispatch_event("change")
        expect(page.locator("#plan-preview")).to_contain_text("At 5 hours a week")
    page.get_by_role("button", name="Build my plan").click()
    expect(page).to_have_url(re.compile(r"/plan/"))
    expect(page.locator("#next-up")).to_be_visible()


def test_onboarding_with_javascript_shows_the_plan_as_the_learner_answers(
    page: Page, live_server: Any, fit: FitCatalog
) -> None:
    log_in(page, live_server.url, "lin@example.com")
    go_through(page, fit, live=True)
    slugs = {i.item.slug for i in PlanItem.objects.select_related("skill", "course", "certification")}
    assert "tensorflow" in slugs and "pytorch" not in slugs


def test_onboarding_works_without_javascript_on_a_phone(
    no_js_page: Page, live_server: Any, fit: FitCatalog
) -> None:
    log_in(no_js_page, live_server.url, "max@example.com")
    width = no_js_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the first screen scrolls sideways ({width} px)"
    go_through(no_js_page, fit, live=False)
    assert PlanItem.objects.filter(plan__learner__email="max@example.com").exists()
