"""The Markdown of notes, comments and reviews: ordinary text renders as before, safely, and no
input, however pathological, makes a render (or a page showing it) slow."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bench.markdown import BUDGET_SECONDS, PATHOLOGICAL, SIZE, measure
from roadmap.markdown import MAX_DEPTH, render_markdown
from tests.factories import (
    ActiveMentorshipFactory,
    PlanFactory,
    PlanItemFactory,
    ProfileFactory,
    ProgressFactory,
    StepCommentFactory,
)

# A stored text from before the length caps, far longer than any form now accepts.
STORED_LONG = 60_000
PAGE_BUDGET_SECONDS = 1.5


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_pathological_input_of_20000_characters_renders_in_under_100_ms(name: str) -> None:
    text = PATHOLOGICAL[name](SIZE)
    assert len(text) == SIZE
    seconds = measure(render_markdown, text, repeat=5)
    assert seconds < BUDGET_SECONDS, f"{name}: {seconds * 1000:.1f} ms"


def test_a_stored_text_ten_times_longer_than_the_cap_still_renders_in_under_a_second() -> None:
    """Linear, not quadratic: 200,000 characters (a quadratic parser would need minutes) render fast."""
    for name in ("[ run", "nested brackets", "deep block quote", "long table (3 columns)"):
        seconds = measure(render_markdown, PATHOLOGICAL[name](10 * SIZE), repeat=2)
        assert seconds < 1, f"{name}: {seconds * 1000:.1f} ms"


def test_ordinary_notes_render_headings_lists_code_links_and_emphasis() -> None:
    text = (
        "## Week 1\n\nLearned **broadcasting** and *slicing*.\n\n"
        "- arrays\n- dtypes\n\n3. third\n4. fourth\n\n"
        "```python\nx = a[1:3] < 2\n```\n\n"
        'See [the guide](https://numpy.org/doc "Docs") and `np.dot`.\n\n> Quote\n\n---'
    )
    assert str(render_markdown(text)) == (
        "<h3>Week 1</h3>\n"
        "<p>Learned <strong>broadcasting</strong> and <em>slicing</em>.</p>\n"
        "<ul>\n<li>arrays</li>\n<li>dtypes</li>\n</ul>\n"
        '<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>\n'
        "<pre><code>x = a[1:3] &lt; 2\n</code></pre>\n"
        '<p>See <a href="https://numpy.org/doc" title="Docs" rel="nofollow noopener noreferrer">the guide</a>'
        " and <code>np.dot</code>.</p>\n"
        "<blockquote>\n<p>Quote</p>\n</blockquote>\n<hr>\n"
    )


def test_tables_strikethrough_and_bare_links_render() -> None:
    html = str(render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n~~old~~ ~ish~ www.example.com"))
    assert '<th align="left">a</th>' in html and '<td align="right">2</td>' in html
    assert "<del>old</del> ~ish~" in html
    assert '<a href="http://www.example.com" rel="nofollow noopener noreferrer">www.example.com</a>' in html


def test_no_raw_html_passes_and_no_script_or_javascript_link_survives() -> None:
    html = str(
        render_markdown(
            '<script>alert(1)</script>\n\nHi <b onclick="x()">there</b> <img src=x onerror=y()>'
            " [a](javascript:alert(2)) [b](data:text/html,x) <style>p{}</style>"
        )
    )
    for forbidden in ("<script", "<b", "onclick", "<img", "onerror", "javascript:", "data:", "<style"):
        assert forbidden not in html
    assert "Hi there" in html
    assert '<a rel="nofollow noopener noreferrer">a</a>' in html  # no target: not a link to this page


def test_nesting_deeper_than_the_limit_keeps_the_text_but_not_the_tags() -> None:
    html = str(render_markdown(">" * 200 + " deep thought"))
    assert html.count("<blockquote>") == MAX_DEPTH == html.count("</blockquote>")
    assert "deep thought" in html


# ---------------------------------------------------------------- pages showing stored texts


def pathological(length: int) -> str:
    return PATHOLOGICAL["[ run"](length)


def learner_step() -> tuple[Any, Any, Any]:
    """A mentorship, a step of the learner's plan and the learner's progress on it."""
    mentorship = ActiveMentorshipFactory()
    ProfileFactory(user=mentorship.learner)
    item = PlanItemFactory(plan=PlanFactory(learner=mentorship.learner))
    progress = ProgressFactory(learner=mentorship.learner, skill=item.skill)
    return mentorship, item, progress


def timed_get(client: Client, url: str) -> tuple[int, float]:
    start = time.perf_counter()
    response = client.get(url)
    return response.status_code, time.perf_counter() - start


@pytest.mark.django_db
def test_a_stored_pathological_note_and_twelve_such_comments_leave_the_step_pages_fast(
    client: Client,
) -> None:
    mentorship, item, progress = learner_step()
    progress.notes, progress.notes_shared = pathological(STORED_LONG), True
    progress.save()
    for _ in range(12):
        StepCommentFactory(progress=progress, author=mentorship.mentor, body=pathological(5_000))
    client.force_login(mentorship.learner)
    status, seconds = timed_get(client, reverse("roadmap:step", args=["skill", item.skill.slug]))
    assert status == 200 and seconds < PAGE_BUDGET_SECONDS
    client.force_login(mentorship.mentor)
    for url in (
        reverse("mentoring:mentee", args=[mentorship.key]),
        reverse("mentoring:mentee_step", args=[mentorship.key, "skill", item.skill.slug]),
    ):
        status, seconds = timed_get(client, url)
        assert status == 200 and seconds < PAGE_BUDGET_SECONDS, url


@pytest.mark.django_db
def test_previewing_a_pathological_note_answers_fast(client: Client) -> None:
    mentorship, item, _progress = learner_step()
    client.force_login(mentorship.learner)
    start = time.perf_counter()
    response = client.post(
        reverse("roadmap:step_notes", args=["skill", item.skill.slug]),
        {"notes": pathological(20_000), "action": "preview"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and time.perf_counter() - start < PAGE_BUDGET_SECONDS
