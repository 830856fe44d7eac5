"""The demo accounts' mentorships: the demo mentor has a mentee, an ended demo mentorship stays ended."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from mentoring.models import Mentorship

pytestmark = pytest.mark.django_db


def test_demo_mentor_has_a_mentee_and_the_demo_learner_is_left_to_invite():
    call_command("create_demo_accounts", stdout=io.StringIO())
    mentorship = Mentorship.objects.get(mentor__email="mentor@pathwise.local")
    assert (mentorship.learner.email, mentorship.status) == (
        "mentee@pathwise.local",
        Mentorship.Status.ACTIVE,
    )
    assert not Mentorship.objects.filter(learner__email="learner@pathwise.local").exists()


def test_demo_accounts_do_not_relink_a_mentorship_the_demo_ended():
    call_command("create_demo_accounts", stdout=io.StringIO())
    Mentorship.objects.update(status=Mentorship.Status.REVOKED)
    call_command("create_demo_accounts", stdout=io.StringIO())
    assert not Mentorship.objects.filter(status=Mentorship.Status.ACTIVE).exists()
