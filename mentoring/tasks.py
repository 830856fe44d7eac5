"""Celery tasks of mentoring: the invitation, notification and daily summary mails (mentoring.mail),
retried like every mail task, and the daily summaries' sweep."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from accounts.mail import enqueue
from accounts.tasks import mail_task
from mentoring import mail, notifications


@mail_task
def invitation_send(mentorship_id: int) -> bool:
    return mail.invitation_deliver(mentorship_id=mentorship_id)


@mail_task
def notification_send(notification_id: int) -> bool:
    return mail.notification_deliver(notification_id=notification_id)


@mail_task
def summary_send(summary_id: int) -> bool:
    return mail.summary_deliver(summary_id=summary_id)


@shared_task(acks_late=True)
def summaries_sweep(now: dt.datetime | None = None) -> int:
    """Daily (beat): queue each person's summary of the mentoring news they chose to get once a day
    (`now` only for tests that call it directly; beat passes nothing)."""
    due = notifications.summaries_prepare(now=now)
    for pk in due:
        enqueue(summary_send, pk)
    return len(due)
