"""Screenshots of the plan, a skill step with "how to learn it", the map, the activity page and
the mentee page at 1,280 and 390 px, saved to
docs/screenshots/ (with their heights and axe results in results.txt), each page axe-clean (no
serious or critical problem) and without sideways scrolling of the page itself; the mentor
dashboard's table fits its box at both widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page

from mentoring.models import Mentorship
from tests.e2e.a11y import blocking_violations, describe
from tests.e2e.a11y_site import LEARNER, MENTOR
from tests.e2e.test_accessibility import browser_context_args, log_in, site, site_dump

__all__ = ["browser_context_args", "site", "site_dump"]
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]

SHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def pages() -> list[tuple[str, str, str]]:
    key = Mentorship.objects.get(mentor__email=MENTOR, status=Mentorship.Status.ACTIVE).key
    current = reverse("roadmap:map") + "?stage=0"
    return [
        ("plan", LEARNER, reverse("roadmap:plan")),
        ("step", LEARNER, reverse("roadmap:step", args=["skill", "pytorch"])),
        ("map", LEARNER, reverse("roadmap:map")),
        ("map-stage", LEARNER, current),
        ("map-focus", LEARNER, reverse("roadmap:map") + "?focus=skill:pytorch"),
        ("activity", LEARNER, reverse("roadmap:activity")),
        ("mentee", MENTOR, reverse("mentoring:mentee", args=[key])),
        ("mentor-dashboard", MENTOR, reverse("mentoring:dashboard")),
    ]


def test_screenshots_of_the_everyday_pages_are_axe_clean_at_both_widths(
    page: Page, live_server: Any, site: None
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    results, problems = [], []
    for label, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        for name, who, url in pages():
            log_in(page, live_server.url, who)
            page.goto(live_server.url + url)
            page.screenshot(path=str(SHOTS / f"{name}-{viewport['width']}.png"), full_page=True)
            height = page.evaluate("document.documentElement.scrollHeight")
            sideways = page.evaluate("document.documentElement.scrollWidth") - viewport["width"]
            found = blocking_violations(page)
            results.append(
                f"{name:<17} {viewport['width']:>5} px  height {height:>6} px  "
                f"axe serious/critical: {len(found)}"
            )
            if found:
                problems.append(f"{name} at {label}:\n{describe(found)}")
            if sideways > 0:
                problems.append(f"{name} at {label} scrolls sideways by {sideways} px")
            if name == "mentor-dashboard":
                cut = page.evaluate(
                    "() => { const w = document.querySelector('.mentee-wrap');"
                    " return w.scrollWidth - w.clientWidth; }"
                )
                if cut > 0:
                    problems.append(f"the dashboard table is {cut} px wider than its box at {label}")
    (SHOTS / "results.txt").write_text("\n".join(results) + "\n")
    assert not problems, "\n".join(problems)
