"""The public catalog lists: filters, search (PostgreSQL full-text search too), pagination, htmx
fragments and query counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Category, Cost, Level, Tier
from tests.catalog.catalog_pages import page
from tests.factories import CertificationFactory, CourseFactory, ProjectIdeaFactory, SkillFactory

pytestmark = pytest.mark.django_db


def test_skill_list_filters_by_category_and_tier(client: Client) -> None:
    SkillFactory(name="Docker", category=Category.DATA_MLOPS, tier=Tier.ESSENTIAL)
    SkillFactory(name="Kubeflow", category=Category.DATA_MLOPS, tier=Tier.SPECIALISED)
    SkillFactory(name="Calculus", category=Category.MATHEMATICS, tier=Tier.ESSENTIAL)

    html = page(client, "catalog:skill_list", category="data_mlops", tier="essential")

    assert "Docker" in html
    assert "Kubeflow" not in html
    assert "Calculus" not in html


def test_course_list_filters_by_cost_level_and_format(client: Client) -> None:
    CourseFactory(title="Free Beginner Video", cost=Cost.FREE, level=Level.BEGINNER, format="video")
    CourseFactory(title="Paid Beginner Video", cost=Cost.PAID, level=Level.BEGINNER, format="video")
    CourseFactory(title="Free Advanced Video", cost=Cost.FREE, level=Level.ADVANCED, format="video")
    CourseFactory(title="Free Beginner Book", cost=Cost.FREE, level=Level.BEGINNER, format="book")

    html = page(client, "catalog:course_list", cost="free", level="beginner", format="video")

    assert "Free Beginner Video" in html
    for other in ("Paid Beginner Video", "Free Advanced Video", "Free Beginner Book"):
        assert other not in html


def test_certification_list_hides_retired_exams_by_default(client: Client) -> None:
    CertificationFactory(name="Active Exam")
    CertificationFactory(name="Retired Exam", status="retired", retired_on=dt.date(2024, 1, 31))

    html = page(client, "catalog:certification_list")

    assert "Active Exam" in html
    assert "Retired Exam" not in html
    assert "1 retired certification is hidden" in html


def test_certification_list_shows_retired_exams_labelled_when_asked(client: Client) -> None:
    successor = CertificationFactory(name="Successor Exam")
    CertificationFactory(
        name="Retired Exam", status="retired", retired_on=dt.date(2024, 1, 31), successor=successor
    )

    html = page(client, "catalog:certification_list", status="retired")

    assert "Retired Exam" in html
    assert "Retired Jan 2024" in html
    assert successor.get_absolute_url() in html


def test_certification_list_filters_by_cost_and_level(client: Client) -> None:
    CertificationFactory(name="Cheap Entry", cost=Cost.FREE, level=Level.BEGINNER)
    CertificationFactory(name="Pricey Pro", cost=Cost.PAID, level=Level.ADVANCED)

    html = page(client, "catalog:certification_list", cost="paid", level="advanced")

    assert "Pricey Pro" in html
    assert "Cheap Entry" not in html


def test_project_list_filters_by_difficulty_and_skill_area(client: Client) -> None:
    vision = SkillFactory(category=Category.COMPUTER_VISION)
    other_vision = SkillFactory(category=Category.COMPUTER_VISION)
    language = SkillFactory(category=Category.NLP_LLMS)
    detector = ProjectIdeaFactory(title="Object detector", difficulty=Level.ADVANCED)
    detector.skills.add(vision, other_vision)
    ProjectIdeaFactory(title="Chat bot", difficulty=Level.ADVANCED).skills.add(language)
    ProjectIdeaFactory(title="Digit classifier", difficulty=Level.BEGINNER).skills.add(vision)

    html = page(client, "catalog:project_list", difficulty="advanced", skill_category="computer_vision")

    assert html.count("Object detector") == 1
    assert "Chat bot" not in html
    assert "Digit classifier" not in html


def test_search_finds_skills_by_name(client: Client) -> None:
    SkillFactory(name="Kubernetes", description="Container orchestration.")
    SkillFactory(name="Statistics", description="Probability and inference.")

    html = page(client, "catalog:skill_list", q="kubernetes")

    assert "Kubernetes" in html
    assert "Statistics" not in html


def test_search_finds_a_skill_by_an_older_name_or_alias(client: Client) -> None:
    SkillFactory(name="Azure Machine Learning", description="Microsoft's managed service.").aliases.create(
        name="Azure ML"
    )
    SkillFactory(name="Vertex AI", description="Google's managed service.").aliases.create(
        name="Google Cloud AI Platform"
    )

    assert "Azure Machine Learning" in page(client, "catalog:skill_list", q="Azure ML")
    html = page(client, "catalog:skill_list", q="ai platform")
    assert "Vertex AI" in html
    assert "Azure Machine Learning" not in html


def test_search_finds_courses_by_provider(client: Client) -> None:
    CourseFactory(title="Practical Deep Learning", provider="fast.ai")
    CourseFactory(title="Machine Learning Specialization", provider="DeepLearning.AI")

    html = page(client, "catalog:course_list", q="fast.ai")

    assert "Practical Deep Learning" in html
    assert "Machine Learning Specialization" not in html


def test_search_with_no_match_shows_empty_state_with_clear_link(client: Client) -> None:
    CourseFactory(title="Practical Deep Learning")

    html = page(client, "catalog:course_list", q="quantum knitting", cost="free")

    assert "No courses match “quantum knitting” with these filters." in html
    assert f'<a href="{reverse("catalog:course_list")}">clear filters</a>' in html


def test_list_paginates_twenty_per_page_and_keeps_filters_in_page_links(client: Client) -> None:
    for i in range(45):
        SkillFactory(name=f"Data skill {i:02}", category=Category.DATA_MLOPS)
    SkillFactory(name="Off-topic skill", category=Category.SOFT_SKILLS)

    first = page(client, "catalog:skill_list", category="data_mlops")
    third = page(client, "catalog:skill_list", category="data_mlops", page="3")

    assert first.count('class="card-link"') == 20
    assert "1\N{EN DASH}20 of 45 skills" in first
    assert 'href="?category=data_mlops&amp;page=2"' in first
    assert third.count('class="card-link"') == 5
    assert "Off-topic skill" not in third


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("catalog:skill_list", {"category": "astrology", "tier": "<script>", "page": "-1"}),
        ("catalog:course_list", {"cost": "cheap", "level": "x" * 500, "format": "", "page": "abc"}),
        ("catalog:certification_list", {"status": "zombie", "cost": "1", "page": "99999"}),
        ("catalog:project_list", {"difficulty": "impossible", "skill_category": "🙂", "q": "x" * 300}),
    ],
)
def test_invalid_filter_values_are_ignored_not_a_server_error(
    client: Client, name: str, params: dict[str, str]
) -> None:
    SkillFactory()
    CourseFactory()
    CertificationFactory()
    ProjectIdeaFactory()

    html = page(client, name, **params)

    assert "We ignored a filter we did not understand" in html


def test_search_with_a_nul_character_is_refused_with_a_message_not_a_server_error(client: Client) -> None:
    SkillFactory(name="Kubernetes")

    response = client.get(reverse("catalog:skill_list"), {"q": "kube\x00rnetes"})

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_invalid_filter_is_ignored_while_valid_ones_still_apply(client: Client) -> None:
    CourseFactory(title="Free course", cost=Cost.FREE)
    CourseFactory(title="Paid course", cost=Cost.PAID)

    html = page(client, "catalog:course_list", cost="free", level="wizard")

    assert "Free course" in html
    assert "Paid course" not in html
    assert "(Level)" in html


def test_htmx_filtering_returns_only_the_results_fragment(client: Client) -> None:
    CourseFactory(title="Free course", cost=Cost.FREE)

    response = client.get(reverse("catalog:course_list"), {"cost": "free"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results"')
    assert "Free course" in html
    assert '<span id="result-count" hx-swap-oob="innerHTML">1 course</span>' in html
    assert "<html" not in html


@pytest.mark.parametrize(
    ("name", "factory"),
    [
        ("catalog:skill_list", SkillFactory),
        ("catalog:course_list", CourseFactory),
        ("catalog:certification_list", CertificationFactory),
        ("catalog:project_list", ProjectIdeaFactory),
    ],
)
def test_list_query_count_does_not_grow_with_items(
    client: Client, django_assert_num_queries: Callable[..., Any], name: str, factory: Any
) -> None:
    factory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    factory.create_batch(30)

    with django_assert_num_queries(len(few)):
        client.get(reverse(name))


def test_nav_marks_the_current_catalog_list(client: Client) -> None:
    html = page(client, "catalog:course_list")

    assert f'<a href="{reverse("catalog:course_list")}" aria-current="page">Courses</a>' in html


# ---------------------------------------------------------------- PostgreSQL full-text search


@pytest.mark.postgres
def test_postgres_search_matches_word_forms_in_descriptions(client: Client) -> None:
    CourseFactory(title="Shipping ML", description="Deploying models to production with containers.")
    CourseFactory(title="Calculus", description="Derivatives and integrals.")

    html = page(client, "catalog:course_list", q="deployment of a model")

    assert "Shipping ML" in html
    assert "Calculus" not in html


@pytest.mark.postgres
def test_postgres_search_ranks_title_matches_first(client: Client) -> None:
    CourseFactory(title="A general course", description="Touches on transformers briefly.")
    CourseFactory(title="Transformers in depth", description="Attention, encoders and decoders.")

    html = page(client, "catalog:course_list", q="transformers")

    assert html.index("Transformers in depth") < html.index("A general course")


@pytest.mark.postgres
def test_postgres_search_understands_websearch_exclusion(client: Client) -> None:
    SkillFactory(name="Computer vision basics", description="Images and convolution.")
    SkillFactory(name="Vision transformers", description="Transformers for images.")

    html = page(client, "catalog:skill_list", q="vision -transformers")

    assert "Computer vision basics" in html
    assert "Vision transformers" not in html


@pytest.mark.postgres
def test_postgres_search_still_matches_a_partial_name(client: Client) -> None:
    SkillFactory(name="PyTorch")

    html = page(client, "catalog:skill_list", q="pytor")

    assert "PyTorch" in html
