"""Mails of mentoring (the invitation, notifications of reviews and comments, daily summaries): built
and delivered here by the Celery tasks of mentoring/tasks.py, never by the web request."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.mail import mail_name, send
from accounts.models import User
from mentoring.models import DailySummary, Delivery, Mentorship, Notification, NotificationKind
from mentoring.tokens import invite_path


def invitation_deliver(*, mentorship_id: int) -> bool:
    """Mail a pending e-mail invitation unless it went out already; True when this call sent it.

    `sent_at` is written once the mail server accepted the mail, so the resend limit
    (services.RESEND_AFTER) counts only mails that actually left. No row lock is held while
    talking to the server: a learner's resend (which withdraws this invitation) never waits for a
    slow mail server. A withdrawn or replaced invitation is not sent; one withdrawn while its mail
    is on the wire is harmless (its link says so). The broker redelivering a task whose mail went
    out but whose worker died before the UPDATE sends it again: a rare duplicate beats a lost mail.
    """
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
        "signup_url": f"{settings.SITE_URL}{reverse('accounts:signup')}?"
        + urlencode({"next": path, "email": mentorship.invited_email}),
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


# ---------------------------------------------------------------- notifications


SUBJECTS = {
    NotificationKind.REVIEW_REQUESTED: "{actor} asks you to review “{step}”",
    NotificationKind.REVIEW_ANSWERED: "{actor} answered your review request for “{step}”",
    NotificationKind.COMMENT: "{actor} commented on “{step}”",
}


def _step_url(notification: Notification, mentor_keys: dict[int, str]) -> str | None:
    """Where the recipient reads about it: the learner's own step page, or the mentor's page of the
    mentee's step; None when the recipient may no longer see the step (the mentorship ended)."""
    progress = notification.progress
    slug = progress.item.slug
    if notification.recipient_id == progress.learner_id:
        return settings.SITE_URL + reverse("roadmap:step", args=[progress.kind, slug])
    key = mentor_keys.get(progress.learner_id)
    if key is None:
        return None
    return settings.SITE_URL + reverse("mentoring:mentee_step", args=[key, progress.kind, slug])


def _mentor_keys(recipient_id: int) -> dict[int, str]:
    """The recipient's active mentorships as mentor: learner id → the key of their mentee pages."""
    rows = Mentorship.objects.filter(mentor_id=recipient_id, status=Mentorship.Status.ACTIVE)
    return dict(rows.values_list("learner_id", "key"))


def _line(notification: Notification, url: str) -> dict[str, str]:
    actor = mail_name(notification.actor) if notification.actor else "Someone"
    step = str(notification.progress.item)
    return {
        "subject": SUBJECTS[NotificationKind(notification.kind)].format(actor=actor, step=step),
        "kind": notification.kind,
        "actor": actor,
        "step": step,
        "url": url,
    }


NOTIFICATION_RELATED = (
    "recipient",
    "actor",
    "progress__skill",
    "progress__course",
    "progress__certification",
    "progress__project",
)


def notification_deliver(*, notification_id: int) -> bool:
    """Mail one instant notification unless it went out already or its recipient may no longer see
    the step; True when this call sent it. Like the invitation: no lock held while talking to the
    mail server, and a worker dying between the send and the UPDATE means a rare duplicate."""
    notification = (
        Notification.objects.select_related(*NOTIFICATION_RELATED)
        .filter(
            pk=notification_id, delivery=Delivery.INSTANT, emailed_at__isnull=True, recipient__is_active=True
        )
        .first()
    )
    if notification is None:
        return False
    url = _step_url(notification, _mentor_keys(notification.recipient_id))
    if url is None:
        return False
    line = _line(notification, url)
    send(
        subject=line["subject"],
        template="mentoring/email/notification",
        context={**line, "settings_url": settings.SITE_URL + reverse("mentoring:notifications")},
        to=notification.recipient.email,
    )
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return True


def summary_deliver(*, summary_id: int) -> bool:
    """Mail one daily summary once: its row stays locked while the mail server answers, so a second
    task for it (a repeated sweep, a redelivery) waits and then finds it sent; a refused mail rolls
    back and the task's retry sends the same summary."""
    with transaction.atomic():
        summary = (
            DailySummary.objects.select_for_update()
            .select_related("user")
            .filter(pk=summary_id, sent_at__isnull=True, user__is_active=True)
            .first()
        )
        if summary is None:
            return False
        keys = _mentor_keys(summary.user_id)
        notifications = list(summary.notifications.select_related(*NOTIFICATION_RELATED))
        lines = [_line(n, url) for n in notifications if (url := _step_url(n, keys)) is not None]
        now = timezone.now()
        if lines:
            send(
                subject=f"Pathwise mentoring: {len(lines)} update{'s' if len(lines) != 1 else ''} of {summary.day:%-d %b}",
                template="mentoring/email/summary",
                context={
                    "lines": lines,
                    "settings_url": settings.SITE_URL + reverse("mentoring:notifications"),
                },
                to=summary.user.email,
            )
        DailySummary.objects.filter(pk=summary.pk).update(sent_at=now)
        summary.notifications.update(emailed_at=now)
    return bool(lines)
