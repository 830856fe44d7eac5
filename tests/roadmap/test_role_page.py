"""A role's page: its skills, and for a logged-in learner which of them they have by the plan's status rule."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from catalog.models import Role
from roadmap.models import Plan, PlanItem, Progress
from tests.factories import SkillFactory, UserFactory

pytestmark = pytest.mark.django_db


def role_with(skills: int) -> tuple[Role, list[Any]]:
    role = Role.objects.create(
        slug="ml-engineer",
        name="ML engineer",
        level="core",
        summary="Owns models in production.",
        adds="Monitoring.",
    )
    found = [SkillFactory(name=f"Skill {i:02}") for i in range(skills)]
    role.skills.add(*found)
    return role, found


def role_page(client: Client) -> str:
    response = client.get(reverse("roadmap:role", args=["ml-engineer"]))
    assert response.status_code == 200
    return response.content.decode()


def test_anyone_sees_the_roles_skills_and_an_invitation_to_log_in(client: Client) -> None:
    role_with(2)

    html = role_page(client)

    assert "Owns models in production." in html
    assert "Skill 00" in html and "Skill 01" in html
    assert "to see which of these you already have" in html


def test_a_learner_sees_which_skills_they_have_known_or_done(client: Client) -> None:
    _, skills = role_with(5)
    learner = UserFactory()
    profile, _ = Profile.objects.get_or_create(user=learner)
    profile.known_skills.add(skills[0])  # known in the profile
    Progress.objects.create(learner=learner, skill=skills[1], status="done")  # done, not in the plan
    plan = Plan.objects.create(learner=learner)
    PlanItem.objects.create(
        plan=plan, position=1, skill=skills[2], stage_title="S", known=True
    )  # known by the plan
    PlanItem.objects.create(plan=plan, position=2, skill=skills[3], stage_title="S")
    Progress.objects.create(learner=learner, skill=skills[3], status="in_progress")
    client.force_login(learner)

    html = role_page(client)

    assert "You have 3 of 5." in html
    assert html.count("You have it") == 3
    assert "In progress" in html


def test_another_learners_progress_is_not_shown(client: Client) -> None:
    _, skills = role_with(2)
    other = UserFactory()
    Progress.objects.create(learner=other, skill=skills[0], status="done")
    client.force_login(UserFactory())

    html = role_page(client)

    assert "You have 0 of 2." in html


@pytest.mark.parametrize("skills", [3, 12])
def test_the_role_page_reads_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, skills: int
) -> None:
    _, found = role_with(skills)
    learner = UserFactory()
    Profile.objects.get_or_create(user=learner)[0].known_skills.add(*found[:2])
    plan = Plan.objects.create(learner=learner)
    for i, skill in enumerate(found, start=1):
        PlanItem.objects.create(plan=plan, position=i, skill=skill, stage_title="S")
        Progress.objects.create(learner=learner, skill=skill, status="done")
    client.force_login(learner)

    # session and user, the unread count in the navigation, the role, its skills, the plan items' states,
    # progress, known skills
    with django_assert_num_queries(8):
        role_page(client)


def test_an_unknown_role_is_404(client: Client) -> None:
    assert client.get(reverse("roadmap:role", args=["astronaut"])).status_code == 404
