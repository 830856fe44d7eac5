"""The plan page: stages and rows, one-click status changes (htmx and plain POST), bars, next up, filters."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bench.plans import synthetic_learner
from mentoring.services import comment_add, comments_mark_read
from roadmap.models import PlanItem, Progress, ProgressEvent
from roadmap.selectors import Pace, plan_entries, plan_overview, row_url, summarise
from roadmap.services import progress_get_or_create, step_set_status
from tests.factories import ActiveMentorshipFactory, StepCommentFactory, UserFactory
from tests.plans import Catalog, onboard, sample_catalog

Status = Progress.Status
HTMX = {"HTTP_HX_REQUEST": "true"}
PLAN = "/plan/"


@pytest.fixture
def catalog(db: None) -> Catalog:
    return sample_catalog()


@pytest.fixture
def learner(catalog: Catalog, client: Client) -> User:
    user = UserFactory()
    onboard(user, catalog.core, catalog.nlp, hours=10)
    client.force_login(user)
    return user


def get(client: Client, url: str = PLAN, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def set_status(client: Client, slug: str, status: str, kind: str = "skill", **extra: str) -> str:
    url = reverse("roadmap:step_status", args=[kind, slug])
    return client.post(url, {"status": status}, **extra).content.decode()


def overall_percent(html: str) -> int:
    match = re.search(r'id="overall-percent">(\d+)%<', html)
    assert match
    return int(match.group(1))


def pressed(html: str, row_id: str) -> str:
    match = re.search(rf'id="{row_id}-(\w+)" class="[^"]*" aria-pressed="true"', html)
    assert match
    return match.group(1)


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>", start)]


# ---------------------------------------------------------------- access


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(PLAN)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_learner_without_a_plan_is_sent_to_onboarding(db: None, client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get(PLAN)["Location"] == reverse("roadmap:onboarding")


def test_a_step_outside_my_plan_cannot_be_changed(learner: User, client: Client) -> None:
    response = client.post(
        reverse("roadmap:step_status", args=["skill", "no-such-skill"]), {"status": "done"}
    )
    assert response.status_code == 404


def test_a_step_of_another_learners_plan_cannot_be_changed(catalog: Catalog, client: Client) -> None:
    other = UserFactory()
    onboard(other, catalog.nlp)
    me = UserFactory()
    onboard(me, catalog.core)  # no Transformers in my plan
    client.force_login(me)
    assert (
        client.post(
            reverse("roadmap:step_status", args=["skill", "transformers"]), {"status": "done"}
        ).status_code
        == 404
    )
    assert Progress.objects.get(learner=other, skill=catalog.transformers).status == Status.NOT_STARTED


def test_an_unknown_status_is_refused_with_a_message(learner: User, client: Client) -> None:
    response = client.post(
        reverse("roadmap:step_status", args=["skill", "git"]), {"status": "finished"}, follow=True
    )
    assert "Choose a status" in response.content.decode()
    assert not ProgressEvent.objects.exists()


def test_status_changes_need_a_post(learner: User, client: Client) -> None:
    assert client.get(reverse("roadmap:step_status", args=["skill", "git"])).status_code == 405


# ---------------------------------------------------------------- the page


def test_the_stage_in_progress_is_open_with_its_steps(learner: User, client: Client) -> None:
    html = get(client)
    assert '<details class="stage" id="stage-0" open>' in html
    assert 'id="item-skill-python"' in html and 'id="item-skill-numpy"' in html
    assert 'id="item-skill-pytorch"' not in html  # the next stage is collapsed


def test_other_stages_load_on_demand_with_a_link_without_javascript(learner: User, client: Client) -> None:
    html = get(client)
    assert 'hx-get="/plan/stages/1/" hx-trigger="toggle once"' in html
    assert 'href="?stage=1#stage-1"' in html
    assert 'id="item-skill-pytorch"' in get(client, stage="1")


def test_a_stage_loaded_by_htmx_is_just_its_rows(learner: User, client: Client) -> None:
    response = client.get(reverse("roadmap:plan_stage", args=[1]), **HTMX)
    html = response.content.decode()
    assert 'id="item-skill-pytorch"' in html and "<h1" not in html


def test_a_stage_url_without_htmx_redirects_to_the_page_with_it_open(learner: User, client: Client) -> None:
    response = client.get(reverse("roadmap:plan_stage", args=[1]))
    assert response["Location"] == "/plan/?stage=1#stage-1"


def test_when_a_stage_is_done_the_next_one_opens(learner: User, catalog: Catalog, client: Client) -> None:
    for skill in (catalog.python, catalog.git, catalog.linear_algebra, catalog.numpy):
        step_set_status(learner=learner, kind="skill", item_id=skill.pk, status=Status.DONE)
    assert '<details class="stage" id="stage-1" open>' in get(client)


def test_known_skills_are_shown_as_known(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    onboard(user, catalog.core, known=(catalog.python,))
    client.force_login(user)
    row = get(client).split('id="item-skill-python"')[1].split("</li>")[0]
    assert "You knew this already" in row


def plan_row(html: str, row_id: str) -> str:
    return html.split(f'id="{row_id}"')[1].split("</li>")[0]


def test_a_known_skill_and_what_it_needs_show_as_known_everywhere_with_no_week(
    catalog: Catalog, client: Client
) -> None:
    user = UserFactory()
    onboard(user, catalog.core, known=(catalog.numpy,))  # NumPy needs Python: Python is known too
    client.force_login(user)
    html = get(client)
    for slug in ("python", "numpy"):
        row = plan_row(html, f"item-skill-{slug}")
        assert "You knew this already" in row and "no time in your schedule" in row
        assert "week" not in row and "aria-pressed" not in row  # no "Not started", no status buttons
    assert "week 1" in plan_row(html, "item-skill-git")
    next_up = section(html, "next-up")
    assert "Git" in next_up and "Python" not in next_up and "NumPy" not in next_up
    step = client.get(reverse("roadmap:step", args=["skill", "python"])).content.decode()
    assert "You knew this already" in step and "Not started" not in step.split("</header>")[0]
    assert "week" not in step.split("</h1>")[0].split('class="eyebrow"')[1]
    graph = client.get(reverse("roadmap:map")).content.decode()
    assert re.search(r'class="map-node node-known" href="/plan/skill/python/"', graph)
    exported = client.get(reverse("accounts:data_download"))
    exported = json.loads(exported.content)
    python = next(i for i in exported["plan"]["items"] if i.get("slug") == "python")
    assert (python["known"], python["week"]) == (True, None)


def test_the_plan_projection_leaves_out_what_a_known_skill_needs(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    onboard(user, catalog.core, known=(catalog.numpy,), hours=10)
    client.force_login(user)
    # 180 hours less Python 20, NumPy 10 (known) and linear algebra 30 (not needed): 120 hours.
    assert "the 120 hours left take about 12 weeks" in section(get(client), "plan-progress")


def test_bars_per_stage_and_per_category_are_accessible_progress_elements(
    learner: User, client: Client
) -> None:
    progress = section(get(client), "plan-progress")
    assert 'aria-labelledby="stage-bar-0"' in progress and ">Foundations<" in progress
    assert "Mathematics and statistics" in progress
    assert '<progress class="bar bar-overall" max="100" value="0" aria-label="Overall progress">' in progress


def test_next_up_lists_open_steps_whose_prerequisites_are_done(learner: User, client: Client) -> None:
    next_up = section(get(client), "next-up")
    assert "Python" in next_up and "Git" in next_up and "Linear algebra" in next_up
    assert "NumPy" not in next_up  # needs Python and linear algebra first


def test_next_up_moves_on_when_prerequisites_are_done(
    learner: User, catalog: Catalog, client: Client
) -> None:
    for skill in (catalog.python, catalog.linear_algebra):
        step_set_status(learner=learner, kind="skill", item_id=skill.pk, status=Status.DONE)
    assert "NumPy" in section(get(client), "next-up")


def test_the_projected_finish_is_shown(learner: User, client: Client) -> None:
    # 210 open hours (180 core + 30 Transformers) at 10 a week: 21 weeks.
    finish = timezone.now().date() + dt.timedelta(weeks=21)
    assert f"you would finish around <strong>{finish:%-d %B %Y}</strong>" in get(client)


def test_a_target_date_that_cannot_be_met_shows_a_warning(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    onboard(user, catalog.core, hours=2, target=timezone.now().date() + dt.timedelta(weeks=4))
    client.force_login(user)
    assert 'id="target-warning"' in get(client)


def test_a_reachable_target_date_shows_no_warning(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    onboard(user, catalog.core, hours=40, target=timezone.now().date() + dt.timedelta(weeks=20))
    client.force_login(user)
    html = get(client)
    assert 'id="target-warning"' not in html and "in time for your target" in html


def test_certification_readiness_is_on_the_page(learner: User, catalog: Catalog, client: Client) -> None:
    step_set_status(learner=learner, kind="skill", item_id=catalog.numpy.pk, status=Status.DONE)
    readiness = section(get(client), "readiness")
    assert "ML Developer 2" in readiness and "1 of 2 skills" in readiness


def test_the_page_summary_read_with_aggregates_matches_the_one_from_every_row(db: None) -> None:
    user = synthetic_learner(120, prefix="mixed", done_share=0.2)
    statuses = [Status.SKIPPED, Status.IN_PROGRESS, Status.DONE, Status.NOT_STARTED]
    for i, progress in enumerate(Progress.objects.filter(learner=user).order_by("pk")[30:70]):
        step_set_status(
            learner=user, kind=progress.kind, item_id=progress.item_key[1], status=statuses[i % 4]
        )
    PlanItem.objects.filter(plan__learner=user, position__in=[40, 41, 90]).update(known=True)
    plan = user.plan
    pace = Pace.of(user.profile)
    assert plan_overview(plan, pace) == summarise(plan_entries(plan), pace)


# ---------------------------------------------------------------- filters


def test_hiding_done_steps_leaves_them_out(learner: User, client: Client) -> None:
    set_status(client, "git", "done")
    html = get(client, hide="done")
    assert 'id="item-skill-git"' not in html and 'id="item-skill-python"' in html


def test_hiding_skipped_steps_leaves_them_out(learner: User, client: Client) -> None:
    set_status(client, "git", "skipped")
    html = get(client, hide="skipped")
    assert 'id="item-skill-git"' not in html and 'id="item-skill-python"' in html


def test_filters_are_kept_on_the_lazy_stage_links(learner: User, client: Client) -> None:
    html = get(client, hide="done")
    assert 'hx-get="/plan/stages/1/?hide=done"' in html


# ---------------------------------------------------------------- one-click status changes


def test_without_javascript_a_status_change_redirects_back_to_the_step(learner: User, client: Client) -> None:
    response = client.post(reverse("roadmap:step_status", args=["skill", "git"]), {"status": "done"})
    assert response.status_code == 302
    assert response["Location"] == "/plan/?stage=0#item-skill-git"
    assert pressed(get(client), "item-skill-git") == "done"


def test_without_javascript_the_filters_survive_the_redirect(learner: User, client: Client) -> None:
    url = reverse("roadmap:step_status", args=["skill", "git"])
    response = client.post(url, {"status": "done", "hide": "skipped"})
    assert response["Location"] == "/plan/?stage=0&hide=skipped#item-skill-git"


def test_a_safe_next_address_is_followed_and_an_outside_one_ignored(learner: User, client: Client) -> None:
    url = reverse("roadmap:step_status", args=["skill", "git"])
    assert client.post(url, {"status": "done", "next": "/plan/?stage=1"})["Location"] == "/plan/?stage=1"
    assert client.post(url, {"status": "skipped", "next": "https://evil.example/"})["Location"].startswith(
        "/plan/"
    )


def test_with_htmx_the_response_is_the_row_and_out_of_band_updates(learner: User, client: Client) -> None:
    html = set_status(client, "git", "done", **HTMX)
    assert html.lstrip().startswith('<li class="plan-row status-done" id="item-skill-git"')
    assert (
        '<section id="plan-progress" class="panel" aria-labelledby="progress-heading" hx-swap-oob="true">'
        in html
    )
    assert '<section id="next-up" class="panel" aria-labelledby="next-up-heading" hx-swap-oob="true">' in html
    assert 'id="stage-count-0" hx-swap-oob="true">1 of 4 done' in html
    assert "<h1" not in html


def test_with_htmx_the_percentage_rises(learner: User, client: Client) -> None:
    before = overall_percent(get(client))
    after = overall_percent(set_status(client, "git", "done", **HTMX))
    assert after > before


def test_with_htmx_the_readiness_panel_is_told_to_refresh(learner: User, client: Client) -> None:
    response = client.post(
        reverse("roadmap:step_status", args=["skill", "numpy"]), {"status": "done"}, **HTMX
    )
    assert response["HX-Trigger"] == "plan-changed"
    assert "1 of 2 skills" in client.get(reverse("roadmap:plan_readiness"), **HTMX).content.decode()


def test_with_htmx_a_row_hidden_by_the_filter_disappears(learner: User, client: Client) -> None:
    html = client.post(
        reverse("roadmap:step_status", args=["skill", "git"]), {"status": "done", "hide": "done"}, **HTMX
    ).content.decode()
    assert 'id="item-skill-git"' not in html and 'id="plan-progress"' in html


def test_a_change_is_announced_to_screen_readers(learner: User, client: Client) -> None:
    html = set_status(client, "git", "in_progress", **HTMX)
    assert 'role="status" hx-swap-oob="true">Git: in progress.' in html


def test_a_status_change_kept_after_a_reload(learner: User, client: Client) -> None:
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
    learner: User, client: Client, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        set_status(client, "git", "done", **HTMX)


# Outside a test transaction, as in production: the service's atomic block is BEGIN/COMMIT, not savepoints.
@pytest.mark.django_db(transaction=True)
def test_a_status_change_without_javascript_needs_at_most_eight_queries(
    learner: User, client: Client, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(8):  # type: ignore[operator]
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
    learner: User, catalog: Catalog, client: Client
) -> None:
    get(client)  # cached now
    step_set_status(learner=learner, kind="skill", item_id=catalog.git.pk, status=Status.DONE)
    assert pressed(get(client), "item-skill-git") == "done"


def test_a_cached_page_is_read_with_fewer_queries(learner: User, client: Client) -> None:
    with CaptureQueriesContext(connection) as first:
        get(client)
    with CaptureQueriesContext(connection) as second:
        get(client)
    assert len(second) < len(first)


def test_each_load_of_a_cached_page_carries_a_working_csrf_token(learner: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    get(client)
    html = get(client)  # from the cache
    form = re.search(
        r'action="(/plan/skill/git/status/)".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S
    )
    assert form is not None and "csrf-token" not in form.group(2)
    response = client.post(form.group(1), {"status": "done", "csrfmiddlewaretoken": form.group(2)})
    assert response.status_code == 302
    assert Progress.objects.get(learner=learner, skill__slug="git").status == Status.DONE


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
)
def test_the_page_works_when_the_cache_cannot_be_reached(learner: User, client: Client) -> None:
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
    learner: User, catalog: Catalog, client: Client
) -> None:
    mentorship = ActiveMentorshipFactory(learner=learner)
    git = progress_get_or_create(learner=learner, kind="skill", item_id=catalog.git.pk)
    StepCommentFactory(progress=git, author=learner)  # never read by a marker: mine all the same
    comment_add(progress=git, author=mentorship.mentor, body="Nice branch names")
    assert "1 unread comment from your mentors" in get(client)
    comments_mark_read(user=learner, progress=git)
    assert "unread comment" not in get(client)
