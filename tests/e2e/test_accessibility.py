"""Accessibility in the browser: axe-core finds no serious or critical WCAG 2.2 AA problem on any main
page (desktop and phone), and the plan and the map work with the keyboard alone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from mentoring.models import Mentorship
from roadmap.models import Progress
from tests.e2e.a11y import blocking_violations, check_pages, report
from tests.e2e.a11y_site import LEARNER, MENTOR, NEWCOMER, PROJECT, build_site, load_rows
from tests.factories import (
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # axe is injected as an inline script, which the app's CSP (rightly) refuses.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(scope="module")
def site_dump(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """Build the site once per module and keep it as a fixture file: loading it is 3x faster than
    importing the content, and each (transactional) test starts from an empty database."""
    dump = tmp_path_factory.mktemp("a11y") / "site.json"
    with django_db_blocker.unblock():
        build_site()
        call_command(
            "dumpdata",
            "catalog",
            "accounts",
            "roadmap",
            "mentoring",
            "reminders",
            output=str(dump),
            verbosity=0,
        )
        call_command("flush", interactive=False, verbosity=0)
    yield dump


@pytest.fixture
def site(transactional_db: None, site_dump: Path) -> None:
    load_rows(site_dump)


def log_in(page: Page, base_url: str, email: str) -> User:
    """Log the page's browser context in without the login form (tested elsewhere)."""
    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    return user


def public_pages() -> dict[str, str]:
    return {
        "home": reverse("home"),
        "tracks": reverse("catalog:track_list"),
        "track": reverse("catalog:track", args=["ml-engineer"]),
        "skills": reverse("catalog:skill_list"),
        "skills, searched": reverse("catalog:skill_list") + "?q=learning",
        "skill": reverse("catalog:skill", args=["pytorch"]),
        "courses": reverse("catalog:course_list"),
        "course": reverse("catalog:course", args=["practical-deep-learning-fastai"]),
        "certifications": reverse("catalog:certification_list"),
        "certification": reverse(
            "catalog:certification", args=["aws-certified-machine-learning-engineer-associate"]
        ),
        "projects": reverse("catalog:project_list"),
        "project": reverse("catalog:project", args=[PROJECT]),
        "careers": reverse("catalog:careers"),
        "role": reverse("roadmap:role", args=["mlops-engineer"]),
        "sign-up": reverse("accounts:signup"),
        "log-in": reverse("accounts:login"),
        "password reset": reverse("accounts:password_reset"),
        "password reset sent": reverse("accounts:password_reset_done"),
    }


def learner_pages() -> dict[str, str]:
    return {
        "plan": reverse("roadmap:plan"),
        "plan, filtered": reverse("roadmap:plan") + "?hide=done&hide=skipped&stage=2",
        "project step": reverse("roadmap:step", args=["project", PROJECT]),
        "project step, no review yet": reverse("roadmap:step", args=["project", "sentiment-analysis"]),
        "skill step": reverse("roadmap:step", args=["skill", "pytorch"]),
        "map": reverse("roadmap:map"),
        "activity": reverse("roadmap:activity"),
        "role, with the learner's skills": reverse("roadmap:role", args=["ml-engineer"]),
        "settings": reverse("roadmap:settings"),
        "profile": reverse("accounts:profile"),
        "reminder settings": reverse("reminders:settings"),
        "mentors": reverse("mentoring:mentors"),
        "data and export": reverse("accounts:data"),
        "password change": reverse("accounts:password_change"),
        "account deletion": reverse("accounts:delete"),
        "job ads": reverse("jobs:ads"),
        "job ads, market view": reverse("jobs:market"),
        "API tokens": reverse("api_tokens"),
    }


def mentor_pages() -> dict[str, str]:
    key = Mentorship.objects.get(mentor__email=MENTOR, status=Mentorship.Status.ACTIVE).key
    return {
        "mentor dashboard": reverse("mentoring:dashboard"),
        "mentee": reverse("mentoring:mentee", args=[key]),
        "mentee's project step": reverse("mentoring:mentee_step", args=[key, "project", PROJECT]),
    }


def newcomer_pages() -> dict[str, str]:
    from mentoring.tokens import invite_path

    invitation = Mentorship.objects.get(invited_email=NEWCOMER, status=Mentorship.Status.PENDING)
    return {"onboarding": reverse("roadmap:onboarding"), "mentor invitation": invite_path(invitation)}


def pick(pages: dict[str, str], *labels: str) -> dict[str, str]:
    return {label: pages[label] for label in labels}


def test_public_pages_have_no_serious_accessibility_problems(
    page: Page, live_server: Any, site: None
) -> None:
    problems = check_pages(page, live_server.url, public_pages())
    assert not problems, "axe found serious or critical WCAG problems:\n" + problems


@pytest.mark.parametrize("who", [LEARNER, MENTOR, NEWCOMER])
def test_a_signed_in_users_pages_have_no_serious_accessibility_problems(
    page: Page, live_server: Any, site: None, who: str
) -> None:
    pages = {LEARNER: learner_pages, MENTOR: mentor_pages, NEWCOMER: newcomer_pages}[who]
    log_in(page, live_server.url, who)
    problems = check_pages(page, live_server.url, pages())
    assert not problems, "axe found serious or critical WCAG problems:\n" + problems


def test_forms_showing_errors_have_no_serious_accessibility_problems(
    page: Page, live_server: Any, site: None
) -> None:
    base = live_server.url
    page.goto(base + reverse("accounts:signup"))
    page.locator("main").get_by_role("button", name="Sign up").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    problems = {"sign-up, empty": blocking_violations(page)}

    page.goto(base + reverse("accounts:login"))
    page.get_by_label("E-mail").fill("nobody.a11y@example.com")
    page.get_by_label("Password").fill("not the password")
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    problems["log-in, wrong password"] = blocking_violations(page)

    log_in(page, base, LEARNER)
    page.goto(base + reverse("roadmap:settings"))
    page.get_by_label("Hours per week").fill("0")
    page.locator("form.profile-form button[type=submit]").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    problems["settings, no hours"] = blocking_violations(page)

    page.goto(base + reverse("mentoring:mentors"))
    page.get_by_label("Your mentor's e-mail address").fill("not an address")
    page.get_by_label("Your mentor's e-mail address").press("Enter")
    expect(page.locator(".errorlist").first).to_be_visible()
    problems["mentors, bad address"] = blocking_violations(page)

    page.goto(base + reverse("roadmap:step", args=["project", PROJECT]))
    page.get_by_label("Link").fill("javascript:alert(1)")
    page.get_by_role("button", name="Add link").click()
    expect(page.get_by_role("alert")).to_be_visible()
    problems["step, bad evidence link"] = blocking_violations(page)

    assert not report(problems), "axe found serious or critical WCAG problems:\n" + report(problems)


def test_key_pages_on_a_phone_have_no_serious_accessibility_problems(
    page: Page, live_server: Any, site: None
) -> None:
    page.set_viewport_size(PHONE)
    base = live_server.url
    problems = [
        check_pages(page, base, pick(public_pages(), "home", "track", "courses", "project", "sign-up"))
    ]
    log_in(page, base, LEARNER)
    problems.append(
        check_pages(page, base, pick(learner_pages(), "plan", "project step", "map", "activity", "settings"))
    )
    log_in(page, base, MENTOR)
    problems.append(check_pages(page, base, pick(mentor_pages(), "mentor dashboard", "mentee")))
    found = "\n".join(p for p in problems if p)
    assert not found, "axe found serious or critical WCAG problems at 390 px:\n" + found


# ---------------------------------------------------------------- keyboard

FOCUSED = """selector => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    matches: el.matches(selector), id: el.id, tag: el.tagName.toLowerCase(),
    cls: el.getAttribute('class') || '',
    text: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 60),
    visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
  };
}"""


def tab_to(page: Page, selector: str, limit: int = 150) -> tuple[dict[str, Any], int, list[str]]:
    """Press Tab until the focused element matches the selector: that element, the number of
    presses, and every stop on the way where focus was not visible (no outline)."""
    unseen: list[str] = []
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, selector)
        if not focused["visible"]:
            unseen.append(f"<{focused['tag']} class={focused['cls']!r}> {focused['text']!r}")
        if focused["matches"]:
            return focused, presses, unseen
    raise AssertionError(f"{limit} presses of Tab did not reach {selector}")


def test_a_learner_marks_a_step_done_on_the_plan_with_the_keyboard_alone(
    page: Page, live_server: Any, site: None
) -> None:
    learner = log_in(page, live_server.url, LEARNER)
    page.goto(live_server.url + reverse("roadmap:plan"))

    # From the top of the page, Tab to the first step not done yet and press its "Done" button.
    focused, _, unseen = tab_to(page, '.status-button-done[aria-pressed="false"]')
    assert unseen == [], f"focus is invisible on: {unseen}"
    button_id = focused["id"]
    page.keyboard.press("Enter")

    button = page.locator(f"#{button_id}")
    expect(button).to_have_attribute("aria-pressed", "true")
    # The row is swapped in place; focus stays on the button, so the learner can keep going.
    assert page.evaluate("document.activeElement.id") == button_id
    page.reload()
    expect(page.locator(f"#{button_id}")).to_have_attribute("aria-pressed", "true")
    href = page.locator(f"li.plan-row:has(#{button_id}) a.row-title").get_attribute("href") or ""
    kind, slug = href.strip("/").split("/")[-2:]
    assert Progress.objects.get(learner=learner, **{f"{kind}__slug": slug}).status == Progress.Status.DONE


def test_a_learner_opens_a_step_from_the_map_with_the_keyboard_alone(
    page: Page, live_server: Any, site: None
) -> None:
    log_in(page, live_server.url, LEARNER)
    page.goto(live_server.url + reverse("roadmap:map"))

    focused, _, unseen = tab_to(page, "a.map-node")

    assert unseen == [], f"focus is invisible on: {unseen}"
    name = focused["text"].split(",")[0]
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/plan/\w+/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


# ---------------------------------------------------------------- the admin

ADMIN = "margaret.a11y@example.com"


def admin_pages() -> dict[str, str]:
    """The changelist, add and change page of every registered model, and the content pages."""
    from django.apps import apps
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(email=ADMIN)
    pages = {
        "admin index": reverse("admin:index"),
        "content import": reverse("admin:catalog_content_import"),
        "content export": reverse("admin:catalog_content_export"),
    }
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        label = model._meta.verbose_name
        pages[f"{label} list"] = reverse(f"{name}_changelist")
        if model_admin.has_add_permission(request):
            pages[f"{label} add"] = reverse(f"{name}_add")
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            pages[f"{label} change"] = reverse(f"{name}_change", args=[obj.pk])
    return pages


def test_every_admin_page_has_no_serious_accessibility_problems(
    page: Page, live_server: Any, site: None
) -> None:
    UserFactory(email=ADMIN, display_name="Margaret Hamilton", is_staff=True, is_superuser=True)
    log_in(page, live_server.url, ADMIN)
    pages = admin_pages()
    assert {"skill change", "track change", "content import"} <= set(pages)

    problems = check_pages(page, live_server.url, pages)

    assert not problems, "axe found serious or critical WCAG problems:\n" + problems
