"""Issue 15's "Done when", in a real browser on the live server (tasks in-process, as under `make run`):
the learner turns on the public page and chooses what it shows; a logged-out visitor sees only that;
the learner finishes a stage, downloads its badge and verifies it (valid), tampers one byte and sees it
fail; downloads the plan as Markdown and PDF; a calendar client reads next week's sessions off the feed."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from roadmap.models import PlanItem
from roadmap.services.progress import note_save
from tests.e2e.test_mentoring_journey import log_in
from tests.factories import UserFactory
from tests.plans import Catalog, onboard

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PRIVATE_NOTE = "Private thought about NumPy broadcasting"
ZONE = "Europe/Paris"


@pytest.fixture
def ada(catalog: Catalog) -> User:
    user: User = UserFactory(email="ada@example.com", display_name="Ada Lovelace")
    onboard(user, catalog.core, hours=10)
    user.profile.time_zone = ZONE
    user.profile.save(update_fields=["time_zone"])
    numpy = PlanItem.objects.get(plan__learner=user, skill__slug="numpy")
    note_save(learner=user, item=numpy, notes=PRIVATE_NOTE, shared=True)
    return user


@pytest.fixture
def visitor(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()  # logged out: no cookies of the learner's
    yield context.new_page()
    context.close()


def download(page: Page, click: Any) -> bytes:
    with page.expect_download() as info:
        click()
    path = info.value.path()
    return Path(path).read_bytes()


def test_progress_travels(page: Page, visitor: Page, live_server: Any, ada: User) -> None:
    base = live_server.url
    log_in(page, base, "ada@example.com", "/accounts/sharing/")

    # Study sessions for the calendar: Tuesdays and Thursdays at 18:30, in the learner's time zone.
    page.get_by_label("Tuesday").check()
    page.get_by_label("Thursday").check()
    page.get_by_label("Starting at (your time zone)").fill("18:30")
    page.get_by_label("Minutes per session").fill("60")
    page.get_by_role("button", name="Save study sessions").click()
    expect(page.get_by_label("Tuesday")).to_be_checked()

    # The public page: on, a handle, progress and badges shown; stage bars and projects not.
    page.get_by_label("Show my public progress page").check()
    page.get_by_label("Handle").fill("ada-learns")
    page.get_by_label("Tracks and overall progress").check()
    page.get_by_label("A bar per stage").uncheck()
    page.get_by_label("Finished projects with their evidence links").uncheck()
    page.get_by_label("My badges").check()
    page.get_by_role("button", name="Save the public page").click()
    expect(page.get_by_text("Your page is on:")).to_be_visible()

    visitor.goto(f"{base}/u/ada-learns/")
    main = visitor.locator("main")
    expect(main.get_by_role("heading", name="Overall")).to_be_visible()
    expect(main.get_by_role("heading", name="Badges")).to_be_visible()
    expect(main.get_by_role("heading", name="Stages")).to_have_count(0)
    expect(main.get_by_role("heading", name="Finished projects")).to_have_count(0)
    html = visitor.content()
    assert PRIVATE_NOTE not in html and "ada@example.com" not in html

    # Finish the first stage (Foundations: NumPy and what it needs, Python, Git) on the plan page.
    page.goto(f"{base}/plan/")
    buttons = page.locator("#stage-0").get_by_role("button", name="Done")
    for index in range(buttons.count()):
        done = buttons.nth(index)
        done.click()
        expect(done).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#stage-count-0")).to_have_text(re.compile(r"\b(\d+) of \1 done"))

    # Its badge, downloaded as JSON, verifies; one byte changed, it does not.
    page.goto(f"{base}/accounts/badges/")
    badge = page.get_by_role("listitem").filter(has_text="Finished the stage")
    expect(badge).to_be_visible()
    credential = download(page, lambda: badge.get_by_role("link", name="Download (JSON)").click())
    assert json.loads(credential)["type"][-1] == "OpenBadgeCredential"

    page.goto(f"{base}/badges/verify/")
    page.get_by_label("Or upload the credential's file").set_input_files(
        {"name": "badge.json", "mimeType": "application/json", "buffer": credential}
    )
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Valid", exact=True)).to_be_visible()
    expect(page.locator(".verdict-valid")).to_contain_text("Foundations")

    at = credential.index(b"Foundations") + 1  # "Foundations" -> "Fpundations"
    tampered = credential[:at] + bytes([credential[at] + 1]) + credential[at + 1 :]
    page.goto(f"{base}/badges/verify/")
    page.get_by_label("Paste a credential (its JSON or its compact JWS)").fill(tampered.decode())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Invalid", exact=True)).to_be_visible()

    # The plan as Markdown (made in the request) and as a PDF (made by a task, offered when ready).
    page.goto(f"{base}/accounts/sharing/")
    markdown = download(page, lambda: page.get_by_role("link", name="Your plan as Markdown").click()).decode()
    assert markdown.startswith("# My plan") and "[x] **NumPy**" in markdown
    page.get_by_role("link", name="Your plan as a PDF").click()
    page.get_by_role("button", name="Prepare the PDF").click()
    ready = page.get_by_role("link", name="Download the PDF")
    expect(ready).to_be_visible(timeout=60_000)
    assert download(page, ready.click).startswith(b"%PDF")

    # The feed, fetched as a calendar client does (no cookies), holds next week's two sessions.
    page.goto(f"{base}/accounts/sharing/")
    feed_url = page.get_by_label("Your calendar address (keep it private)").input_value()
    with urllib.request.urlopen(feed_url, timeout=30) as response:  # noqa: S310 (the live server)
        calendar = Calendar.from_ical(response.read())
    zone = ZoneInfo(ZONE)
    today = dt.datetime.now(zone).date()
    monday = dt.datetime.combine(today + dt.timedelta(days=7 - today.weekday()), dt.time(), tzinfo=zone)
    sessions = [
        when
        for event in calendar.walk("VEVENT")
        if "rrule" in event
        for when in rrulestr(event["rrule"].to_ical().decode(), dtstart=event["dtstart"].dt).between(
            monday, monday + dt.timedelta(days=7)
        )
    ]
    assert [(s.strftime("%A"), s.strftime("%H:%M")) for s in sessions] == [
        ("Tuesday", "18:30"),
        ("Thursday", "18:30"),
    ]
    assert all(re.match(r"Study: ", str(e["summary"])) for e in calendar.walk("VEVENT") if "rrule" in e)
