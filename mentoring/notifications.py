"""Writes of mentoring notifications: who hears of a review request, its answer or a comment (each
person's NotificationSettings: right away, in a daily summary, or never), the settings themselves,
and the daily summaries due. The mails leave from Celery tasks (mentoring.tasks), never the request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from mentoring.models import (
    DailySummary,
    Delivery,
    Mentorship,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from roadmap.models import Progress

KINDS = NotificationKind.values
# An unsent summary older than this is dropped by the sweep: yesterday's news a week late helps nobody.
SUMMARY_CATCH_UP_DAYS = 3


class NotificationSettingsError(ValueError):
    """Settings that cannot be stored; the message is meant for the user."""


def _recipient_ids(*, kind: str, progress: Progress, actor_id: int) -> list[int]:
    """The other side of the step: its learner's active mentors, or the learner."""
    mentors = list(
        Mentorship.objects.filter(
            learner_id=progress.learner_id, status=Mentorship.Status.ACTIVE, mentor__isnull=False
        ).values_list("mentor_id", flat=True)
    )
    to_mentors = kind == NotificationKind.REVIEW_REQUESTED or (
        kind == NotificationKind.COMMENT and actor_id == progress.learner_id
    )
    recipients = mentors if to_mentors else [progress.learner_id]
    return [pk for pk in recipients if pk is not None and pk != actor_id]


def notify(*, kind: str, progress: Progress, actor_id: int) -> list[Notification]:
    """Record what happened for everyone who wants to hear of it. The caller (mentoring.services)
    queues the mail of the instant ones; the daily ones wait for the summaries' sweep."""
    recipients = _recipient_ids(kind=kind, progress=progress, actor_id=actor_id)
    chosen = {row.user_id: row for row in NotificationSettings.objects.filter(user_id__in=recipients)}
    created = []
    for recipient_id in recipients:
        row = chosen.get(recipient_id)
        delivery = row.delivery(kind) if row else Delivery.INSTANT
        if delivery == Delivery.OFF:
            continue
        notification = Notification.objects.create(
            recipient_id=recipient_id, kind=kind, delivery=delivery, progress=progress, actor_id=actor_id
        )
        created.append(notification)
    return created


def notification_settings_get(*, user: User) -> NotificationSettings:
    """The user's settings, unsaved defaults (everything right away) when they never chose."""
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)


@transaction.atomic
def notification_settings_update(*, user: User, choices: dict[str, Any]) -> NotificationSettings:
    """Store how `user` wants to hear of each kind; a kind left out keeps its setting."""
    unknown = set(choices) - set(KINDS)
    if unknown:
        raise NotificationSettingsError(f"Unknown kind of notification: {', '.join(sorted(unknown))}.")
    for kind, value in choices.items():
        if value not in Delivery.values:
            raise NotificationSettingsError(
                f"Choose right away, daily summary or never for “{NotificationKind(kind).label}”."
            )
    row, _ = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    for kind, value in choices.items():
        setattr(row, kind, value)
    row.save()
    return row


@transaction.atomic
def summary_prepare(*, user_id: int, day: dt.date) -> int | None:
    """Gather `user_id`'s waiting daily notifications into their summary of `day`; its id, or None
    when that summary went out already (what came since waits for the next day's)."""
    summary, _ = DailySummary.objects.get_or_create(user_id=user_id, day=day)
    summary = DailySummary.objects.select_for_update().get(pk=summary.pk)
    if summary.sent_at is not None:
        return None
    Notification.objects.filter(
        recipient_id=user_id, delivery=Delivery.DAILY, emailed_at__isnull=True, summary__isnull=True
    ).update(summary=summary)
    return summary.pk


def summaries_prepare(*, now: dt.datetime | None = None) -> list[int]:
    """The daily summaries due: one per person with daily notifications waiting, and any earlier
    one whose send was lost (a worker died for good). Their ids, for the sweep to queue
    (mentoring.tasks.summaries_sweep); run twice, it returns the same summaries and the send sends
    each once (mentoring.mail)."""
    now = now or timezone.now()
    day = now.astimezone(dt.UTC).date()
    waiting = (
        Notification.objects.filter(delivery=Delivery.DAILY, emailed_at__isnull=True, summary__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    due = {pk for user_id in waiting if (pk := summary_prepare(user_id=user_id, day=day)) is not None}
    due |= set(
        DailySummary.objects.filter(
            sent_at__isnull=True, day__gte=day - dt.timedelta(days=SUMMARY_CATCH_UP_DAYS)
        ).values_list("pk", flat=True)
    )
    return sorted(due)
