"""Make it mine: steps of the learner's own, their own resource links, and all of it in the export,
kept across re-plans; why each step is there, on the step page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.data import learner_data
from accounts.models import User
from roadmap.models import EvidenceLink, OwnStep, PlanItem, Progress
from roadmap.services import (
    PlanError,
    evidence_add,
    own_step_add,
    plan_choose,
    plan_rebuild,
    stage_hide,
    step_include,
    step_move,
    step_set_status,
)
from tests.factories import UserFactory
from tests.plans import onboard, signed_in_learner
from tests.roadmap.fitting import FitCatalog, fit_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def fit() -> FitCatalog:
    return fit_catalog()


@pytest.fixture
def learner(fit: FitCatalog, client: Client) -> User:
    return signed_in_learner(client, fit.track)


def item(user: User, slug: str) -> PlanItem:
    rows = PlanItem.objects.filter(plan__learner=user).select_related("skill", "course", "certification")
    return next(row for row in rows if row.item.slug == slug)


def test_an_own_steps_status_menu_on_the_plan_offers_every_status(learner: User, client: Client) -> None:
    step = own_step_add(learner=learner, title="Read a book", hours=3)
    html = client.get(reverse("roadmap:plan")).content.decode()
    menu = html[html.index(f'id="own-status-{step.pk}"') :]
    menu = menu[: menu.index("</select>")]
    assert menu.count("<option") == 4
    assert '<option value="not_started" selected>Not started</option>' in menu
    assert '<option value="done">Done</option>' in menu


def test_a_learner_adds_a_step_of_their_own_private_by_default(
    fit: FitCatalog, learner: User, client: Client
) -> None:
    form_page = client.get(reverse("roadmap:own_step_add")).content.decode()
    assert "Add a step of your own" in form_page and fit.stages[1].title in form_page
    response = client.post(
        reverse("roadmap:own_step_add"),
        {
            "title": "Read Designing ML Systems",
            "url": "https://example.com/book",
            "hours": "15",
            "stage": fit.stages[1].pk,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "“Read Designing ML Systems” is in your plan." in html
    step = OwnStep.objects.get(learner=learner)
    assert (step.hours, step.stage, step.private) == (15, fit.stages[1], True)
    assert "Read Designing ML Systems" in client.get(reverse("roadmap:plan")).content.decode()
    response = client.post(
        reverse("roadmap:own_step_status", args=[step.pk]), {"status": "done"}, follow=True
    )
    assert "“Read Designing ML Systems”: done." in response.content.decode()
    step.refresh_from_db()
    assert step.status == Progress.Status.DONE and step.completed_at is not None


def test_bad_own_steps_are_refused_with_a_reason(fit: FitCatalog, learner: User, client: Client) -> None:
    other_stage = fit_catalog_other_stage()
    for data, reason in (
        ({"title": "", "hours": "5"}, "Title"),
        ({"title": "Book", "hours": "5000"}, "Hours"),
        ({"title": "Book", "hours": "5", "url": "javascript:alert(1)"}, "web address"),
        ({"title": "Book", "hours": "5", "stage": other_stage}, "Stage"),
    ):
        response = client.post(reverse("roadmap:own_step_add"), data)
        html = response.content.decode()
        assert response.status_code == 400
        assert "Your step was not added." in html and reason in html
        assert f'value="{data["title"]}"' in html or not data["title"]  # what was typed is kept
    assert not OwnStep.objects.exists()
    with pytest.raises(PlanError, match="web address"):
        own_step_add(learner=learner, title="Book", url="ftp://example.com")


def fit_catalog_other_stage() -> int:
    from tests.factories import StageFactory

    return StageFactory().pk


def test_someone_elses_own_step_is_404(learner: User, client: Client) -> None:
    other = UserFactory()
    step = OwnStep.objects.create(learner=other, title="Theirs")
    assert client.post(reverse("roadmap:own_step_remove", args=[step.pk])).status_code == 404
    assert OwnStep.objects.filter(pk=step.pk).exists()


def test_own_steps_links_and_changes_survive_every_replan_and_are_in_the_export(
    fit: FitCatalog, learner: User
) -> None:
    own_step_add(learner=learner, title="Side project", hours=20)
    evidence_add(
        learner=learner,
        item=item(learner, "python"),
        url="https://docs.python.org/3/tutorial/",
        kind=EvidenceLink.Kind.RESOURCE,
    )
    step_include(learner=learner, item=item(learner, "rust"), included=True)
    step_move(learner=learner, item=item(learner, "git"), earlier=True)
    stage_hide(learner=learner, stage=fit.stages[3], hidden=True)
    plan_choose(learner=learner, option=fit.gcp)
    onboard(learner, fit.track, hours=12)  # a profile change
    plan_rebuild(learner=learner)
    assert item(learner, "rust").lane == "scheduled"
    assert item(learner, "git").position < item(learner, "python").position
    assert item(learner, "communication").lane == "hidden"
    assert OwnStep.objects.filter(learner=learner, title="Side project").exists()
    assert EvidenceLink.objects.filter(progress__learner=learner, kind="resource").count() == 1
    exported = learner_data(user=learner)
    plan = exported["plan"]
    assert plan["own_steps"][0]["title"] == "Side project"
    assert plan["choices"] == [
        {"choice": "Cloud", "option": "Google Cloud", "chosen_at": plan["choices"][0]["chosen_at"]}
    ]
    assert plan["hidden_stages"][0]["stage"] == "Career"
    assert {p["slug"] for p in plan["step_preferences"] if p["included"]} == {"rust"}
    python = next(p for p in exported["progress"] if p["slug"] == "python")
    assert python["evidence"][0]["kind"] == "resource"


def test_the_step_page_says_why_the_step_is_there(fit: FitCatalog, learner: User, client: Client) -> None:
    html = client.get(reverse("roadmap:step", args=["skill", "python"])).content.decode()
    why = html[html.index('id="why"') :]
    why = why[: why.index("</section>")]
    assert "Foundation skill" in why
    assert "From ML Engineer track." in why
    assert "Needed by: ML course, Ml basics." in why


# ---------------------------------------------------------------- the page's stages and choices, kept per build


def test_after_a_status_change_the_page_keeps_its_stages_and_choices(
    fit: FitCatalog, learner: User, client: Client
) -> None:
    page = reverse("roadmap:plan")
    client.get(page)
    step_set_status(learner=learner, kind="skill", item_id=fit.skills["python"].pk, status="done")
    with CaptureQueriesContext(connection) as after_change:
        html = client.get(page).content.decode()
    plan_rebuild(learner=learner)  # moves the build: stages and choices are read again
    with CaptureQueriesContext(connection) as rebuilt:
        client.get(page)
    assert len(after_change) == len(rebuilt) - 2  # the stages and the choice groups
    assert f'value="{fit.pytorch.pk}" checked' in html and fit.stages[3].title in html


def test_a_hidden_stage_and_a_new_choice_show_on_the_next_load_of_the_page(
    fit: FitCatalog, learner: User, client: Client
) -> None:
    page = reverse("roadmap:plan")
    client.get(page)  # its data, stages and choices kept now
    stage_hide(learner=learner, stage=fit.stages[3], hidden=True)
    plan_choose(learner=learner, option=fit.gcp)
    html = client.get(page).content.decode()
    hidden = html[html.index('id="hidden-stages"') :]
    assert fit.stages[3].title in hidden[: hidden.index("</section>")]
    assert f'value="{fit.gcp.pk}" checked' in html and f'value="{fit.aws.pk}" checked' not in html


def test_a_renamed_option_shows_once_a_status_change_moves_the_page_data(
    fit: FitCatalog, learner: User, client: Client
) -> None:
    page = reverse("roadmap:plan")
    client.get(page)
    fit.gcp.title = "Google Cloud Platform"
    fit.gcp.save()  # a catalog edit: no rebuild
    step_set_status(learner=learner, kind="skill", item_id=fit.skills["python"].pk, status="done")
    assert "Google Cloud Platform" in client.get(page).content.decode()
