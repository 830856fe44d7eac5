"""Browser test of the Job ads journey: paste an ad, see highlights and the have/missing list, save it,
focus the plan on it, see next up change, remove the focus; the analysis page is axe-clean."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from catalog.models import Skill
from roadmap.models import PlanItem
from roadmap.planning import Lane
from tests.e2e.a11y import blocking_violations, describe
from tests.factories import PASSWORD, UserFactory
from tests.jobs.conftest import CONTENT, onboard

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def learner() -> tuple[Any, Skill]:
    call_command("import_content", str(CONTENT), stdout=io.StringIO())
    user = UserFactory(email="ada@example.com")
    onboard(user)
    items = PlanItem.objects.filter(plan__learner=user, lane=Lane.SCHEDULED, known=False, skill__isnull=False)
    last = items.order_by("-position").select_related("skill").first()
    assert last is not None
    return user, last.skill


def test_paste_an_ad_focus_the_plan_on_it_and_remove_the_focus(
    browser: Browser, live_server: Any, learner: tuple[Any, Skill]
) -> None:
    _, target = learner
    page = browser.new_context(bypass_csp=True).new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name=re.compile("Log in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/plan/"))
    next_up = page.locator("#next-up")
    expect(next_up).not_to_contain_text(target.name)

    page.get_by_role("link", name="Job ads").click()
    page.get_by_label("The job ad").fill(
        f"ML Engineer\nRequirements:\n- Python\n- {target.name}\nOur R&D team uses JavaScript, not Java."
    )
    page.get_by_role("button", name="Find the skills").click()
    expect(page.locator("mark.skill-have")).to_have_text("Python")
    expect(page.locator(f'tr[data-slug="{target.slug}"]')).to_contain_text("In my plan")
    expect(page.locator('tr[data-slug="java"]')).to_have_count(0)
    assert describe(blocking_violations(page)) == ""

    page.get_by_label("Job title").fill("ML Engineer, Recommendations")
    page.get_by_role("button", name="Save this ad").click()
    page.get_by_role("button", name="Focus my plan on this job").click()

    expect(page).to_have_url(re.compile(r"/plan/"))
    expect(page.locator("#job-focus")).to_contain_text(
        "Focused on: ML Engineer, Recommendations — 1 of 2 skills to go"
    )
    expect(page.locator("#next-up")).to_contain_text(target.name)

    page.get_by_role("button", name="Remove the focus").click()
    expect(page.locator("#job-focus")).to_have_count(0)
    expect(page.locator("#next-up")).not_to_contain_text(target.name)
