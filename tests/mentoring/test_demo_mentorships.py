"""The demo accounts' mentorships: the demo mentor has a mentee, an ended demo mentorship stays ended."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from mentoring.models import Mentorship, ProjectReview, StepComment
from roadmap.models import ProgressEvent

pytestmark = pytest.mark.django_db


def test_demo_mentor_has_a_mentee_and_the_demo_learner_is_left_to_invite():
    call_command("create_demo_accounts", stdout=io.StringIO())
    mentorship = Mentorship.objects.get(mentor__email="mentor@pathwise.local")
    assert (mentorship.learner.email, mentorship.status) == (
        "mentee@pathwise.local",
        Mentorship.Status.ACTIVE,
    )
    assert not Mentorship.objects.filter(
        learner__email="learner@pathwise.local", mentor__email="mentor@pathwise.local"
    ).exists()


def test_demo_accounts_do_not_relink_a_mentorship_the_demo_ended():
    call_command("create_demo_accounts", stdout=io.StringIO())
    Mentorship.objects.update(status=Mentorship.Status.REVOKED)
    call_command("create_demo_accounts", stdout=io.StringIO())
    assert not Mentorship.objects.filter(status=Mentorship.Status.ACTIVE).exists()


def test_the_demo_learner_has_weeks_of_history_a_streak_an_approved_review_and_a_thread(client, catalog):
    call_command("create_demo_accounts", stdout=io.StringIO())
    learner = User.objects.get(email="learner@pathwise.local")
    events = ProgressEvent.objects.filter(progress__learner=learner)
    weeks = {(timezone.now() - at).days // 7 for at in events.values_list("at", flat=True)}
    assert len(weeks) >= 2  # bars in several weeks (five with the shipped content's longer plan)
    review = ProjectReview.objects.get(progress__learner=learner, status=ProjectReview.Status.APPROVED)
    assert review.reviewer.email == "reviewer@pathwise.local"
    assert StepComment.objects.filter(progress=review.progress).count() == 3
    client.force_login(learner)
    activity = client.get(reverse("roadmap:activity"))
    assert activity.context["current_streak"] >= 2 and not activity.context["new_learner"]
    assert activity.context["chart"].total >= 4


def test_running_the_demo_twice_writes_the_history_once(catalog):
    call_command("create_demo_accounts", stdout=io.StringIO())
    counts = (ProgressEvent.objects.count(), StepComment.objects.count(), ProjectReview.objects.count())
    call_command("create_demo_accounts", stdout=io.StringIO())
    assert (
        ProgressEvent.objects.count(),
        StepComment.objects.count(),
        ProjectReview.objects.count(),
    ) == counts
