"""The reminder sweep: who is due, exactly once per period, failures and retries, the send_reminders command.\n\nTasks run in-process here (tests/conftest.py); tests/reminders/test_worker.py runs the real worker.\n"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from reminders import schedules, services
from reminders.models import ReminderLog, ReminderPreference
from tests.celery_utils import SmtpSink
from tests.factories import ProfileFactory, ReminderPreferenceFactory, UserFactory
from tests.reminders.helpers import Frequency, due, preference, queued_reminder


def test_due_learners_get_one_reminder_each(db: None, django_capture_on_commit_callbacks: Any) -> None:
    learners = due(3)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_sweep()

    assert result.due == 3 and len(result.queued) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in learners)
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderLog.Status.SENT}


def test_learners_not_due_off_or_inactive_get_nothing(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    due(1, next_reminder_at=timezone.now() + timedelta(minutes=5))
    due(1, frequency=Frequency.OFF)
    inactive = due(1)[0]
    inactive.user.is_active = False
    inactive.user.save()

    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_sweep()

    assert result.queued == [] and mail.outbox == []


def test_the_sweep_moves_due_learners_to_their_next_slot(db: None) -> None:
    (profile,) = due(1, time_zone="Pacific/Kiritimati", frequency=Frequency.DAILY)
    now = timezone.now()

    services.reminders_sweep(now=now)

    saved = preference(profile)
    assert saved.next_reminder_at == schedules.preference_schedule_next(
        preference=saved, time_zone="Pacific/Kiritimati", after=now
    )
    assert saved.next_reminder_at > now


def test_a_user_due_without_a_profile_gets_the_reminder_at_the_utc_hour(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory()  # preferences come with the user; a profile only with onboarding
    ReminderPreferenceFactory(user=user, next_reminder_at=timezone.now() - timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_sweep()

    assert len(result.queued) == 1 and [m.to for m in mail.outbox] == [[user.email]]
    slot = ReminderPreference.objects.get(user=user).next_reminder_at
    assert slot is not None and slot > timezone.now() and (slot.weekday(), slot.hour) == (0, 9)


def test_a_second_sweep_in_the_same_period_sends_nothing(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    (profile,) = due(1)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_sweep()
    # The learner moves their hour and is due again in the same week: the log row says it went out.
    ReminderPreference.objects.filter(user=profile.user).update(next_reminder_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        again = services.reminders_sweep()

    assert again.due == 1 and again.queued == []
    assert len(mail.outbox) == 1


def test_the_sweep_query_count_does_not_grow_with_due_learners(
    db: None, django_assert_max_num_queries: Any
) -> None:
    due(2)
    with django_assert_max_num_queries(12) as few:
        services.reminders_sweep()
    ReminderLog.objects.all().delete()
    due(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        services.reminders_sweep()


def test_a_sent_reminder_is_never_sent_again_by_a_retried_task(db: None) -> None:
    _, log = queued_reminder()

    assert services.reminder_deliver(log_id=log.pk) is True
    assert services.reminder_deliver(log_id=log.pk) is False
    assert len(mail.outbox) == 1


def test_a_learner_who_unsubscribed_after_the_sweep_gets_nothing(db: None) -> None:
    profile, log = queued_reminder()
    services.reminders_unsubscribe(user=profile.user)

    assert services.reminder_deliver(log_id=log.pk) is False
    log.refresh_from_db()
    assert mail.outbox == []
    assert log.status == ReminderLog.Status.FAILED and "turned reminders off" in log.error


@pytest.fixture
def rejecting_smtp(settings: Any) -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        sink.handler.reject = "451 4.3.0 Try again later"
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": sink.port, "timeout": 5},
            }
        }
        yield sink


def test_a_failed_attempt_is_counted_and_the_row_waits_for_the_retry(
    db: None, rejecting_smtp: SmtpSink
) -> None:
    profile, log = queued_reminder()

    with pytest.raises(services.RETRYABLE):
        services.reminder_deliver(log_id=log.pk, final_attempt=False)

    log.refresh_from_db()
    assert (log.status, log.attempts) == (ReminderLog.Status.QUEUED, 1)
    assert "451" in log.error
    assert preference(profile).last_reminded_at is None


def test_the_last_failed_attempt_leaves_the_row_failed_with_the_error(
    db: None, rejecting_smtp: SmtpSink
) -> None:
    _, log = queued_reminder()

    with pytest.raises(services.RETRYABLE):
        services.reminder_deliver(log_id=log.pk, final_attempt=True)

    log.refresh_from_db()
    assert log.status == ReminderLog.Status.FAILED
    assert log.error.startswith("SMTPDataError") and "Try again later" in log.error


@pytest.mark.postgres
def test_the_due_learner_query_can_use_the_next_reminder_index(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = services.due_rows(now=timezone.now()).explain()
    assert "Index" in plan and "next_reminder_at" in plan


@pytest.mark.django_db(transaction=True)
def test_send_reminders_command_sends_what_is_due_and_says_so(capsys: Any) -> None:
    learner = ProfileFactory(onboarded_at=timezone.now())

    call_command("send_reminders", "--learner", learner.user.email)

    output = capsys.readouterr().out
    assert "Scheduled reminders: 1 due, 1 new, 1 sent, 0 failed" in output
    assert [m.to for m in mail.outbox] == [[learner.user.email]]


def test_send_reminders_command_schedules_onboarded_learners_without_a_slot(db: None) -> None:
    learner = ProfileFactory(onboarded_at=timezone.now())
    ReminderPreferenceFactory(user=learner.user, next_reminder_at=None)  # a path that did not schedule it

    call_command("send_reminders")

    assert preference(learner).next_reminder_at is not None
