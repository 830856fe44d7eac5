"""Mails of the accounts app (address verification, mentor invitations, password reset): built and
delivered here by the Celery tasks of accounts/tasks.py, never by the web request."""

from __future__ import annotations

import logging
import re
from smtplib import SMTPException
from typing import Any
from urllib.parse import urlencode

from celery import Task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Mentorship, User

logger = logging.getLogger(__name__)

VERIFY_SALT = "pathwise.accounts.verify-email"
# Errors worth retrying: the mail server said no for now (451), or could not be reached.
RETRYABLE = (SMTPException, OSError)
# Anything a mail client would turn into a link: a scheme, "www.", or a dotted host name.
LINKISH = re.compile(
    r"(?i)(?:\b[a-z][a-z0-9+.-]*://\S*|\bmailto:\S*|\bwww\.\S*|\S*@\S*"
    r"|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b\S*)"
)


def mail_name(user: User) -> str:
    """The sender's display name as plain text for a mail body: whatever looks like a link or an
    address is dropped (a display name must not carry spam); "A Pathwise learner" if nothing is left."""
    name = " ".join(LINKISH.sub(" ", user.display_name).split())
    return name or "A Pathwise learner"


def enqueue(task: Task, *args: Any) -> None:
    """Publish `task` once the current transaction commits, so the worker finds the rows.

    Without a broker (development, tests) the task runs in-process; a mail failure is then logged,
    never raised into the request that asked for the mail."""

    def publish() -> None:
        if task.app.conf.task_always_eager:
            try:  # one attempt: retrying in-process would only hold the request up
                task.apply(args, retries=task.max_retries or 0, throw=True)
            except Exception:
                logger.exception("Mail task %s%r failed", task.name, args)
            return
        task.apply_async(args, queue=settings.CELERY_TASK_DEFAULT_QUEUE)

    transaction.on_commit(publish)


# ---------------------------------------------------------------- address verification


def verification_token(user: User) -> str:
    """A signed, timed token naming the user and the address: it stops working if the address changes."""
    return signing.TimestampSigner(salt=VERIFY_SALT).sign_object({"id": user.pk, "email": user.email})


def verification_user(token: str) -> User:
    """The user a verification link names; raises signing.SignatureExpired or signing.BadSignature."""
    max_age = settings.EMAIL_VERIFY_MAX_AGE_DAYS * 86400
    data = signing.TimestampSigner(salt=VERIFY_SALT).unsign_object(token, max_age=max_age)
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise signing.BadSignature("Not a verification token")
    user = User.objects.filter(pk=data["id"], email=str(data.get("email")), is_active=True).first()
    if user is None:
        raise signing.BadSignature("The link names no account with this address")
    return user


def verification_deliver(*, user_id: int) -> bool:
    """Mail the verification link; True when a mail went out (not for a verified or gone account)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_verified:
        return False
    context = {
        "name": mail_name(user) if user.display_name else "",
        "verify_url": settings.SITE_URL + reverse("accounts:verify_email", args=[verification_token(user)]),
        "max_age_days": settings.EMAIL_VERIFY_MAX_AGE_DAYS,
    }
    _send(
        subject="Confirm your e-mail address for Pathwise",
        template="accounts/verify_email",
        context=context,
        to=user.email,
    )
    return True


# ---------------------------------------------------------------- mentor invitations


def invitation_deliver(*, mentorship_id: int) -> bool:
    """Mail a pending e-mail invitation unless it went out already; True when this call sent it.

    `sent_at` is written once the mail server accepted the mail, so the resend limit
    (services.RESEND_AFTER) counts only mails that actually left. No row lock is held while
    talking to the server: a learner's resend (which withdraws this invitation) never waits for a
    slow mail server. A withdrawn or replaced invitation is not sent; one withdrawn while its mail
    is on the wire is harmless (its link says so). The broker redelivering a task whose mail went
    out but whose worker died before the UPDATE sends it again: a rare duplicate beats a lost mail.
    """
    from accounts.services import invite_path  # services enqueue the tasks that call this module

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
    _send(
        subject="You are invited to mentor a learner on Pathwise",
        template="accounts/mentoring/invite_email",
        context=context,
        to=mentorship.invited_email,
    )
    Mentorship.objects.filter(pk=mentorship.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


# ---------------------------------------------------------------- password reset


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form whose mail is a Celery task: the request takes as long whether or not
    the address has an account, and a slow or failing mail server never holds it up."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from accounts.tasks import password_reset_send

        user = context["user"]
        plain = {key: value for key, value in context.items() if key != "user"}
        enqueue(password_reset_send, user.pk, plain, subject_template_name, email_template_name, to_email)


def password_reset_deliver(
    *, user_id: int, context: dict[str, Any], subject_template: str, email_template: str, to_email: str
) -> bool:
    """Send the reset mail the form prepared. Unlike Django's own send_mail, which logs and drops a
    failure, an error here propagates so that the task retries."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    context = {**context, "user": user}
    subject = "".join(render_to_string(subject_template, context).splitlines())
    EmailMultiAlternatives(subject, render_to_string(email_template, context), to=[to_email]).send()
    return True


# ---------------------------------------------------------------- building


def _send(*, subject: str, template: str, context: dict[str, Any], to: str) -> None:
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"{template}.txt", context), to=[to]
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()
