"""The learner's journey in a real browser: sign up, onboard, see the plan, check a step off, reload."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.plans import Catalog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-quiet-river-42"


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def sign_up_and_onboard(page: Page, base: str, email: str, *, filter_skills: bool) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("E-mail address").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(re.compile(r"/accounts/onboarding/$"))
    expect(page.get_by_role("heading", name="Step 1 of 5: Where you start")).to_be_visible()
    page.get_by_label("Software engineer").check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_label("ML Engineer")).to_be_checked()
    page.get_by_role("button", name="Next").click()
    # No choices in these tracks: straight on to what the learner knows.
    expect(page.get_by_role("heading", name="Step 4 of 5: What you know already")).to_be_visible()
    if filter_skills:  # the search box narrows the grouped list as you type, opening the categories
        page.get_by_label("Find a skill").fill("pyth")
        expect(page.get_by_label("Linear algebra")).to_be_hidden()
    else:  # categories fold: open the one that holds Python
        page.locator("summary", has_text="Programming").click()
    page.get_by_label("Python", exact=True).check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Hours per week").fill("10")
    page.get_by_role("button", name="Build my plan").click()
    expect(page).to_have_url(re.compile(r"/plan/"))
    expect(page.get_by_role("heading", name="My plan", level=1)).to_be_visible()


def overall(page: Page) -> int:
    return int(page.locator("#overall-percent").inner_text().rstrip("%"))


def git_done_button(page: Page) -> Any:
    return page.locator("#item-skill-git").get_by_role("button", name="Done")


def test_a_new_learner_checks_a_step_off_without_a_reload(
    page: Page, live_server: Any, catalog: Catalog
) -> None:
    sign_up_and_onboard(page, live_server.url, "ada@example.com", filter_skills=True)
    # Python was known: one of the seven scheduled steps is complete (the optional project waits beside).
    expect(page.locator("#overall-percent")).to_have_text("14%")
    expect(page.locator("#next-up")).to_contain_text("Git")
    page.evaluate("window.sameDocument = true")

    git_done_button(page).click()

    expect(git_done_button(page)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#overall-percent")).to_have_text("28%")
    expect(page.locator("#next-up")).not_to_contain_text("Git")
    expect(page.locator("#stage-count-0")).to_contain_text("2 of 4 done")
    assert page.evaluate("window.sameDocument === true"), "the page was reloaded"

    page.reload()
    expect(git_done_button(page)).to_have_attribute("aria-pressed", "true")
    assert overall(page) == 28


def test_a_collapsed_stage_loads_its_steps_when_opened(
    page: Page, live_server: Any, catalog: Catalog
) -> None:
    sign_up_and_onboard(page, live_server.url, "grace@example.com", filter_skills=False)
    page.evaluate("window.sameDocument = true")
    page.locator("#stage-1 > summary").click()
    pytorch = page.locator("#item-skill-pytorch")
    expect(pytorch).to_be_visible()
    pytorch.get_by_role("button", name="In progress").click()
    expect(pytorch.get_by_role("button", name="In progress")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.sameDocument === true")


def test_the_same_journey_works_without_javascript(
    no_js_page: Page, live_server: Any, catalog: Catalog
) -> None:
    page = no_js_page
    sign_up_and_onboard(page, live_server.url, "alan@example.com", filter_skills=False)
    expect(page.locator("#overall-percent")).to_have_text("14%")

    git_done_button(page).click()  # a plain POST, then a redirect back to the step

    expect(page).to_have_url(re.compile(r"/plan/\?stage=0#item-skill-git$"))
    expect(git_done_button(page)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#overall-percent")).to_have_text("28%")

    page.reload()
    expect(git_done_button(page)).to_have_attribute("aria-pressed", "true")
    assert overall(page) == 28

    page.locator("#stage-1 > summary").click()  # <details> opens without JavaScript
    page.get_by_role("link", name="Show the steps of “Deep learning”").click()
    expect(page.locator("#item-skill-pytorch")).to_be_visible()
