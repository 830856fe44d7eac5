"""Computed rows are frozen dataclasses: the selectors never stick attributes onto model instances."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from mentoring.selectors.comments import step_thread
from mentoring.selectors.invitations import invitations_for, learner_mentorships
from mentoring.selectors.mentees import mentee_rows
from mentoring.services import mentorship_create_link
from tests.factories import ActiveMentorshipFactory, MentorshipFactory, StepCommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_dashboard_row_is_frozen_and_leaves_the_mentorship_untouched():
    mentorship = ActiveMentorshipFactory()
    [row] = mentee_rows(mentor=mentorship.mentor)
    assert row.mentorship == mentorship
    assert not hasattr(row.mentorship, "percent")
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.unread = 5
    assert (row.key, row.learner) == (mentorship.key, mentorship.learner)


def test_invitations_carry_no_stuck_on_path_and_the_dashboard_still_links_them(client):
    mentor = UserFactory()
    MentorshipFactory(learner=UserFactory(display_name="Ada"), invited_email=mentor.email)
    [invitation] = invitations_for(user=mentor)
    assert not hasattr(invitation, "path")
    client.force_login(mentor)
    page = client.get(reverse("mentoring:dashboard")).content.decode()
    assert 'href="/accounts/invitations/' in page


def test_the_mentors_page_shows_the_full_invite_link_without_a_stuck_on_attribute(client):
    learner = UserFactory()
    mentorship_create_link(learner=learner)
    [mentorship] = learner_mentorships(learner=learner)
    assert not hasattr(mentorship, "invite_url")
    client.force_login(learner)
    page = client.get(reverse("mentoring:mentors")).content.decode()
    assert 'value="http://testserver/' in page


def test_a_threads_comments_are_rows_flagged_for_their_reader_and_the_comments_stay_plain():
    comment = StepCommentFactory()
    learner = comment.progress.learner
    [row] = step_thread(progress=comment.progress, reader=learner).comments
    assert row.comment == comment
    assert row.is_new and row.deletable  # the learner owns the thread; the mentor's comment is unread
    assert not hasattr(row.comment, "is_new")
    [theirs] = step_thread(progress=comment.progress, reader=comment.author).comments
    assert not theirs.is_new and theirs.deletable
