"""Reminders through the real stack: Redis broker, a Celery worker process, an SMTP server.

The sweep runs as `manage.py send_reminders` (the cron path) and the worker as `celery worker`,
both in subprocesses on the test database; data is committed (transaction=True) so they see it.
"""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import Profile
from reminders.models import ReminderLog, ReminderPreference
from tests.celery_utils import (
    CeleryWorker,
    SmtpSink,
    broker_held,
    broker_idle,
    database_url,
    run_manage,
    wait_for,
)
from tests.factories import ProfileFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(180),
]
VISIBILITY_TIMEOUT = 3
Status = ReminderLog.Status


@pytest.fixture
def queue() -> Iterator[str]:
    """A queue of this test's own, emptied afterwards, so nothing leaks between runs."""
    name = f"reminders-test-{uuid.uuid4().hex[:8]}"
    yield name
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)


@pytest.fixture
def service_env(transactional_db: None, smtp: SmtpSink, queue: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DB_CONN_MAX_AGE": "0",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "EMAIL_URL": smtp.url,
        "EMAIL_TIMEOUT": "5",
        "REMINDER_MAX_RETRIES": "2",
        "REMINDER_RETRY_BACKOFF": "1",
        # Sweeps of more than two hand their sends out in batches (fan-out tasks), as big slots do.
        "REMINDER_FAN_OUT": "2",
        "SITE_URL": "http://testserver",
        "LOG_FORMAT": "plain",
        "SECRET_KEY": settings.SECRET_KEY,
    }


@pytest.fixture
def worker(service_env: dict[str, str], queue: str, tmp_path: Path) -> Iterator[CeleryWorker]:
    """A started worker, stopped before the test database is flushed."""
    celery = CeleryWorker(env=service_env, log_path=tmp_path / "worker.log", queue=queue)
    celery.start()
    try:
        yield celery
    finally:
        celery.stop()


def due_learners(count: int) -> list[Profile]:
    """Learners whose weekly reminder slot came a minute ago."""
    learners = ProfileFactory.create_batch(count, onboarded_at=timezone.now())
    slot = timezone.now() - timedelta(minutes=1)
    ReminderPreference.objects.filter(user__in=[p.user for p in learners]).update(next_reminder_at=slot)
    return learners


def statuses() -> Counter[str]:
    return Counter(ReminderLog.objects.values_list("status", flat=True))


def test_each_due_learner_receives_exactly_one_mail(
    worker: CeleryWorker, smtp: SmtpSink, service_env: dict[str, str]
) -> None:
    learners = due_learners(5)

    output = run_manage("send_reminders", env=service_env)

    assert "5 due, 5 new queued for the Celery worker" in output
    wait_for(lambda: len(smtp.handler.received) == 5, timeout=60, what="5 mails")
    wait_for(lambda: statuses() == Counter({Status.SENT: 5}), timeout=30, what="5 rows marked sent")
    assert sorted(smtp.handler.recipients()) == sorted(p.user.email for p in learners)


def test_a_second_sweep_sends_nothing_more(
    worker: CeleryWorker, smtp: SmtpSink, service_env: dict[str, str], queue: str
) -> None:
    learners = due_learners(3)
    run_manage("send_reminders", env=service_env)
    wait_for(lambda: statuses() == Counter({Status.SENT: 3}), timeout=60, what="3 rows marked sent")
    # Even if every learner were due again in the same week, the (user, kind, period) log stops it.
    ReminderPreference.objects.filter(user__in=[p.user for p in learners]).update(
        next_reminder_at=timezone.now()
    )

    output = run_manage("send_reminders", env=service_env)
    wait_for(lambda: broker_idle(settings.REDIS_URL, queue), timeout=30, what="every task to finish")

    assert "3 due, 0 new" in output
    assert len(smtp.handler.received) == 3


def kill_mid_batch(worker: CeleryWorker, smtp: SmtpSink) -> None:
    """Kill the worker while the third of six mails is on the wire: its task holds the row lock,
    unacknowledged."""
    wait_for(
        lambda: len(smtp.handler.received) >= 2 and smtp.handler.attempts > len(smtp.handler.received),
        timeout=60,
        what="the third delivery to start",
    )
    worker.kill()
    assert len(smtp.handler.received) < 6


def test_a_worker_killed_mid_batch_and_restarted_still_sends_each_mail_once(
    worker: CeleryWorker, smtp: SmtpSink, service_env: dict[str, str], queue: str
) -> None:
    learners = due_learners(6)
    # Each delivery waits half a second on the server before any message data is sent.
    smtp.handler.rcpt_delay = 0.5
    run_manage("send_reminders", env=service_env)

    kill_mid_batch(worker, smtp)
    # Redis hands an unacknowledged task out again once its visibility timeout has passed.
    wait_for(
        lambda: all(
            held < time.time() - VISIBILITY_TIMEOUT for held in broker_held(settings.REDIS_URL, queue)
        ),
        timeout=VISIBILITY_TIMEOUT + 30,
        what="the killed worker's tasks to be past the visibility timeout",
    )
    worker.start()

    wait_for(lambda: statuses() == Counter({Status.SENT: 6}), timeout=90, what="6 rows marked sent")
    # No duplicate can come once nothing is queued or held any more (tasks are acknowledged late).
    wait_for(lambda: broker_idle(settings.REDIS_URL, queue), timeout=60, what="every task to finish")
    assert Counter(smtp.handler.recipients()) == Counter({p.user.email: 1 for p in learners})


REQUEUE_AFTER = 3  # seconds (production: 300)


def test_reminders_a_killed_worker_held_are_sent_by_a_fresh_worker_long_before_the_visibility_timeout(
    smtp: SmtpSink, service_env: dict[str, str], queue: str, tmp_path: Path
) -> None:
    # The production visibility timeout: Redis alone would hand the lost tasks out after an hour.
    env = {
        **service_env,
        "CELERY_VISIBILITY_TIMEOUT": "3600",
        "REMINDER_REQUEUE_AFTER": str(REQUEUE_AFTER),
        "REMINDER_REQUEUE_EVERY": "1",
    }
    learners = due_learners(6)
    smtp.handler.rcpt_delay = 0.5
    first = CeleryWorker(env=env, log_path=tmp_path / "first.log", queue=queue)
    fresh = CeleryWorker(env=env, log_path=tmp_path / "fresh.log", queue=queue, beat=True)
    first.start()
    try:
        run_manage("send_reminders", env=env)
        kill_mid_batch(first, smtp)
        killed_at = time.monotonic()

        fresh.start()
        wait_for(lambda: statuses() == Counter({Status.SENT: 6}), timeout=90, what="6 rows marked sent")
        took = time.monotonic() - killed_at
        # Room for a duplicate to show up: beat's requeue runs twice more with every row sent.
        runs = fresh.log().count(b"reminders_requeue")
        wait_for(lambda: fresh.log().count(b"reminders_requeue") >= runs + 4, timeout=30, what="requeue runs")
    finally:
        first.kill()
        fresh.stop()

    assert took < 60, f"sent {took:.0f} s after the kill"
    assert Counter(smtp.handler.recipients()) == Counter({p.user.email: 1 for p in learners})
    assert b"waiting e-mails again" in fresh.log()


def test_a_failing_mail_server_is_retried_then_the_failure_is_logged(
    worker: CeleryWorker, smtp: SmtpSink, service_env: dict[str, str]
) -> None:
    due_learners(1)
    smtp.handler.reject = "451 4.3.0 Mailbox temporarily unavailable"

    run_manage("send_reminders", env=service_env)

    # REMINDER_MAX_RETRIES=2: the first try and two retries, one and about two seconds apart.
    wait_for(lambda: statuses() == Counter({Status.FAILED: 1}), timeout=60, what="the row to fail")
    log = ReminderLog.objects.get()
    assert log.attempts == 3
    assert smtp.handler.attempts == 3
    assert "451" in log.error and "temporarily unavailable" in log.error
    assert smtp.handler.received == []


def test_the_unsubscribe_header_of_a_delivered_mail_works_with_one_click(
    worker: CeleryWorker, smtp: SmtpSink, service_env: dict[str, str]
) -> None:
    (learner,) = due_learners(1)
    run_manage("send_reminders", env=service_env)
    wait_for(lambda: len(smtp.handler.received) == 1, timeout=60, what="the mail")
    raw = smtp.handler.received[0].raw
    message = smtp.handler.received[0].message

    # The header is the plain URL on the wire (no RFC 2047 encoding) and says One-Click.
    assert b"\nList-Unsubscribe: <http://testserver/reminders/unsubscribe/" in raw
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(url).path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    preference = ReminderPreference.objects.get(user=learner.user)
    assert preference.frequency == ReminderPreference.Frequency.OFF
    assert preference.next_reminder_at is None
