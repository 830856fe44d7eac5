"""The plan page: who may see it, stages and rows, known skills, bars, next up, projections, filters."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from roadmap.models import Progress, ProgressEvent
from roadmap.services import step_set_status
from tests.factories import UserFactory
from tests.plans import Catalog, onboard
from tests.roadmap.plan_page import HTMX, PLAN, Status, get, section, set_status


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(PLAN)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_learner_without_a_plan_is_sent_to_onboarding(db: None, client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get(PLAN)["Location"] == reverse("roadmap:onboarding")


def test_a_step_outside_my_plan_cannot_be_changed(plan_learner: User, client: Client) -> None:
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


def test_an_unknown_status_is_refused_with_a_message(plan_learner: User, client: Client) -> None:
    response = client.post(
        reverse("roadmap:step_status", args=["skill", "git"]), {"status": "finished"}, follow=True
    )
    assert "Choose a status" in response.content.decode()
    assert not ProgressEvent.objects.exists()


def test_status_changes_need_a_post(plan_learner: User, client: Client) -> None:
    assert client.get(reverse("roadmap:step_status", args=["skill", "git"])).status_code == 405


# ---------------------------------------------------------------- the page


def test_the_stage_in_progress_is_open_with_its_steps(plan_learner: User, client: Client) -> None:
    html = get(client)
    assert '<details class="stage" id="stage-0" open>' in html
    assert 'id="item-skill-python"' in html and 'id="item-skill-numpy"' in html
    assert 'id="item-skill-pytorch"' not in html  # the next stage is collapsed


def test_other_stages_load_on_demand_with_a_link_without_javascript(
    plan_learner: User, client: Client
) -> None:
    html = get(client)
    assert 'hx-get="/plan/stages/1/" hx-trigger="toggle once"' in html
    assert 'href="?stage=1#stage-1"' in html
    assert 'id="item-skill-pytorch"' in get(client, stage="1")


def test_a_stage_loaded_by_htmx_is_just_its_rows(plan_learner: User, client: Client) -> None:
    response = client.get(reverse("roadmap:plan_stage", args=[1]), **HTMX)
    html = response.content.decode()
    assert 'id="item-skill-pytorch"' in html and "<h1" not in html


def test_a_stage_url_without_htmx_redirects_to_the_page_with_it_open(
    plan_learner: User, client: Client
) -> None:
    response = client.get(reverse("roadmap:plan_stage", args=[1]))
    assert response["Location"] == "/plan/?stage=1#stage-1"


def test_when_a_stage_is_done_the_next_one_opens(
    plan_learner: User, catalog: Catalog, client: Client
) -> None:
    for skill in (catalog.python, catalog.git, catalog.linear_algebra, catalog.numpy):
        step_set_status(learner=plan_learner, kind="skill", item_id=skill.pk, status=Status.DONE)
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
    # 120 required hours less Python 20, NumPy 10 (known) and linear algebra 30 (not needed): 60 hours.
    assert "the 60 hours left take about 6 weeks" in section(get(client), "plan-progress")


def test_bars_per_stage_and_per_category_are_accessible_progress_elements(
    plan_learner: User, client: Client
) -> None:
    progress = section(get(client), "plan-progress")
    assert 'aria-labelledby="stage-bar-0"' in progress and ">Foundations<" in progress
    assert "Mathematics and statistics" in progress
    assert '<progress class="bar bar-overall" max="100" value="0" aria-label="Overall progress">' in progress


def test_next_up_lists_open_steps_whose_prerequisites_are_done(plan_learner: User, client: Client) -> None:
    next_up = section(get(client), "next-up")
    assert "Python" in next_up and "Git" in next_up and "Linear algebra" in next_up
    assert "NumPy" not in next_up  # needs Python and linear algebra first


def test_next_up_moves_on_when_prerequisites_are_done(
    plan_learner: User, catalog: Catalog, client: Client
) -> None:
    for skill in (catalog.python, catalog.linear_algebra):
        step_set_status(learner=plan_learner, kind="skill", item_id=skill.pk, status=Status.DONE)
    assert "NumPy" in section(get(client), "next-up")


def test_the_projected_finish_is_shown(plan_learner: User, client: Client) -> None:
    # 150 required hours (120 core, PyTorch's inside its course, + 30 Transformers) at 10 a week: 15 weeks.
    finish = timezone.now().date() + dt.timedelta(weeks=15)
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


def test_certification_readiness_is_on_the_page(plan_learner: User, catalog: Catalog, client: Client) -> None:
    step_set_status(learner=plan_learner, kind="skill", item_id=catalog.numpy.pk, status=Status.DONE)
    readiness = section(get(client), "readiness")
    assert "ML Developer 2" in readiness and "1 of 2 skills" in readiness


# ---------------------------------------------------------------- filters


def test_hiding_done_steps_leaves_them_out(plan_learner: User, client: Client) -> None:
    set_status(client, "git", "done")
    html = get(client, hide="done")
    assert 'id="item-skill-git"' not in html and 'id="item-skill-python"' in html


def test_hiding_skipped_steps_leaves_them_out(plan_learner: User, client: Client) -> None:
    set_status(client, "git", "skipped")
    html = get(client, hide="skipped")
    assert 'id="item-skill-git"' not in html and 'id="item-skill-python"' in html


def test_filters_are_kept_on_the_lazy_stage_links(plan_learner: User, client: Client) -> None:
    html = get(client, hide="done")
    assert 'hx-get="/plan/stages/1/?hide=done"' in html
