"""`manage.py seed_load`: the load test's learners, mentors and logged-in sessions."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from mentoring.models import Mentorship
from roadmap.models import Plan
from tests.factories import StageFactory, StepFactory, TrackFactory


@pytest.fixture
def core_track() -> None:
    track = TrackFactory(name="ML Engineer", slug="ml-engineer", is_core=True)
    stage = StageFactory(track=track, order=1)
    for order in range(1, 6):
        StepFactory(stage=stage, order=order)


def seed(tmp_path: Path, learners: int = 4, mentors: int = 2) -> dict[str, object]:
    out = tmp_path / "sessions.json"
    call_command(
        "seed_load",
        learners=learners,
        mentors=mentors,
        mentees_per_mentor=2,
        sessions_out=out,
        stdout=io.StringIO(),
    )
    return json.loads(out.read_text())


@pytest.mark.django_db
def test_seed_load_gives_every_learner_a_plan_and_every_mentor_active_mentees(
    core_track: None, tmp_path: Path
) -> None:
    seed(tmp_path)

    learners = User.objects.filter(email__startswith="load-learner-")
    assert learners.count() == 4
    assert Plan.objects.filter(learner__in=learners, items__isnull=False).distinct().count() == 4
    assert (
        Mentorship.objects.filter(
            status=Mentorship.Status.ACTIVE, mentor__email__startswith="load-mentor-"
        ).count()
        == 4
    )


@pytest.mark.django_db
def test_seed_load_twice_creates_nothing_new(core_track: None, tmp_path: Path) -> None:
    seed(tmp_path)
    users, mentorships = User.objects.count(), Mentorship.objects.count()

    seed(tmp_path)

    assert (User.objects.count(), Mentorship.objects.count()) == (users, mentorships)


@pytest.mark.django_db
def test_seeded_sessions_are_logged_in(core_track: None, tmp_path: Path) -> None:
    sessions = seed(tmp_path)
    learner = sessions["learners"][0]
    client = Client()
    client.cookies[str(sessions["session_cookie"])] = learner["session"]

    response = client.get("/")

    assert response.wsgi_request.user.email == learner["email"]


@pytest.mark.django_db
def test_seed_load_without_content_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="load the shipped content"):
        seed(tmp_path)
