"""The navigation's unread counts (one statement on every page): what counts as unread for a learner
and for a mentor, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.models import CommentReadMarker
from mentoring.selectors.comments import NavUnread, nav_unread
from tests.factories import (
    ActiveMentorshipFactory,
    MentorshipFactory,
    ProgressFactory,
    StepCommentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_new_user_has_nothing_unread() -> None:
    assert nav_unread(user=UserFactory()) == NavUnread(own=0, mentees=0)


def test_comments_by_others_count_until_the_thread_is_read() -> None:
    mentorship = ActiveMentorshipFactory()
    learner, mentor = mentorship.learner, mentorship.mentor
    step, other_step = ProgressFactory(learner=learner), ProgressFactory(learner=learner)
    StepCommentFactory(progress=step, author=mentor)
    StepCommentFactory(progress=step, author=mentor)
    StepCommentFactory(progress=other_step, author=mentor)
    StepCommentFactory(progress=step, author=learner)  # one's own comment is never unread

    assert nav_unread(user=learner) == NavUnread(own=3, mentees=0)
    assert nav_unread(user=mentor) == NavUnread(own=0, mentees=1)

    CommentReadMarker.objects.create(user=learner, progress=step, read_at=timezone.now())
    assert nav_unread(user=learner) == NavUnread(own=1, mentees=0)

    # A comment newer than the marker is unread again.
    StepCommentFactory(progress=step, author=mentor, created_at=timezone.now() + timedelta(seconds=5))
    assert nav_unread(user=learner) == NavUnread(own=2, mentees=0)


def test_a_mentor_counts_only_active_mentees_steps() -> None:
    mentor = UserFactory()
    active = ActiveMentorshipFactory(mentor=mentor)
    ended = ActiveMentorshipFactory(mentor=mentor, status="ended")
    pending = MentorshipFactory(invited_email=mentor.email)
    for mentorship in (active, ended, pending):
        StepCommentFactory(progress=ProgressFactory(learner=mentorship.learner), author=mentorship.learner)
    # Someone else's mentee, commented on by their own mentor: none of this mentor's business.
    stranger = ActiveMentorshipFactory()
    StepCommentFactory(progress=ProgressFactory(learner=stranger.learner), author=stranger.learner)

    assert nav_unread(user=mentor) == NavUnread(own=0, mentees=1)
    assert nav_unread(user=stranger.mentor) == NavUnread(own=0, mentees=1)
