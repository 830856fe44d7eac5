"""Celery tasks of the reminders: thin wrappers that take ids and call reminders.services."""

from __future__ import annotations

from celery import Task, shared_task

from accounts.tasks import MAIL_RETRY
from reminders import services


@shared_task(acks_late=True)
def reminders_sweep() -> int:
    """Every 15 minutes (beat): queue a reminder for each learner whose local hour has come."""
    return len(services.reminders_sweep().queued)


@shared_task(acks_late=True)
def nudges_sweep() -> int:
    return len(services.nudges_sweep().queued)


@shared_task(acks_late=True)
def digests_sweep() -> int:
    return len(services.digests_sweep().queued)


@shared_task(acks_late=True)
def reminders_requeue() -> int:
    """Every minute (beat): queue again the e-mails whose task a dead worker took with it."""
    return len(services.stale_requeue())


@shared_task(acks_late=True)
def sends_fan_out(log_ids: list[int]) -> int:
    """Publish one send task per id (a batch from a big sweep). Run twice, it sends nothing twice."""
    services.sends_enqueue(log_ids=log_ids)
    return len(log_ids)


@shared_task(bind=True, **MAIL_RETRY)
def reminder_send(self: Task, log_id: int) -> bool:
    """Send one logged e-mail; a failing mail server is retried with exponential back-off, and the
    last failure leaves the log row failed with the error (reminders.services.reminder_deliver)."""
    final_attempt = self.request.retries >= (self.max_retries or 0)
    return services.reminder_deliver(log_id=log_id, final_attempt=final_attempt)
