"""Beat's requeue of reminder e-mails whose task was lost (a worker killed while holding it)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from reminders import services
from reminders.models import ReminderLog
from reminders.tasks import reminders_requeue
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db
Status = ReminderLog.Status


def queued_log(*, minutes_ago: int, attempts: int = 0, period: str = "2026-W48") -> ReminderLog:
    profile: Any = ProfileFactory(onboarded_at=timezone.now())
    return ReminderLog.objects.create(
        user=profile.user,
        kind=ReminderLog.Kind.REMINDER,
        period=period,
        attempts=attempts,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_a_reminder_whose_task_was_lost_is_sent_after_five_minutes(settings: Any) -> None:
    settings.REMINDER_REQUEUE_AFTER = 300
    lost = queued_log(minutes_ago=6)
    recent = queued_log(minutes_ago=2)

    assert reminders_requeue() == 1

    assert [m.to for m in mail.outbox] == [[lost.user.email]]
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert (lost.status, recent.status) == (Status.SENT, Status.QUEUED)


def test_a_reminder_waiting_for_its_retry_is_left_to_the_retry(settings: Any) -> None:
    settings.REMINDER_REQUEUE_AFTER = 300
    retrying = queued_log(minutes_ago=20, attempts=1)

    assert reminders_requeue() == 0

    assert mail.outbox == []
    retrying.refresh_from_db()
    assert retrying.status == Status.QUEUED


def test_a_row_is_queued_again_once_per_interval_however_often_beat_runs(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With no worker running, the row stays queued: beat must not add a task for it every minute.
    settings.REMINDER_REQUEUE_AFTER = 300
    published: list[int] = []
    monkeypatch.setattr(services, "sends_enqueue", lambda *, log_ids: published.extend(log_ids))
    lost = queued_log(minutes_ago=6)

    for _ in range(5):
        services.stale_requeue()

    assert published == [lost.pk]
