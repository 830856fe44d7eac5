"""Mails of the accounts app (address verification, password reset): built and delivered here by the
Celery tasks of accounts/tasks.py, never by the web request; the helpers other apps' mails share."""

from __future__ import annotations

import logging
import re
from smtplib import SMTPException
from typing import Any

from celery import Task
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User

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
    send(
        subject="Confirm your e-mail address for Pathwise",
        template="accounts/verify_email",
        context=context,
        to=user.email,
    )
    return True


# ---------------------------------------------------------------- password reset


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


def send(*, subject: str, template: str, context: dict[str, Any], to: str) -> None:
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"{template}.txt", context), to=[to]
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()
