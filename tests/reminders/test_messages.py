"""What the reminders say: the learner's weekly mail, nudges, and the mentor's digest."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Profile
from mentoring.models import ProjectReview
from reminders import messages, services, tokens
from reminders.models import ReminderLog
from roadmap.models import Progress
from tests.factories import (
    ActiveMentorshipFactory,
    MentorshipFactory,
    PlanFactory,
    PlanItemFactory,
    ProfileFactory,
    ProgressFactory,
    ProjectReviewFactory,
    UserFactory,
)
from tests.reminders.helpers import Frequency, Kind, due


@pytest.fixture
def learner_with_plan(db: None) -> Profile:
    """A due learner with a plan of five steps, two finished since the last reminder."""
    profile = due(1, last_reminded_at=timezone.now() - timedelta(days=7), hours_per_week=5)[0]
    plan = PlanFactory(learner=profile.user)
    items = [
        PlanItemFactory(plan=plan, position=i, skill__name=f"Skill number {i}", stage_title="Foundations")
        for i in range(1, 6)
    ]
    for item in items[:2]:
        ProgressFactory(
            learner=profile.user, skill=item.skill, status=Progress.Status.DONE, completed_at=timezone.now()
        )
    return profile


def reminder_mail(django_capture_on_commit_callbacks: Any) -> mail.EmailMultiAlternatives:
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_sweep()
    (message,) = mail.outbox
    assert isinstance(message, mail.EmailMultiAlternatives)
    return message


def test_reminder_lists_the_next_steps(
    learner_with_plan: Profile, django_capture_on_commit_callbacks: Any
) -> None:
    message = reminder_mail(django_capture_on_commit_callbacks)

    assert message.subject == "Next up on your Pathwise roadmap: Skill number 3"
    html = message.alternatives[0].content
    for name in ("Skill number 3", "Skill number 4", "Skill number 5"):
        assert name in message.body and name in html


def test_reminder_tells_the_progress_since_the_last_one(
    learner_with_plan: Profile, django_capture_on_commit_callbacks: Any
) -> None:
    message = reminder_mail(django_capture_on_commit_callbacks)

    assert "you finished 2 steps." in message.body
    assert "  - Skill number 1" in message.body


def test_reminder_gives_the_projected_finish(
    learner_with_plan: Profile, django_capture_on_commit_callbacks: Any
) -> None:
    # Three steps of 10 hours left at 5 hours a week: six weeks from today.
    finish = timezone.now().date() + timedelta(weeks=6)

    message = reminder_mail(django_capture_on_commit_callbacks)

    assert f"40% done. At 5 hours a week you finish around {finish:%-d %B %Y}" in message.body


def test_reminder_warns_when_the_target_date_is_out_of_reach(
    learner_with_plan: Profile, django_capture_on_commit_callbacks: Any
) -> None:
    learner_with_plan.target_date = timezone.now().date() + timedelta(weeks=2)
    learner_with_plan.save()

    message = reminder_mail(django_capture_on_commit_callbacks)

    assert "after your target of" in message.body


def test_reminder_has_one_click_unsubscribe_headers_and_absolute_links(
    learner_with_plan: Profile, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    message = reminder_mail(django_capture_on_commit_callbacks)
    token = tokens.unsubscribe_token(user=learner_with_plan.user)
    unsubscribe = f"{settings.SITE_URL}/reminders/unsubscribe/{token}/"

    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0].content
    assert f'href="{unsubscribe}"' in html
    assert f'href="{settings.SITE_URL}/settings/reminders/"' in html
    assert f"{settings.SITE_URL}/plan/" in message.body


def test_a_long_unsubscribe_url_stays_readable_on_the_wire(learner_with_plan: Profile, settings: Any) -> None:
    settings.SITE_URL = "https://pathwise.a-rather-long-domain-name-for-a-learning-site.example"
    log = ReminderLog.objects.create(user=learner_with_plan.user, kind=Kind.REMINDER, period="2026-W48")
    message = messages.reminder_message(log=log)
    assert message is not None

    raw = message.message().as_bytes()

    assert b"\nList-Unsubscribe: <https://pathwise.a-rather-long-domain" in raw
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["List-Unsubscribe"].startswith("<https://pathwise.a-rather-long")


# ---------------------------------------------------------------- nudges


def test_a_quiet_learner_gets_one_nudge_per_quiet_spell(
    db: None, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    quiet_since = timezone.now() - timedelta(days=settings.NUDGE_AFTER_DAYS + 1)
    due(1, next_reminder_at=None, last_activity_at=quiet_since)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.nudges_sweep()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.nudges_sweep()

    assert len(first.queued) == 1 and second.queued == []
    assert [m.subject for m in mail.outbox] == ["Pick up where you left off on Pathwise"]
    assert f"it has been {settings.NUDGE_AFTER_DAYS + 1} days" in mail.outbox[0].body


def test_a_new_quiet_spell_gets_a_new_nudge(
    db: None, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    days = settings.NUDGE_AFTER_DAYS
    (profile,) = due(1, next_reminder_at=None, last_activity_at=timezone.now() - timedelta(days=3 * days))
    ReminderLog.objects.create(
        user=profile.user,
        kind=Kind.NUDGE,
        period=profile.last_activity_at.date().isoformat(),
        created_at=timezone.now() - timedelta(days=2 * days),
    )
    # Active again after that nudge, then quiet once more.
    Profile.objects.filter(pk=profile.pk).update(last_activity_at=timezone.now() - timedelta(days=days + 1))

    with django_capture_on_commit_callbacks(execute=True):
        result = services.nudges_sweep()

    assert len(result.queued) == 1 and len(mail.outbox) == 1


def test_recently_active_or_unsubscribed_learners_get_no_nudge(db: None, settings: Any) -> None:
    due(1, next_reminder_at=None, last_activity_at=timezone.now() - timedelta(days=1))
    quiet = timezone.now() - timedelta(days=settings.NUDGE_AFTER_DAYS + 1)
    due(1, next_reminder_at=None, last_activity_at=quiet, frequency=Frequency.OFF)

    assert services.nudges_sweep().queued == []


# ---------------------------------------------------------------- mentor digests


@pytest.fixture
def mentor_with_mentees(db: None, settings: Any) -> Any:
    """A mentor with one active mentee on track, one stalled mentee with a review waiting."""
    mentor = ProfileFactory().user
    active = ActiveMentorshipFactory(mentor=mentor, learner__display_name="Ada Active")
    stalled = ActiveMentorshipFactory(mentor=mentor, learner__display_name="Sam Stalled")
    ProfileFactory(user=active.learner, last_activity_at=timezone.now())
    long_ago = timezone.now() - timedelta(days=settings.STALLED_AFTER_DAYS + 5)
    ProfileFactory(user=stalled.learner, last_activity_at=long_ago)
    PlanItemFactory(plan=PlanFactory(learner=active.learner))
    review = ProjectReviewFactory(progress__learner=stalled.learner, progress__updated_at=long_ago)
    assert review.status == ProjectReview.Status.REQUESTED
    MentorshipFactory(learner=UserFactory(), mentor=UserFactory())  # pending: no digest for them
    return mentor


def test_mentor_gets_a_weekly_digest_of_mentees(
    mentor_with_mentees: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = services.digests_sweep()

    assert len(result.queued) == 1
    (message,) = mail.outbox
    assert message.to == [mentor_with_mentees.email]
    assert message.subject == "Your mentees this week: 1 stalled, 1 review waiting"
    assert "- Ada Active: 0% done" in message.body
    assert "Sam Stalled" in message.body and "STALLED" in message.body and "1 review waiting" in message.body


def test_mentor_digest_goes_out_once_a_week(
    mentor_with_mentees: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Two sweeps an hour apart on the same day (from 23:00 on a Sunday, +1 h is next week's digest).
    now = timezone.now()
    first = now - timedelta(hours=1) if now.hour >= 12 else now
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_sweep(now=first)
        services.digests_sweep(now=first + timedelta(hours=1))

    assert len(mail.outbox) == 1


def test_the_digest_query_count_does_not_grow_with_mentees(
    mentor_with_mentees: Any, django_assert_max_num_queries: Any
) -> None:
    log = ReminderLog.objects.create(user=mentor_with_mentees, kind=Kind.DIGEST, period="2026-W48")
    with django_assert_max_num_queries(12) as few:
        messages.reminder_message(log=log)
    ActiveMentorshipFactory.create_batch(10, mentor=mentor_with_mentees)
    with django_assert_max_num_queries(len(few.captured_queries)):
        messages.reminder_message(log=log)
