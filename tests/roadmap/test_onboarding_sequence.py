"""Onboarding as a short sequence of screens: one question a screen, Back keeps the answers, the
background proposes known skills, the choices of the tracks, a live preview, nothing saved until the end."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Profile, User
from roadmap.models import Plan, PlanChoice, PlanItem
from tests.factories import UserFactory
from tests.roadmap.fitting import REQUIRED_HOURS, FitCatalog, fit_catalog_with_background

ONBOARDING = reverse("roadmap:onboarding")
PREVIEW = reverse("roadmap:onboarding_preview")
pytestmark = pytest.mark.django_db


@pytest.fixture
def fit() -> FitCatalog:
    return fit_catalog_with_background()


@pytest.fixture
def newcomer(client: Client) -> User:
    user = UserFactory()
    client.force_login(user)
    return user


def hidden_and_checked(html: str) -> dict[str, list[str]]:
    """What the screen would post as it stands: hidden fields, ticked boxes and radios."""
    found: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not (name and value and kind) or name.group(1) == "csrfmiddlewaretoken":
            continue
        if kind.group(1) == "hidden" or (kind.group(1) in ("checkbox", "radio") and " checked" in tag):
            found.setdefault(name.group(1), []).append(value.group(1))
    return found


def step(client: Client, html: str, go: str = "next", **answers: Any) -> str:
    data: dict[str, Any] = hidden_and_checked(html) | answers
    response = client.post(ONBOARDING, data | {"go": go})
    assert response.status_code in (200, 302)
    return response.content.decode() if response.status_code == 200 else response["Location"]


def test_the_sequence_goes_screen_by_screen_and_saves_only_at_the_end(
    fit: FitCatalog, newcomer: User, client: Client
) -> None:
    html = client.get(ONBOARDING).content.decode()
    assert "Step 1 of 5: Where you start" in html
    html = step(client, html, background="software_engineer")
    assert "Step 2 of 5: Where you are going" in html
    html = step(client, html)  # the core track, ticked for a newcomer
    assert "Step 3 of 5: Your choices" in html and "Deep-learning framework" in html
    html = step(client, html, **{f"option-{fit.framework.pk}": str(fit.tensorflow.pk)})
    assert "Step 4 of 5: What you know already" in html
    assert not Profile.objects.filter(user=newcomer, onboarded_at__isnull=False).exists()
    assert not Plan.objects.filter(learner=newcomer).exists()
    # The background's proposal comes ticked, for the learner to confirm.
    ticked = hidden_and_checked(html)["known_skills"]
    assert sorted(ticked) == sorted([str(fit.skills["python"].pk), str(fit.skills["git"].pk)])
    html = step(client, html)
    assert "Step 5 of 5: Your pace" in html
    location = step(client, html, hours_per_week="10", time_zone="Europe/Paris", target_date="")
    assert location == reverse("roadmap:plan")
    slugs = {
        i.item.slug
        for i in PlanItem.objects.filter(plan__learner=newcomer).select_related(
            "skill", "course", "certification"
        )
    }
    assert "tensorflow" in slugs and "pytorch" not in slugs
    assert PlanChoice.objects.get(learner=newcomer, group=fit.framework).option == fit.tensorflow
    profile = Profile.objects.get(user=newcomer)
    assert set(profile.known_skills.values_list("slug", flat=True)) == {"python", "git"}


def test_back_keeps_the_answers(fit: FitCatalog, newcomer: User, client: Client) -> None:
    html = client.get(ONBOARDING).content.decode()
    html = step(client, html, background="student")
    html = step(client, html, go="back")
    assert "Step 1 of 5" in html
    assert re.search(r'value="student"[^>]*checked', html)


def test_a_refused_answer_stays_on_its_screen_with_the_reason(
    fit: FitCatalog, newcomer: User, client: Client
) -> None:
    html = client.get(ONBOARDING).content.decode()
    html = step(client, html, background="software_engineer")
    html = step(client, html, tracks=[])
    assert "Step 2 of 5" in html and "Choose at least one track." in html


def test_unticking_a_proposed_skill_is_respected(fit: FitCatalog, newcomer: User, client: Client) -> None:
    html = client.get(ONBOARDING).content.decode()
    for answers in ({"background": "software_engineer"}, {}, {}):
        html = step(client, html, **answers)
    html = step(client, html, known_skills=[str(fit.skills["git"].pk)])  # python unticked
    html = step(client, html, go="back")
    assert hidden_and_checked(html)["known_skills"] == [str(fit.skills["git"].pk)]


def test_the_preview_shows_the_plan_size_and_finish_as_the_learner_answers(
    fit: FitCatalog, newcomer: User, client: Client, django_assert_max_num_queries: Any
) -> None:
    params = {"tracks": [fit.track.pk], "hours_per_week": "10", "time_zone": "UTC"}
    client.get(PREVIEW, params)  # the catalog's graph is read once, then cached until content changes
    with django_assert_max_num_queries(10):
        html = client.get(PREVIEW, params, HTTP_HX_REQUEST="true").content.decode()
    assert f"{REQUIRED_HOURS} hours</strong> of required study (+50 h optional)" in html
    finish = dt.date.today() + dt.timedelta(weeks=-(-REQUIRED_HOURS // 10))
    assert f"{finish:%-d %B %Y}" in html
    known = client.get(PREVIEW, params | {"known_skills": [fit.skills["python"].pk]}).content.decode()
    assert f"{REQUIRED_HOURS - 20} hours" in known
    late = client.get(
        PREVIEW, params | {"target_date": (dt.date.today() + dt.timedelta(weeks=4)).isoformat()}
    )
    assert "after your target date" in late.content.decode()


def test_changing_the_background_later_proposes_without_overwriting(
    fit: FitCatalog, newcomer: User, client: Client
) -> None:
    from roadmap.services import goals_save

    goals_save(
        user=newcomer,
        background="student",
        tracks=[fit.track],
        known_skills=[fit.skills["git"]],
        hours_per_week=6,
        target_date=None,
        time_zone="UTC",
    )
    answers = {
        "background": "software_engineer",
        "tracks": [fit.track.pk],
        "known_skills": [fit.skills["git"].pk],
        "hours_per_week": "6",
        "time_zone": "UTC",
        "target_date": "",
    }
    html = client.post(reverse("roadmap:settings"), answers, follow=True).content.decode()
    assert "As a software engineer you may know these already: Python." in html
    known = Profile.objects.get(user=newcomer).known_skills.values_list("slug", flat=True)
    assert list(known) == ["git"]
