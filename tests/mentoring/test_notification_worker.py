"""Mentoring e-mails through the real stack: the learner's review request and the mentor's answer are
web requests that publish to Redis; a Celery worker process mails the other side through a real SMTP
server (aiosmtpd). Data is committed (transaction=True) so that the worker sees it."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from mentoring.models import Notification
from mentoring.notifications import notification_settings_update
from mentoring.services import comment_add
from mentoring.tasks import summaries_sweep
from tests.accounts.test_mail_worker import QUICK
from tests.celery_utils import CeleryWorker, SmtpSink, broker_idle, wait_for
from tests.factories import ActiveMentorshipFactory
from tests.mentoring.helpers import plan_for, progress_on

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(180),
]


def post(client: Client, url: str, data: dict[str, str]) -> float:
    started = time.monotonic()
    response = client.post(url, data)
    assert response.status_code == 302
    return time.monotonic() - started


def bodies_to(smtp: SmtpSink, address: str) -> list[tuple[str, str]]:
    return [
        (str(m.message["Subject"]), m.message.get_body(("plain",)).get_content())
        for m in list(smtp.handler.received)
        if m.recipients == [address]
    ]


def test_review_request_mails_the_mentor_and_the_answer_mails_the_learner(
    worker: CeleryWorker, smtp: SmtpSink
) -> None:
    mentorship = ActiveMentorshipFactory(learner__display_name="Ada", mentor__display_name="Grace")
    item = plan_for(mentorship.learner, steps=1, project=True)[-1]
    learner, mentor = Client(), Client()
    learner.force_login(mentorship.learner)
    mentor.force_login(mentorship.mentor)

    took = post(
        learner,
        reverse("mentoring:step_review", args=[item.kind, item.item.slug]),
        {"evidence_url": "https://github.com/ada/project", "message": "Ready"},
    )
    assert took < QUICK  # the request only published the task
    wait_for(lambda: bodies_to(smtp, mentorship.mentor.email), timeout=60, what="the mentor's mail")
    ((subject, body),) = bodies_to(smtp, mentorship.mentor.email)
    assert subject == f"Ada asks you to review “{item.item}”"
    assert reverse("mentoring:mentee_step", args=[mentorship.key, item.kind, item.item.slug]) in body

    took = post(
        mentor,
        reverse("mentoring:mentee_review", args=[mentorship.key, item.kind, item.item.slug]),
        {"decision": "approve", "response": "Well done"},
    )
    assert took < QUICK
    wait_for(lambda: bodies_to(smtp, mentorship.learner.email), timeout=60, what="the learner's mail")
    ((subject, body),) = bodies_to(smtp, mentorship.learner.email)
    assert subject == f"Grace answered your review request for “{item.item}”"
    assert reverse("roadmap:step", args=[item.kind, item.item.slug]) in body
    wait_for(
        lambda: not Notification.objects.filter(emailed_at__isnull=True).exists(),
        timeout=30,
        what="both notifications to be marked sent",
    )
    assert len(smtp.handler.received) == 2


def test_a_daily_summary_from_the_worker_goes_out_once(worker: CeleryWorker, smtp: SmtpSink) -> None:
    mentorship = ActiveMentorshipFactory()
    item = plan_for(mentorship.learner, steps=1)[0]
    notification_settings_update(user=mentorship.mentor, choices={"comment": "daily"})
    progress = progress_on(mentorship.learner, item)
    comment_add(progress=progress, author=mentorship.learner, body="One")
    comment_add(progress=progress, author=mentorship.learner, body="Two")

    summaries_sweep()
    summaries_sweep()  # twice in a row: two tasks race for the same summary
    wait_for(lambda: len(smtp.handler.received) >= 1, timeout=60, what="the summary")
    wait_for(
        lambda: not Notification.objects.filter(emailed_at__isnull=True).exists(),
        timeout=30,
        what="the summary to be marked sent",
    )
    wait_for(lambda: broker_idle(settings.REDIS_URL, worker.queue), timeout=60, what="the queue to drain")
    assert len(smtp.handler.received) == 1
    assert "2 updates" in str(smtp.handler.received[0].message["Subject"])
