"""Where log-in leads: learners to their plan, someone who only mentors to the mentor dashboard."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Profile, User
from mentoring.models import Mentorship
from tests.factories import PASSWORD, ActiveMentorshipFactory, MentorshipFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
DASHBOARD = reverse("mentoring:dashboard")


def log_in(client: Client, user: User, **extra: str) -> str:
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD, **extra})
    return str(response["Location"])


def mentor_without_a_plan() -> User:
    mentor = UserFactory()
    Profile.objects.create(user=mentor)  # signed up through an invitation, never onboarded
    ActiveMentorshipFactory(mentor=mentor)
    return mentor


def test_a_mentor_without_a_plan_lands_on_the_dashboard_not_onboarding(client: Client) -> None:
    assert log_in(client, mentor_without_a_plan()) == DASHBOARD


def test_the_dashboard_offers_a_plan_of_ones_own_without_forcing_it(client: Client) -> None:
    log_in(client, mentor_without_a_plan())

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert reverse("roadmap:onboarding") in response.content.decode()


def test_a_mentor_goes_where_a_safe_next_says(client: Client) -> None:
    assert log_in(client, mentor_without_a_plan(), next="/skills/") == "/skills/"
    client.post(reverse("accounts:logout"))
    assert log_in(client, mentor_without_a_plan(), next="https://evil.example/") == DASHBOARD


def test_a_mentor_who_stepped_down_still_lands_on_the_dashboard(client: Client) -> None:
    mentor = UserFactory()
    ActiveMentorshipFactory(mentor=mentor, status=Mentorship.Status.ENDED)

    assert log_in(client, mentor) == DASHBOARD


def test_a_mentor_who_is_also_an_onboarded_learner_lands_on_the_plan(client: Client) -> None:
    mentor = UserFactory()
    Profile.objects.create(user=mentor, onboarded_at="2026-01-05T10:00:00Z")
    ActiveMentorshipFactory(mentor=mentor)

    assert log_in(client, mentor) == reverse("roadmap:plan")


def test_someone_only_invited_to_mentor_lands_on_the_plan_as_before(client: Client) -> None:
    invited = UserFactory()
    MentorshipFactory(invited_email=invited.email)  # pending: not a mentor yet

    assert log_in(client, invited) == reverse("roadmap:plan")
    assert "Set up a roadmap of your own" not in client.get(DASHBOARD).content.decode()
