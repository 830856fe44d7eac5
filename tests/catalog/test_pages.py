"""The public catalog pages: home, tracks, skills, courses, certifications and project ideas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Category, ChoiceGroup, Deliverable, Tier
from tests.catalog.catalog_pages import build_track, page
from tests.factories import (
    CertificationFactory,
    CourseFactory,
    DatasetFactory,
    ProjectIdeaFactory,
    SkillFactory,
    StageFactory,
    StepFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_home_lists_tracks_core_first_with_steps_and_hours(client: Client) -> None:
    specialisation = TrackFactory(name="Computer Vision", order=0)
    core = TrackFactory(name="ML Engineer", is_core=True, order=5)
    StepFactory(stage=StageFactory(track=core), skill=SkillFactory(estimated_hours=30))
    StepFactory(stage=StageFactory(track=core), skill=None, course=CourseFactory(hours=12))
    StepFactory(stage=StageFactory(track=specialisation))

    html = page(client, "home")

    assert html.index("ML Engineer") < html.index("Computer Vision")
    core_card = html[html.index("ML Engineer") : html.index("Computer Vision")]
    assert "<dt>Steps</dt><dd>2</dd>" in core_card
    assert "<dt>Hours</dt><dd>42</dd>" in core_card


def test_home_invites_visitors_to_sign_up(client: Client) -> None:
    html = page(client, "home")

    assert reverse("accounts:signup") in html
    assert reverse("catalog:skill_list") in html
    assert reverse("catalog:project_list") in html


def test_home_sends_a_logged_in_learner_to_their_plan(client: Client) -> None:
    client.force_login(UserFactory())

    html = page(client, "home")

    assert "Build my roadmap" not in html
    assert f'href="{reverse("roadmap:plan")}">Go to my plan</a>' in html


def test_home_counts_catalog_items(client: Client) -> None:
    SkillFactory.create_batch(3)
    CertificationFactory(status="retired", retired_on=dt.date(2023, 5, 1))
    CertificationFactory()

    html = page(client, "home")

    assert '<span class="count">3</span> skills' in html
    assert '<span class="count">1</span> active certifications' in html


@pytest.mark.parametrize("name", ["home", "catalog:track_list"])
def test_track_overview_query_count_does_not_grow_with_tracks(
    client: Client, django_assert_num_queries: Callable[..., Any], name: str
) -> None:
    StepFactory()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(name))
    for _ in range(6):
        StepFactory.create_batch(3, stage=StageFactory())

    with django_assert_num_queries(len(one)):
        client.get(reverse(name))


def test_track_list_shows_every_track(client: Client) -> None:
    TrackFactory(name="NLP & LLMs")
    TrackFactory(name="MLOps & Deployment")

    html = page(client, "catalog:track_list")

    assert "NLP &amp; LLMs" in html
    assert "MLOps &amp; Deployment" in html


def test_track_page_shows_stages_in_order_with_their_steps(client: Client) -> None:
    track = TrackFactory()
    later = StageFactory(track=track, order=2, title="Ship models")
    first = StageFactory(track=track, order=1, title="Foundations")
    StepFactory(stage=first, skill=SkillFactory(name="Python"))
    StepFactory(stage=later, skill=None, project=ProjectIdeaFactory(title="Serve a model"))

    html = page(client, "catalog:track", track.slug)

    assert html.index("Foundations") < html.index("Ship models")
    assert html.index("Python") < html.index("Serve a model")


def test_track_page_links_every_step_to_its_item_page(client: Client) -> None:
    track = build_track(4)

    html = page(client, "catalog:track", track.slug)

    for prefix in ("/skills/", "/courses/", "/certifications/", "/projects/"):
        assert f'class="step-link" href="{prefix}' in html


def test_track_page_sums_hours_per_stage_and_in_total(client: Client) -> None:
    track = TrackFactory()
    stage = StageFactory(track=track, order=1)
    StepFactory(stage=stage, skill=SkillFactory(estimated_hours=15))
    StepFactory(stage=stage, skill=None, course=CourseFactory(hours=25), optional=True)
    StepFactory(stage=StageFactory(track=track, order=2), skill=None, project=ProjectIdeaFactory(hours=60))

    html = page(client, "catalog:track", track.slug)

    assert "40 hours" in html
    assert "(25 optional)" in html
    assert "<dt>Total hours</dt><dd>100</dd>" in html


def test_track_page_marks_optional_steps_and_retired_certifications(client: Client) -> None:
    track = build_track(3)

    html = page(client, "catalog:track", track.slug)

    assert "Optional</span>" in html
    assert "Retired Jan 2024" in html
    assert "instead." in html


def test_unknown_track_is_404(client: Client) -> None:
    assert client.get(reverse("catalog:track", args=["no-such-track"])).status_code == 404


@pytest.mark.parametrize("steps", [10, 300])
def test_track_page_query_count_does_not_grow_with_steps(
    client: Client, django_assert_num_queries: Callable[..., Any], steps: int
) -> None:
    track = build_track(steps)
    for stage in track.stages.all():
        group = ChoiceGroup.objects.create(stage=stage, slug="framework", title="Framework")
        group.options.create(slug="pytorch", title="PyTorch", is_default=True)
        group.options.create(slug="tensorflow", title="TensorFlow")

    # Track, its stages, their steps with every item joined, choice groups, their options: 5 whatever the size.
    with django_assert_num_queries(5):
        response = client.get(reverse("catalog:track", args=[track.slug]))

    assert response.content.decode().count('class="step-link"') == steps


def test_track_page_shows_choices_and_counts_only_the_proposed_options_hours(client: Client) -> None:
    track = TrackFactory(name="Core")
    stage = StageFactory(track=track, order=1)
    group = ChoiceGroup.objects.create(
        stage=stage, slug="cloud", title="Cloud platform", description="Pick one."
    )
    aws = group.options.create(slug="aws", title="AWS", is_default=True)
    azure = group.options.create(slug="azure", title="Azure")
    StepFactory(stage=stage, order=1, skill=SkillFactory(name="Cloud basics", estimated_hours=10))
    StepFactory(
        stage=stage, order=2, skill=SkillFactory(name="Amazon SageMaker AI", estimated_hours=20), option=aws
    )
    StepFactory(
        stage=stage,
        order=3,
        skill=SkillFactory(name="Azure Machine Learning", estimated_hours=25),
        option=azure,
    )

    html = page(client, "catalog:track", track.slug)

    assert "Pick one — Cloud platform:" in html and "AWS (proposed), Azure." in html
    assert "Proposed choice: AWS" in html and "Alternative: Azure" in html
    assert "30 hours" in html  # 10 + 20: Azure's 25 hours are an alternative, not extra
    assert "55 hours" not in html
    assert "<dd>30</dd>" in page(client, "catalog:track_list")


# ---------------------------------------------------------------- skill page


def rich_skill() -> Any:
    skill = SkillFactory(
        name="PyTorch",
        category=Category.FRAMEWORKS,
        tier=Tier.ESSENTIAL,
        share_low="35",
        share_high="40",
        entry_share_low="40",
        entry_share_high="40",
        estimated_hours=60,
        description="The deep learning framework most postings ask for.",
    )
    skill.prerequisites.add(SkillFactory(name="Python"), SkillFactory(name="Linear algebra"))
    SkillFactory(name="Distributed training").prerequisites.add(skill)
    CourseFactory(title="Deep Learning with PyTorch").skills.add(skill)
    successor = CertificationFactory(name="New ML Engineer Exam")
    CertificationFactory(name="Current PyTorch Exam").skills_validated.add(skill)
    retired = CertificationFactory(
        name="Old TensorFlow Exam", status="retired", retired_on=dt.date(2024, 5, 31), successor=successor
    )
    retired.skills_validated.add(skill)
    ProjectIdeaFactory(title="Image classifier").skills.add(skill)
    StepFactory(stage=StageFactory(track=TrackFactory(name="Computer Vision")), skill=skill)
    return skill


def test_skill_page_shows_facts_and_everything_linked_to_the_skill(client: Client) -> None:
    skill = rich_skill()

    html = page(client, "catalog:skill", skill.slug)

    for text in (
        "The deep learning framework most postings ask for.",
        "Frameworks and libraries",
        "Essential",
        "35-40% of ML-engineer job postings; about 40% at entry level",
        "60 hours",
        "Python",
        "Linear algebra",
        "Distributed training",
        "Deep Learning with PyTorch",
        "Current PyTorch Exam",
        "Image classifier",
        "Computer Vision",
    ):
        assert text in html, text


def test_skill_page_flags_retired_certification_and_links_its_successor(client: Client) -> None:
    skill = rich_skill()

    html = page(client, "catalog:skill", skill.slug)

    retired_box = html[html.index("Retired — do not book these exams") :]
    assert "Old TensorFlow Exam" in retired_box
    assert "New ML Engineer Exam" in retired_box
    recommended = html[html.index('id="certs-heading"') : html.index("Retired — do not book")]
    assert "Old TensorFlow Exam" not in recommended


def test_skill_page_query_count_is_fixed(
    client: Client, django_assert_num_queries: Callable[..., Any]
) -> None:
    small = rich_skill()
    big = SkillFactory()
    for _ in range(8):
        big.prerequisites.add(SkillFactory())
        CourseFactory().skills.add(big)
        CertificationFactory().skills_validated.add(big)
        ProjectIdeaFactory().skills.add(big)
        StepFactory(stage=StageFactory(), skill=big)

    with CaptureQueriesContext(connection) as small_queries:
        client.get(reverse("catalog:skill", args=[small.slug]))
    with django_assert_num_queries(len(small_queries)):
        client.get(reverse("catalog:skill", args=[big.slug]))


def test_unknown_skill_is_404(client: Client) -> None:
    assert client.get(reverse("catalog:skill", args=["no-such-skill"])).status_code == 404


# ---------------------------------------------------------------- course, certification, project pages


def test_course_page_links_out_to_the_provider(client: Client) -> None:
    course = CourseFactory(url="https://www.coursera.org/learn/machine-learning", provider="Coursera")
    course.skills.add(SkillFactory(name="Regression"))

    html = page(client, "catalog:course", course.slug)

    assert 'href="https://www.coursera.org/learn/machine-learning" rel="external noopener noreferrer"' in html
    assert "Regression" in html


def test_retired_certification_page_names_its_successor(client: Client) -> None:
    successor = CertificationFactory(name="Azure AI Engineer Associate")
    retired = CertificationFactory(status="retired", retired_on=dt.date(2023, 6, 30), successor=successor)

    html = page(client, "catalog:certification", retired.slug)

    assert "This certification was retired on 30 June 2023" in html
    assert successor.get_absolute_url() in html
    assert retired.url not in html


def test_project_page_shows_deliverables_datasets_and_skills(client: Client) -> None:
    project = ProjectIdeaFactory(title="Sentiment API")
    Deliverable.objects.create(project=project, order=1, text="A README with results")
    Deliverable.objects.create(project=project, order=2, text="A Dockerfile that serves the model")
    project.datasets.add(
        DatasetFactory(name="IMDB reviews", url="https://ai.stanford.edu/~amaas/data/sentiment/")
    )
    project.skills.add(SkillFactory(name="Transformers"))

    html = page(client, "catalog:project", project.slug)

    assert html.index("A README with results") < html.index("A Dockerfile that serves the model")
    assert 'href="https://ai.stanford.edu/~amaas/data/sentiment/"' in html
    assert "Transformers" in html


@pytest.mark.parametrize("name", ["catalog:course", "catalog:certification", "catalog:project"])
def test_unknown_item_is_404(client: Client, name: str) -> None:
    assert client.get(reverse(name, args=["missing"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "factory"),
    [
        ("catalog:course", CourseFactory),
        ("catalog:certification", CertificationFactory),
        ("catalog:project", ProjectIdeaFactory),
    ],
)
def test_item_page_query_count_is_fixed(
    client: Client, django_assert_num_queries: Callable[..., Any], name: str, factory: Any
) -> None:
    item = factory()
    with CaptureQueriesContext(connection) as empty:
        client.get(reverse(name, args=[item.slug]))
    full = factory()
    for _ in range(5):
        skill = SkillFactory()
        getattr(full, "skills" if name != "catalog:certification" else "skills_validated").add(skill)

    with django_assert_num_queries(len(empty)):
        client.get(reverse(name, args=[full.slug]))


def test_track_page_data_is_kept_until_the_catalog_changes(
    client: Client, django_assert_num_queries: Callable[..., Any]
) -> None:
    track = TrackFactory()
    skill = SkillFactory(name="Python")
    StepFactory(stage=StageFactory(track=track, order=1), skill=skill)
    assert "Python" in page(client, "catalog:track", track.slug)

    # The stages and steps are kept: the next visitor's view reads the track only.
    with django_assert_num_queries(1):
        client.get(reverse("catalog:track", args=[track.slug]))

    # An editor's change shows on the next view.
    skill.name = "Python for data work"
    skill.save()
    assert "Python for data work" in page(client, "catalog:track", track.slug)
