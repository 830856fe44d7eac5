"""The learner's pages on a phone (390 x 844), checked as Lighthouse would: no sideways scrolling,
tap targets of at least 24 x 24 px (WCAG 2.2 2.5.8, inline text links excepted), "Next up" on the
first screen of the plan, step rows at most 120 px tall, the header's menu usable without JavaScript,
and axe-clean at 390 and 1,280 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from mentoring.models import Mentorship
from tests.e2e.a11y import blocking_violations, describe
from tests.e2e.a11y_site import LEARNER, MENTOR
from tests.e2e.test_accessibility import browser_context_args, log_in, site, site_dump

__all__ = ["browser_context_args", "site", "site_dump"]
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ROW_MAX = 120

# A tap target is too small when it is under 24 x 24 px, unless it is a link inside a sentence
# (2.5.8's inline exception) or an element the browser hides from pointers.
SMALL_TARGETS = """() => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary, textarea')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (el.closest('.visually-hidden, [hidden], details:not([open]) > :not(summary)')) continue;
    if (el.classList.contains('skip-link')) continue;
    if (box.width >= 24 && box.height >= 24) continue;
    const style = getComputedStyle(el);
    if (el.tagName === 'A' && style.display === 'inline') {
      const parent = el.parentElement;
      const text = (parent.textContent || '').trim();
      if (text.length > (el.textContent || '').trim().length + 1) continue;
    }
    small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.value || '').trim().slice(0, 40)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return small;
}"""

MEASURE = """() => {
  const header = document.querySelector('.site-header').getBoundingClientRect().height;
  const next = document.querySelector('#next-up');
  const rows = [...document.querySelectorAll('.plan-row')].map(r => r.getBoundingClientRect().height);
  return {
    header: Math.round(header),
    nextUpTop: next ? Math.round(next.getBoundingClientRect().top + window.scrollY) : null,
    rowMax: rows.length ? Math.round(Math.max(...rows)) : 0,
    rows: rows.length,
    pageHeight: document.scrollingElement.scrollHeight,
    sideways: document.scrollingElement.scrollWidth - window.innerWidth,
  };
}"""


def learner_pages() -> dict[str, str]:
    return {
        "plan": reverse("roadmap:plan") + "?stage=0",
        "step": reverse("roadmap:step", args=["skill", "python"]),
        "map": reverse("roadmap:map"),
        "activity": reverse("roadmap:activity"),
        "catalog": reverse("catalog:skill_list"),
    }


def phone_problems(page: Page, label: str) -> list[str]:
    problems = []
    figures = page.evaluate(MEASURE)
    if figures["sideways"] > 0:
        problems.append(f"{label} scrolls sideways by {figures['sideways']} px")
    small = page.evaluate(SMALL_TARGETS)
    if small:
        problems.append(f"{label} has tap targets under 24 px: " + "; ".join(small[:10]))
    return problems


def test_plan_on_a_phone_shows_next_up_on_the_first_screen_with_short_rows(
    page: Page, live_server: Any, site: None
) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, LEARNER)
    page.goto(live_server.url + reverse("roadmap:plan") + "?stage=0")
    figures = page.evaluate(MEASURE)
    print("phone plan figures:", figures)
    import os
    if os.environ.get("SHOT_DEBUG"):
        page.screenshot(path="/tmp/w4/plan390.png", full_page=True)
        print(page.evaluate("() => [...document.querySelectorAll('.plan-row')].filter(r => r.getBoundingClientRect().height > 120).map(r => Math.round(r.getBoundingClientRect().height) + ' ' + r.innerText.replace(/\\s+/g, ' ').slice(0, 200))"))
    assert figures["nextUpTop"] < PHONE["height"], figures
    assert figures["rows"] > 0
    assert figures["rowMax"] <= ROW_MAX, figures
    assert figures["sideways"] <= 0, figures
