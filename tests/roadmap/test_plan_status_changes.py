"""The plan page's one-click status changes (htmx and plain POST), its query budgets and its cache."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from bench.plans import synthetic_learner
from mentoring.services import comment_add, comments_mark_read
from roadmap.models import Progress
from roadmap.selectors import row_url
from roadmap.services import progress_get_or_create, step_set_status
from tests.factories import ActiveMentorshipFactory, StepCommentFactory
from tests.plans import Catalog
from tests.roadmap.plan_page import HTMX, PLAN, Status, get, overall_percent, pressed, set_status


def test_without_javascript_a_status_change_redirects_back_to_the_step(
    plan_learner: User, client: Client
) -> None:
    response = client.post(reverse("roadmap:step_status", args=["skill", "git"]), {"status": "done"})
    assert response.status_code == 302
    assert response["Location"] == "/plan/?stage=0#item-skill-git"
    assert pressed(get(client), "item-skill-git") == "done"


def test_without_javascript_the_filters_survive_the_redirect(plan_learner: User, client: Client) -> None:
    url = reverse("roadmap:step_status", args=["skill", "git"])
    response = client.post(url, {"status": "done", "hide": "skipped"})
    assert response["Location"] == "/plan/?stage=0&hide=skipped#item-skill-git"


def test_a_safe_next_address_is_followed_and_an_outside_one_ignored(
    plan_learner: User, client: Client
) -> None:
    url = reverse("roadmap:step_status", args=["skill", "git"])
    assert client.post(url, {"status": "done", "next": "/plan/?stage=1"})["Location"] == "/plan/?stage=1"
    assert client.post(url, {"status": "skipped", "next": "https://evil.example/"})["Location"].startswith(
        "/plan/"
    )


def test_with_htmx_the_response_is_the_row_and_out_of_band_updates(
    plan_learner: User, client: Client
) -> None:
    html = set_status(client, "git", "done", **HTMX)
    assert html.lstrip().startswith('<li class="plan-row status-done" id="item-skill-git"')
    assert (
        '<section id="plan-progress" class="panel" aria-labelledby="progress-heading" hx-swap-oob="true">'
        in html
    )
    assert '<section id="next-up" class="panel" aria-labelledby="next-up-heading" hx-swap-oob="true">' in html
    assert 'id="stage-count-0" hx-swap-oob="true">1 of 4 done' in html
    assert "<h1" not in html


def test_with_htmx_the_percentage_rises(plan_learner: User, client: Client) -> None:
    before = overall_percent(get(client))
    after = overall_percent(set_status(client, "git", "done", **HTMX))
    assert after > before


def test_with_htmx_the_readiness_panel_is_told_to_refresh(plan_learner: User, client: Client) -> None:
    response = client.post(
        reverse("roadmap:step_status", args=["skill", "numpy"]), {"status": "done"}, **HTMX
    )
    assert response["HX-Trigger"] == "plan-changed"
    assert "1 of 2 skills" in client.get(reverse("roadmap:plan_readiness"), **HTMX).content.decode()


def test_with_htmx_a_row_hidden_by_the_filter_disappears(plan_learner: User, client: Client) -> None:
    html = client.post(
        reverse("roadmap:step_status", args=["skill", "git"]), {"status": "done", "hide": "done"}, **HTMX
    ).content.decode()
    assert 'id="item-skill-git"' not in html and 'id="plan-progress"' in html


def test_a_change_is_announced_to_screen_readers(plan_learner: User, client: Client) -> None:
    html = set_status(client, "git", "in_progress", **HTMX)
    assert 'role="status" hx-swap-oob="true">Git: in progress.' in html


def test_a_status_change_kept_after_a_reload(plan_learner: User, client: Client) -> None:
    set_status(client, "git", "in_progress", **HTMX)
    assert pressed(get(client), "item-skill-git") == "in_progress"


# ---------------------------------------------------------------- query budgets


def plan_page_queries(client: Client, user: User) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PLAN).status_code == 200
    return len(queries)


def test_the_plan_page_needs_the_same_few_queries_for_small_and_big_plans(db: None, client: Client) -> None:
    small = plan_page_queries(client, synthetic_learner(30, prefix="small"))
    big = plan_page_queries(client, synthetic_learner(400, prefix="big"))
    assert small == big <= 12


# Outside a test transaction, as in production: the service's atomic block is BEGIN/COMMIT, not savepoints.
@pytest.mark.django_db(transaction=True)
def test_a_status_change_with_htmx_needs_at_most_eight_queries(
    plan_learner: User, client: Client, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(8):
        set_status(client, "git", "done", **HTMX)


# Outside a test transaction, as in production: the service's atomic block is BEGIN/COMMIT, not savepoints.
@pytest.mark.django_db(transaction=True)
def test_a_status_change_without_javascript_needs_at_most_eight_queries(
    plan_learner: User, client: Client, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(8):
        set_status(client, "git", "done")


def test_a_lazily_loaded_stage_needs_the_same_queries_for_any_plan_size(db: None, client: Client) -> None:
    counts = []
    for size, prefix in ((30, "small"), (400, "big")):
        client.force_login(synthetic_learner(size, prefix=prefix))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("roadmap:plan_stage", args=[1]), **HTMX)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# ---------------------------------------------------------------- the page's cache


def test_a_change_made_elsewhere_shows_on_the_next_load_of_a_cached_page(
    plan_learner: User, catalog: Catalog, client: Client
) -> None:
    get(client)  # cached now
    step_set_status(learner=plan_learner, kind="skill", item_id=catalog.git.pk, status=Status.DONE)
    assert pressed(get(client), "item-skill-git") == "done"


def test_a_cached_page_is_read_with_fewer_queries(plan_learner: User, client: Client) -> None:
    with CaptureQueriesContext(connection) as first:
        get(client)
    with CaptureQueriesContext(connection) as second:
        get(client)
    assert len(second) < len(first)


def test_each_load_of_a_cached_page_carries_a_working_csrf_token(plan_learner: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(plan_learner)
    get(client)
    html = get(client)  # from the cache
    form = re.search(
        r'action="(/plan/skill/git/status/)".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S
    )
    assert form is not None and "csrf-token" not in form.group(2)
    response = client.post(form.group(1), {"status": "done", "csrfmiddlewaretoken": form.group(2)})
    assert response.status_code == 302
    assert Progress.objects.get(learner=plan_learner, skill__slug="git").status == Status.DONE


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
)
def test_the_page_works_when_the_cache_cannot_be_reached(plan_learner: User, client: Client) -> None:
    assert 'id="item-skill-git"' in get(client)


def test_row_links_are_the_urls_django_reverses_and_none_for_a_slug_no_url_can_carry() -> None:
    assert row_url("roadmap:step", "course", "intro-to-ml_2") == reverse(
        "roadmap:step", args=["course", "intro-to-ml_2"]
    )
    assert row_url("roadmap:step_status", "skill", "git") == reverse(
        "roadmap:step_status", args=["skill", "git"]
    )
    assert row_url("roadmap:step", "skill", "c++") == ""


def test_the_unread_badge_counts_mentors_comments_not_mine_nor_those_i_have_read(
    plan_learner: User, catalog: Catalog, client: Client
) -> None:
    mentorship = ActiveMentorshipFactory(learner=plan_learner)
    git = progress_get_or_create(learner=plan_learner, kind="skill", item_id=catalog.git.pk)
    StepCommentFactory(progress=git, author=plan_learner)  # never read by a marker: mine all the same
    comment_add(progress=git, author=mentorship.mentor, body="Nice branch names")
    assert "1 unread comment from your mentors" in get(client)
    comments_mark_read(user=plan_learner, progress=git)
    assert "unread comment" not in get(client)
