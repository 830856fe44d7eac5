"""Celery tasks of mentoring: the invitation mail (mentoring.mail), retried like every mail task."""

from __future__ import annotations

from accounts.tasks import mail_task
from mentoring import mail


@mail_task
def invitation_send(mentorship_id: int) -> bool:
    return mail.invitation_deliver(mentorship_id=mentorship_id)
