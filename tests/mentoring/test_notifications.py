"""Mentoring e-mails: a review request reaches the mentors, its answer the learner, a comment the other
side; each person's settings (right away, a daily summary, never); summaries go out once; the
navigation's unread counts. Tasks run in-process here; test_notification_worker.py runs a real worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mentoring.models import DailySummary, Delivery, Mentorship, Notification
from mentoring.notifications import NotificationSettingsError, notification_settings_update
from mentoring.services import comment_add, review_request, review_respond
from mentoring.tasks import summaries_sweep
from roadmap.models import PlanItem, Progress
from tests.factories import ActiveMentorshipFactory, StepCommentFactory, UserFactory
from tests.mentoring.helpers import plan_for, progress_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def project() -> tuple[Mentorship, PlanItem, Progress]:
    mentorship = ActiveMentorshipFactory()
    item = plan_for(mentorship.learner, steps=1, project=True)[-1]
    return mentorship, item, progress_on(mentorship.learner, item)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks: Any) -> Any:
    """The daily sweep as beat runs it: its sends leave once its transaction commits."""

    def run(now: dt.datetime | None = None) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            summaries_sweep(now=now)

    return run


def sent_to(address: str) -> list[Any]:
    return [message for message in mail.outbox if message.to == [address]]


def test_a_review_request_mails_the_mentor_a_link_to_the_step(django_capture_on_commit_callbacks, project):
    mentorship, item, progress = project
    with django_capture_on_commit_callbacks(execute=True):
        review_request(progress=progress, evidence_url="https://github.com/a/b")
    (message,) = sent_to(mentorship.mentor.email)
    assert f"asks you to review “{item.item}”" in message.subject
    step = reverse("mentoring:mentee_step", args=[mentorship.key, item.kind, item.item.slug])
    assert step in message.body
    assert sent_to(mentorship.learner.email) == []


def test_the_answer_to_a_review_mails_the_learner(django_capture_on_commit_callbacks, project):
    mentorship, item, progress = project
    review_request(progress=progress, evidence_url="https://github.com/a/b")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_respond(progress=progress, reviewer=mentorship.mentor, approve=True, response="")
    (message,) = mail.outbox
    assert message.to == [mentorship.learner.email]
    assert "answered your review request" in message.subject
    assert reverse("roadmap:step", args=[item.kind, item.item.slug]) in message.body


def test_a_comment_mails_the_other_side_only(django_capture_on_commit_callbacks, project):
    mentorship, _, progress = project
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(progress=progress, author=mentorship.learner, body="Is this right?")
    assert [m.to for m in mail.outbox] == [[mentorship.mentor.email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(progress=progress, author=mentorship.mentor, body="Yes")
    assert [m.to for m in mail.outbox] == [[mentorship.learner.email]]


def test_nothing_is_mailed_before_the_write_commits(django_capture_on_commit_callbacks, project):
    mentorship, _, progress = project
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_add(progress=progress, author=mentorship.learner, body="Hello")
    assert mail.outbox == [] and len(callbacks) == 1


def test_a_kind_switched_off_sends_nothing(django_capture_on_commit_callbacks, project):
    mentorship, _, progress = project
    notification_settings_update(user=mentorship.mentor, choices={"comment": Delivery.OFF})
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(progress=progress, author=mentorship.learner, body="Hello")
    assert mail.outbox == [] and not Notification.objects.exists()


def test_an_ended_mentorship_is_not_mailed_about_its_mentee(django_capture_on_commit_callbacks, project):
    mentorship, _, progress = project
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_add(progress=progress, author=mentorship.learner, body="Hello")
    Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.REVOKED)
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_daily_summary_gathers_the_days_news_in_one_mail_sent_once(project, sweep):
    mentorship, item, progress = project
    notification_settings_update(
        user=mentorship.mentor, choices={"comment": "daily", "review_requested": "daily"}
    )
    comment_add(progress=progress, author=mentorship.learner, body="One")
    comment_add(progress=progress, author=mentorship.learner, body="Two")
    review_request(progress=progress, evidence_url="https://github.com/a/b")
    assert mail.outbox == []  # nothing right away

    sweep()
    (message,) = mail.outbox
    assert message.to == [mentorship.mentor.email]
    assert "3 updates" in message.subject
    assert message.body.count(str(item.item)) == 3

    sweep()  # beat runs it again (or a retry): the same summary never goes twice
    assert len(mail.outbox) == 1
    assert DailySummary.objects.get().sent_at is not None


def test_news_after_the_days_summary_waits_for_the_next_day(project, sweep):
    mentorship, _, progress = project
    notification_settings_update(user=mentorship.mentor, choices={"comment": "daily"})
    comment_add(progress=progress, author=mentorship.learner, body="One")
    sweep()
    comment_add(progress=progress, author=mentorship.learner, body="Later that day")
    sweep()
    assert len(mail.outbox) == 1
    sweep(timezone.now() + dt.timedelta(days=1))
    assert len(mail.outbox) == 2 and "Later" not in mail.outbox[1].body  # names the step, not the text
    assert "1 update " in mail.outbox[1].subject


def test_a_summary_the_mail_server_refused_is_sent_again_on_retry(project, sweep, monkeypatch):
    mentorship, _, progress = project
    notification_settings_update(user=mentorship.mentor, choices={"comment": "daily"})
    comment_add(progress=progress, author=mentorship.learner, body="One")
    from mentoring import mail as mentoring_mail

    def refuse(**kwargs: Any) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr(mentoring_mail, "send", refuse)
    sweep()  # in-process: one attempt, logged
    assert DailySummary.objects.get().sent_at is None
    monkeypatch.undo()
    sweep()
    assert len(mail.outbox) == 1


def test_settings_page_saves_each_kind(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("mentoring:notifications"))
    assert "Right away" in page.content.decode()
    response = client.post(
        reverse("mentoring:notifications"),
        {"review_requested": "daily", "review_answered": "off", "comment": "instant"},
    )
    assert response.status_code == 302
    row = user.notification_settings
    assert (row.review_requested, row.review_answered, row.comment) == ("daily", "off", "instant")


def test_settings_page_refuses_an_unknown_choice_with_a_message(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("mentoring:notifications"), {"review_requested": "hourly", "review_answered": "off"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(NotificationSettingsError):
        notification_settings_update(user=user, choices={"comment": "hourly"})


def test_navigation_shows_unread_counts_for_both_sides(client, project):
    mentorship, _, progress = project
    StepCommentFactory(progress=progress, author=mentorship.mentor)
    StepCommentFactory(progress=progress, author=mentorship.learner)
    other = ActiveMentorshipFactory(mentor=mentorship.mentor)
    StepCommentFactory(
        progress=progress_on(other.learner, plan_for(other.learner, steps=1)[0]), author=other.learner
    )

    client.force_login(mentorship.learner)
    page = client.get(reverse("mentoring:notifications")).content.decode()
    assert '1<span class="visually-hidden"> unread comment</span>' in page
    client.force_login(mentorship.mentor)
    page = client.get(reverse("mentoring:notifications")).content.decode()
    assert '2<span class="visually-hidden"> unread comments from mentees</span>' in page


@pytest.mark.parametrize("mentees", [1, 20])
def test_the_navigation_count_is_one_query_whatever_the_mentees(mentees, django_assert_num_queries):
    mentor = UserFactory()
    for _ in range(mentees):
        mentorship = ActiveMentorshipFactory(mentor=mentor)
        item = plan_for(mentorship.learner, steps=1)[0]
        StepCommentFactory(progress=progress_on(mentorship.learner, item), author=mentorship.learner)
    from mentoring.selectors.comments import nav_unread

    with django_assert_num_queries(1):
        counts = nav_unread(user=mentor)
    assert (counts.own, counts.mentees) == (0, mentees)
