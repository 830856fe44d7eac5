"""A skill step's "how to learn it": the skill's courses (free first, the learner's level first), the
projects that practise it and the certifications that validate it, and "add to my plan" for a
course, with and without JavaScript, in a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Profile, User
from catalog.models import Cost, Level
from roadmap.models import OwnStep, PlanItem
from roadmap.planning import Lane
from tests.factories import CourseFactory, UserFactory
from tests.plans import Catalog, signed_in_learner

HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(catalog: Catalog, client: Client) -> User:
    return signed_in_learner(client, catalog.core)


def page(slug: str = "pytorch") -> str:
    return reverse("roadmap:step", args=["skill", slug])


def add(course: str, slug: str = "pytorch") -> str:
    return reverse("roadmap:step_course_add", kwargs={"slug": slug, "course": course})


def course_titles(response: Any) -> list[str]:
    return [row.course.title for row in response.context["learning"].courses]


def test_a_skill_step_lists_its_courses_projects_and_certifications(
    client: Client, learner: User, catalog: Catalog
) -> None:
    html = client.get(page()).content.decode()
    assert "How to learn it" in html
    assert "Deep Learning with PyTorch" in html
    assert "Image classifier" in html
    assert "ML Developer 2" in html  # the active exam; the retired one is not offered
    assert "ML Developer 1" not in html.split('id="learn"')[1].split("</section>")[0]


def test_free_courses_come_first_then_those_at_the_learners_level(
    client: Client, learner: User, catalog: Catalog
) -> None:
    for title, cost, level in [
        ("A paid beginner course", Cost.PAID, Level.BEGINNER),
        ("B free advanced course", Cost.FREE, Level.ADVANCED),
        ("C free intermediate course", Cost.FREE, Level.INTERMEDIATE),
    ]:
        CourseFactory(title=title, cost=cost, level=level).skills.add(catalog.pytorch)
    Profile.objects.filter(user=learner).update(background=Profile.Background.RESEARCHER)
    titles = course_titles(client.get(page()))
    assert titles.index("C free intermediate course") < titles.index("B free advanced course")
    assert titles.index("B free advanced course") < titles.index("A paid beginner course")

    Profile.objects.filter(user=learner).update(background=Profile.Background.STUDENT)
    titles = course_titles(client.get(page()))
    assert titles.index("A paid beginner course") == len(titles) - 1  # paid comes last whatever the level


def test_a_course_already_scheduled_says_in_your_plan_without_a_button(
    client: Client, learner: User, catalog: Catalog
) -> None:
    response = client.get(page())
    assert add("dl-pytorch") not in response.content.decode()
    assert "In your plan" in response.content.decode()


def test_adding_a_course_off_the_learners_tracks_makes_it_an_own_step_with_its_link_and_hours(
    client: Client, learner: User, catalog: Catalog
) -> None:
    course = CourseFactory(title="Practical PyTorch", hours=12, url="https://example.com/practical")
    course.skills.add(catalog.pytorch)
    response = client.post(add(course.slug))
    assert response.status_code == 302
    assert response["Location"].endswith(page() + "#learn")
    own = OwnStep.objects.get(learner=learner)
    assert (own.title, own.url, own.hours, own.stage.title) == (
        "Practical PyTorch",
        "https://example.com/practical",
        12,
        "Deep learning",
    )
    again = client.post(add(course.slug), follow=True)
    assert "one of your own steps already" in again.content.decode()
    assert OwnStep.objects.filter(learner=learner).count() == 1


def test_adding_an_optional_course_of_the_plan_includes_it_and_htmx_swaps_the_panel(
    client: Client, learner: User, catalog: Catalog
) -> None:
    PlanItem.objects.filter(plan__learner=learner, course=catalog.course).update(
        optional=True, lane=Lane.OPTIONAL
    )
    response = client.post(add("dl-pytorch"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="panel" id="learn"')
    assert "in your schedule now" in html
    assert PlanItem.objects.get(plan__learner=learner, course=catalog.course).lane == Lane.SCHEDULED
    assert not OwnStep.objects.filter(learner=learner).exists()


def test_only_the_skills_own_courses_can_be_added(client: Client, learner: User, catalog: Catalog) -> None:
    other = CourseFactory()
    assert client.post(add(other.slug)).status_code == 404
    assert client.post(add("dl-pytorch", slug="linear-algebra")).status_code == 404  # not in the plan
    assert client.get(add("dl-pytorch")).status_code == 405


def test_another_learner_cannot_add_to_someone_elses_plan(catalog: Catalog, client: Client) -> None:
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.post(add("dl-pytorch")).status_code == 404


def test_the_step_page_reads_the_same_number_of_queries_for_one_course_or_twenty(
    client: Client, learner: User, catalog: Catalog, django_assert_num_queries: Any
) -> None:
    client.get(page())  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        client.get(page())
    for _ in range(20):
        CourseFactory().skills.add(catalog.pytorch)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(page())
    assert len(response.context["learning"].courses) == 21
    print("step page queries:", len(few.captured_queries))


def test_a_skill_step_reads_the_learners_profile_once(
    client: Client, learner: User, catalog: Catalog
) -> None:
    """The time zone and the background (the course level) come from one read of the profile."""
    Profile.objects.filter(user=learner).update(background=Profile.Background.DATA_SCIENTIST)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page())
    profile_reads = [q["sql"] for q in queries.captured_queries if 'FROM "accounts_profile"' in q["sql"]]
    assert len(profile_reads) == 1
    assert response.context["learning"].level == Level.INTERMEDIATE.label
