"""Mentoring in a real browser, with the learner and the mentor in two separate browser contexts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from catalog.models import Skill
from mentoring.models import Mentorship, ProjectReview, StepComment
from roadmap.services import progress_get_or_create
from tests.e2e.a11y import blocking_violations, report
from tests.factories import PASSWORD, ActiveMentorshipFactory, StepCommentFactory, UserFactory
from tests.plans import Catalog, onboard, plan_slugs

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(catalog: Catalog) -> None:
    ada = UserFactory(email="ada@example.com", display_name="Ada")
    onboard(ada, catalog.core)
    assert "image-classifier" in plan_slugs(ada)
    UserFactory(email="grace@example.com", display_name="Grace")


def new_page(browser: Browser) -> Page:
    # bypass_csp lets the axe-core checker in; the app itself runs under its normal headers.
    return browser.new_context(bypass_csp=True).new_page()


@pytest.fixture
def learner_page(browser: Browser) -> Iterator[Page]:
    page = new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def mentor_page(browser: Browser) -> Iterator[Page]:
    page = new_page(browser)
    yield page
    page.context.close()


def log_in(page: Page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name=re.compile("Log in", re.I)).click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def accessibility_problems(page: Page, label: str, found: dict[str, Any]) -> None:
    found[f"{label} ({page.url})"] = blocking_violations(page)


def test_learner_and_mentor_go_through_invitation_comments_and_a_review(
    live_server: Any, people: None, learner_page: Page, mentor_page: Page
) -> None:
    base = live_server.url
    a11y: dict[str, Any] = {}
    learner, mentor = learner_page, mentor_page

    # The learner creates an invite link from the Mentoring pages.
    log_in(learner, base, "ada@example.com", "/plan/")
    learner.get_by_role("link", name="Mentoring").click()
    learner.get_by_role("link", name="My mentors").click()
    learner.get_by_role("button", name="Create an invite link").click()
    link = learner.get_by_label(re.compile("Invite link")).input_value()
    assert "/accounts/invitations/" in link
    accessibility_problems(learner, "mentors page", a11y)

    # The mentor opens it, sees who invites, accepts, and lands on the mentee's read-only roadmap.
    log_in(mentor, base, "grace@example.com", "/mentor/")
    mentor.goto(link)
    expect(mentor.get_by_role("heading", level=1)).to_have_text("Ada invites you to be their mentor")
    accessibility_problems(mentor, "invitation", a11y)
    mentor.get_by_role("button", name="Accept and mentor Ada").click()
    expect(mentor.get_by_role("heading", level=1)).to_have_text("Ada")
    assert Mentorship.objects.get().status == Mentorship.Status.ACTIVE

    mentor.get_by_role("link", name="My mentees").click()
    row = mentor.get_by_role("row", name=re.compile("Ada"))
    expect(row).to_contain_text("0%")
    accessibility_problems(mentor, "dashboard", a11y)
    row.get_by_role("link", name="Ada").click()
    expect(mentor.get_by_role("heading", name="Roadmap")).to_be_visible()
    expect(mentor.get_by_role("button", name="Done")).to_have_count(0)  # read-only
    accessibility_problems(mentor, "mentee page", a11y)

    # The mentor comments on a step; htmx swaps the thread in place.
    mentor.get_by_role("link", name="Python", exact=True).first.click()
    mentor.get_by_label("Your comment").fill("Start with **NumPy** arrays.")
    mentor.get_by_role("button", name="Post comment").click()
    expect(mentor.locator("#comments strong")).to_have_text("NumPy")
    accessibility_problems(mentor, "mentee step", a11y)

    # The learner sees the unread comment, reads it on the step and replies.
    learner.goto(base + "/plan/")
    learner.get_by_role("link", name="1 unread comment from your mentors").click()
    learner.get_by_role("link", name="Python").click()
    expect(learner.locator("#comments")).to_contain_text("1 new")
    expect(learner.locator("#comments strong")).to_have_text("NumPy")
    learner.get_by_label("Reply").fill("Thanks, on it!")
    learner.get_by_role("button", name="Post reply").click()
    expect(learner.locator("#comments")).to_contain_text("Thanks, on it!")
    expect(learner.locator("#comments")).not_to_contain_text("1 new")

    # The learner asks for a review of the project with its link.
    learner.goto(base + "/plan/project/image-classifier/")
    learner.get_by_label("Link to your project").fill("https://github.com/ada/classifier")
    learner.get_by_role("button", name="Request a review").click()
    expect(learner.locator("#review")).to_contain_text("Waiting for review")
    accessibility_problems(learner, "learner step with review", a11y)

    # The mentor sees the reply counted and the review waiting, and approves.
    mentor.get_by_role("link", name="My mentees").click()
    row = mentor.get_by_role("row", name=re.compile("Ada"))
    expect(row.locator("td").nth(4)).to_have_text("1")  # reviews waiting
    expect(row.locator("td").nth(5)).to_have_text("1")  # unread comments (the reply)
    row.get_by_role("link", name="Ada").click()
    mentor.get_by_role("link", name="Image classifier").first.click()
    expect(mentor.get_by_role("link", name="https://github.com/ada/classifier")).to_be_visible()
    mentor.get_by_label("Approve").check()
    mentor.get_by_label("Comment for the learner").fill("Clean code, good README.")
    mentor.get_by_role("button", name="Send review").click()
    expect(mentor.locator("#review")).to_contain_text("Approved")
    assert ProjectReview.objects.get().status == ProjectReview.Status.APPROVED

    # The learner sees the approval.
    learner.reload()
    expect(learner.locator("#review")).to_contain_text("Approved")
    expect(learner.locator("#review")).to_contain_text("Clean code, good README.")

    assert report(a11y) == "", "\n" + report(a11y)


def test_revoking_hides_the_mentee_from_the_mentor_at_once(
    live_server: Any, people: None, learner_page: Page, mentor_page: Page
) -> None:
    base = live_server.url
    log_in(learner_page, base, "ada@example.com", "/accounts/mentors/")
    learner_page.get_by_role("button", name="Create an invite link").click()
    link = learner_page.get_by_label(re.compile("Invite link")).input_value()
    log_in(mentor_page, base, "grace@example.com", "/mentor/")
    mentor_page.goto(link)
    mentor_page.get_by_role("button", name="Accept and mentor Ada").click()
    mentee_url = mentor_page.url

    learner_page.reload()
    learner_page.get_by_role("link", name="End mentorship with Grace").click()
    learner_page.get_by_role("button", name="Yes, end the mentorship").click()  # asked to confirm
    expect(learner_page.get_by_role("status").first).to_contain_text("Grace no longer mentors you")

    response = mentor_page.goto(mentee_url)
    assert response is not None and response.status == 403
    mentor_page.goto(base + "/mentor/")
    expect(mentor_page.get_by_role("link", name="Ada")).to_have_count(0)


def test_learner_deletes_a_comment_after_confirming_and_the_thread_updates_in_place(
    live_server: Any, people: None, learner_page: Page
) -> None:
    ada = User.objects.get(email="ada@example.com")
    grace = User.objects.get(email="grace@example.com")
    ActiveMentorshipFactory(learner=ada, mentor=grace)
    progress = progress_get_or_create(learner=ada, kind="skill", item_id=Skill.objects.get(slug="python").pk)
    StepCommentFactory(progress=progress, author=grace, body="Please ignore this one.")
    StepCommentFactory(progress=progress, author=grace, body="This one stays.")
    log_in(learner_page, live_server.url, "ada@example.com", "/plan/skill/python/")
    comments = learner_page.locator("#comments")
    expect(comments).to_contain_text("Please ignore this one.")

    first = comments.get_by_role("listitem").filter(has_text="Please ignore this one.")
    first.locator("summary").click()
    first.get_by_role("button", name="Yes, delete it").click()

    expect(comments).to_contain_text("Comment deleted.")
    expect(comments).not_to_contain_text("Please ignore this one.")
    expect(comments).to_contain_text("This one stays.")
    assert StepComment.objects.filter(progress=progress).count() == 1
