"""Celery tasks of the accounts app: thin wrappers that take ids and send one mail (accounts.mail),
retried with exponential back-off while the mail server refuses or is unreachable (`mail_task`,
shared with the other apps' mail tasks)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from accounts import mail

# The retry policy of every mail task (the reminders' sends too): about REMINDER_RETRY_BACKOFF s,
# doubling, 10 min at most.
MAIL_RETRY: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": mail.RETRYABLE,
    "max_retries": settings.REMINDER_MAX_RETRIES,
    "retry_backoff": settings.REMINDER_RETRY_BACKOFF,
    "retry_backoff_max": 600,
    "retry_jitter": True,
}
mail_task = shared_task(**MAIL_RETRY)


@mail_task
def verification_send(user_id: int) -> bool:
    return mail.verification_deliver(user_id=user_id)


@mail_task
def password_reset_send(
    user_id: int, context: dict[str, Any], subject_template: str, email_template: str, to_email: str
) -> bool:
    return mail.password_reset_deliver(
        user_id=user_id,
        context=context,
        subject_template=subject_template,
        email_template=email_template,
        to_email=to_email,
    )
