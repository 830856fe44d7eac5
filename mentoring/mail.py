"""The mentor invitation mail: built and delivered here by the Celery task of mentoring/tasks.py,
never by the web request."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.mail import mail_name, send
from accounts.models import User
from mentoring.models import Mentorship


def invitation_deliver(*, mentorship_id: int) -> bool:
    """Mail a pending e-mail invitation unless it went out already; True when this call sent it.

    `sent_at` is written once the mail server accepted the mail, so the resend limit
    (services.RESEND_AFTER) counts only mails that actually left. No row lock is held while
    talking to the server: a learner's resend (which withdraws this invitation) never waits for a
    slow mail server. A withdrawn or replaced invitation is not sent; one withdrawn while its mail
    is on the wire is harmless (its link says so). The broker redelivering a task whose mail went
    out but whose worker died before the UPDATE sends it again: a rare duplicate beats a lost mail.
    """
    from mentoring.services import invite_path  # services enqueue the tasks that call this module

    mentorship = (
        Mentorship.objects.select_related("learner")
        .filter(
            pk=mentorship_id,
            status=Mentorship.Status.PENDING,
            channel=Mentorship.Channel.EMAIL,
            sent_at__isnull=True,
        )
        .first()
    )
    if mentorship is None:
        return False
    path = invite_path(mentorship)
    context = {
        "learner_name": mail_name(mentorship.learner),
        "learner_email": mentorship.learner.email,
        "invitation_url": settings.SITE_URL + path,
        "signup_url": f"{settings.SITE_URL}{reverse('accounts:signup')}?{urlencode({'next': path})}",
        "has_account": User.objects.filter(email__iexact=mentorship.invited_email).exists(),
        "max_age_days": settings.MENTOR_INVITE_MAX_AGE_DAYS,
    }
    # The learner's name is not in the subject: the subject is the first thing a spammer would use.
    send(
        subject="You are invited to mentor a learner on Pathwise",
        template="mentoring/invite_email",
        context=context,
        to=mentorship.invited_email,
    )
    Mentorship.objects.filter(pk=mentorship.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True
