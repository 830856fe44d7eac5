"""Reminder writes: preferences, the sweeps that find who is due, log rows, sending, requeueing, unsubscribing."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.cache import caches
from django.core.mail import mailers
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from accounts.mail import RETRYABLE
from accounts.models import Profile, User, time_zone_names
from mentoring.models import Mentorship
from reminders.messages import reminder_message
from reminders.models import ReminderLog, ReminderPreference
from reminders.schedules import (
    SWEEP_INTERVAL,
    Frequency,
    iso_week,
    preference_schedule_next,
    reminder_period,
    schedule_next,
)

logger = logging.getLogger(__name__)

Kind = ReminderLog.Kind
LogStatus = ReminderLog.Status
# The send tasks by name (reminders.tasks imports this module, so it is not imported back).
SEND_TASK = "reminders.tasks.reminder_send"
FAN_OUT_TASK = "reminders.tasks.sends_fan_out"


@transaction.atomic
def preference_create(*, user: User) -> ReminderPreference:
    """A new user's reminder preferences: the defaults (weekly, Mondays at 09:00)."""
    return ReminderPreference.objects.create(user=user)


def preference_get_or_create(*, user: User) -> tuple[ReminderPreference, Profile]:
    """The user's reminder preferences and profile in one read, created with the defaults when
    missing (a user made before either existed, or in bulk without the post_save receivers)."""
    preference = ReminderPreference.objects.select_related("user__profile").filter(user=user).first()
    if preference is None:
        preference, _ = ReminderPreference.objects.get_or_create(user=user)
    profile = getattr(preference.user, "profile", None)
    if profile is None:
        profile, _ = Profile.objects.get_or_create(user=user)
    return preference, profile


def preference_schedule_update(
    *, preference: ReminderPreference, time_zone: str, now: dt.datetime | None = None
) -> None:
    """Recompute and save next_reminder_at; runs after every change of the preferences or of the
    time zone (the settings page here, onboarding and profile edits through reminders.receivers)."""
    now = now or timezone.now()
    preference.next_reminder_at = preference_schedule_next(
        preference=preference, time_zone=time_zone, after=now - SWEEP_INTERVAL
    )
    preference.save(update_fields=["next_reminder_at"])


@transaction.atomic
def reminder_preferences_update(
    *,
    preference: ReminderPreference,
    profile: Profile,
    frequency: str,
    weekday: int,
    hour: int,
    time_zone: str,
) -> ReminderPreference:
    """Save the user's reminder preferences, their time zone and their next slot."""
    if frequency not in Frequency.values or not 0 <= weekday <= 6 or not 0 <= hour <= 23:
        raise ValueError("Unknown reminder schedule.")
    if time_zone not in time_zone_names():
        raise ValueError(f"Unknown time zone {time_zone!r}.")
    preference.frequency = frequency
    preference.weekday = weekday
    preference.hour = hour
    preference.save(update_fields=["frequency", "weekday", "hour"])
    # An UPDATE, not save(): the profile's post_save would recompute the slot a second time.
    Profile.objects.filter(pk=profile.pk).update(time_zone=time_zone)
    profile.time_zone = time_zone
    preference_schedule_update(preference=preference, time_zone=time_zone)
    return preference


# ---------------------------------------------------------------- the sweeps


@dataclass
class Sweep:
    """What one sweep did: how many were due, and the reminder log rows it created and queued."""

    kind: str
    due: int = 0
    queued: list[int] = field(default_factory=list)


def due_rows(*, now: dt.datetime) -> QuerySet[ReminderPreference, tuple[Any, ...]]:
    """The users whose reminder slot has come, as the sweep reads them: a range scan of the
    next_reminder_at index (reminders off means no slot, so those rows are never in the range)."""
    return (
        ReminderPreference.objects.filter(next_reminder_at__lte=now)
        .exclude(frequency=Frequency.OFF)
        .order_by()
        .values_list(
            "user_id",
            "user__is_active",
            "frequency",
            "weekday",
            "hour",
            "user__profile__time_zone",
            "next_reminder_at",
        )
    )


def reminders_sweep(*, now: dt.datetime | None = None) -> Sweep:
    """Queue one reminder for each active learner whose slot has come, and move everyone due to
    their next slot. One query selects them; nothing loops over learners who are not due."""
    now = now or timezone.now()
    sweep = Sweep(Kind.REMINDER)
    with transaction.atomic():
        preferences_schedule_missing(now=now)
        due = list(due_rows(now=now))
        sweep.due = sum(1 for row in due if row[1])
        logs = [
            ReminderLog(
                user_id=user_id,
                kind=Kind.REMINDER,
                period=reminder_period(frequency=frequency, slot=slot or now, time_zone=zone),
                created_at=now,
            )
            for user_id, active, frequency, _, _, zone, slot in due
            if active
        ]
        sweep.queued = _logs_create(logs, kind=Kind.REMINDER, now=now)
        _preferences_advance(due, now=now)
        transaction.on_commit(partial(sends_enqueue, log_ids=sweep.queued), robust=True)
    return sweep


def preferences_schedule_missing(*, now: dt.datetime) -> int:
    """Give a first slot to onboarded learners who have none (a code path that saved the profile
    without scheduling): one UPDATE per distinct schedule, through the same index."""
    missing = (
        ReminderPreference.objects.filter(
            next_reminder_at__isnull=True, user__profile__onboarded_at__isnull=False
        )
        .exclude(frequency=Frequency.OFF)
        .order_by()
    )
    updated = 0
    schedules = missing.values_list("frequency", "weekday", "hour", "user__profile__time_zone")
    for frequency, weekday, hour, zone in schedules.distinct()[:1000]:
        first = schedule_next(
            frequency=frequency, weekday=weekday, hour=hour, time_zone=zone, after=now - SWEEP_INTERVAL
        )
        updated += missing.filter(
            frequency=frequency, weekday=weekday, hour=hour, user__profile__time_zone=zone
        ).update(next_reminder_at=first)
    return updated


def _preferences_advance(due: list[tuple[Any, ...]], *, now: dt.datetime) -> None:
    """Move the due users to their next slot: one UPDATE per schedule (zone, hour, weekday), not
    per user; rows whose schedule changed meanwhile no longer match and keep their new slot."""
    groups: set[tuple[str, int, int, str]] = set()
    for _, _, frequency, weekday, hour, zone, _ in due:
        groups.add((frequency, weekday if frequency == Frequency.WEEKLY else 0, hour, zone))
    for frequency, weekday, hour, zone in sorted(groups):
        rows = ReminderPreference.objects.filter(
            next_reminder_at__lte=now, frequency=frequency, hour=hour, user__profile__time_zone=zone
        )
        if frequency == Frequency.WEEKLY:
            rows = rows.filter(weekday=weekday)
        following = schedule_next(frequency=frequency, weekday=weekday, hour=hour, time_zone=zone, after=now)
        rows.update(next_reminder_at=following)


def _logs_create(logs: list[ReminderLog], *, kind: str, now: dt.datetime) -> list[int]:
    """Insert the log rows, skipping (user, kind, period) already logged; the ids of the new rows.

    New rows are the queued ones stamped with this sweep's instant (looked up through the status
    index: queued rows are only those in flight).
    """
    if not logs:
        return []
    ReminderLog.objects.bulk_create(logs, ignore_conflicts=True, batch_size=2000)
    return list(
        ReminderLog.objects.filter(status=LogStatus.QUEUED, kind=kind, created_at=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def nudges_sweep(*, now: dt.datetime | None = None) -> Sweep:
    """Queue a nudge for each learner quiet for NUDGE_AFTER_DAYS, at most one per quiet spell: the
    period is the date of the last activity, so only new activity opens a new spell."""
    now = now or timezone.now()
    sweep = Sweep(Kind.NUDGE)
    nudged = ReminderLog.objects.filter(
        user_id=OuterRef("user_id"), kind=Kind.NUDGE, created_at__gte=OuterRef("last_activity_at")
    )
    with transaction.atomic():
        quiet = list(
            Profile.objects.filter(
                last_activity_at__lte=now - dt.timedelta(days=settings.NUDGE_AFTER_DAYS),
                user__is_active=True,
            )
            .exclude(user__reminder_preference__frequency=Frequency.OFF)
            .filter(~Exists(nudged))
            .order_by()
            .values_list("user_id", "last_activity_at")
        )
        sweep.due = len(quiet)
        logs = [
            ReminderLog(
                user_id=user_id, kind=Kind.NUDGE, period=(last or now).date().isoformat(), created_at=now
            )
            for user_id, last in quiet
        ]
        sweep.queued = _logs_create(logs, kind=Kind.NUDGE, now=now)
        transaction.on_commit(partial(sends_enqueue, log_ids=sweep.queued), robust=True)
    return sweep


def digests_sweep(*, now: dt.datetime | None = None) -> Sweep:
    """Queue this ISO week's digest for each mentor with active mentees who has not had it yet."""
    now = now or timezone.now()
    period = iso_week(now.date())
    sweep = Sweep(Kind.DIGEST)
    mentoring = Mentorship.objects.filter(
        mentor=OuterRef("pk"), status=Mentorship.Status.ACTIVE, learner__is_active=True
    )
    sent = ReminderLog.objects.filter(user=OuterRef("pk"), kind=Kind.DIGEST, period=period)
    with transaction.atomic():
        mentors = list(
            User.objects.filter(Exists(mentoring), is_active=True)
            .exclude(reminder_preference__frequency=Frequency.OFF)
            .filter(~Exists(sent))
            .order_by()
            .values_list("pk", flat=True)
        )
        sweep.due = len(mentors)
        logs = [ReminderLog(user_id=pk, kind=Kind.DIGEST, period=period, created_at=now) for pk in mentors]
        sweep.queued = _logs_create(logs, kind=Kind.DIGEST, now=now)
        transaction.on_commit(partial(sends_enqueue, log_ids=sweep.queued), robust=True)
    return sweep


def sends_enqueue(*, log_ids: Iterable[int]) -> None:
    """One send task per log row. Runs after the sweep commits, so a worker always finds the row.

    Publishing costs about a millisecond a task, so a big slot (thousands due at once) is handed
    out in batches of REMINDER_FAN_OUT ids that workers expand into single sends: the sweep stays short.
    """
    log_ids = list(log_ids)
    if not log_ids:
        return
    send = current_app.signature(SEND_TASK)
    if current_app.conf.task_always_eager:
        # In-process (no broker): each send has recorded its own failure; go on with the others.
        for log_id in log_ids:
            try:
                send.clone(args=(log_id,)).delay()
            except Exception:
                logger.exception("Reminder %s was not sent", log_id)
        return
    # One producer, so the batch shares one broker connection.
    with current_app.producer_or_acquire() as producer:
        size = settings.REMINDER_FAN_OUT
        if len(log_ids) > size:
            fan_out = current_app.signature(FAN_OUT_TASK)
            for start in range(0, len(log_ids), size):
                fan_out.clone(args=(log_ids[start : start + size],)).apply_async(producer=producer)
            return
        for log_id in log_ids:
            send.clone(args=(log_id,)).apply_async(producer=producer)


def stale_requeue(*, older_than: dt.timedelta | None = None, untried_only: bool = True) -> list[int]:
    """Queue again the rows still queued long after their sweep; the ids queued again.

    Beat runs this every REMINDER_REQUEUE_EVERY seconds for rows never tried REMINDER_REQUEUE_AFTER
    seconds on: their task was lost, most often with a worker killed while holding it, which Redis
    would only hand out again after its visibility timeout (an hour, kept that long because retries
    wait up to 10 minutes as reserved tasks). Rows being retried have attempts and are left to
    their retry. Harmless if the original task is alive: a row is sent at most once whatever the
    task count. Each row is queued again at most once per `older_than` (a mark in the cache), so a
    stopped worker does not make the queue grow on every run.
    """
    if older_than is None:
        older_than = dt.timedelta(seconds=settings.REMINDER_REQUEUE_AFTER)
    rows = ReminderLog.objects.filter(status=LogStatus.QUEUED, created_at__lt=timezone.now() - older_than)
    if untried_only:
        rows = rows.filter(attempts=0)
    marks = caches["default"]
    ids = [
        pk
        for pk in rows.order_by("pk").values_list("pk", flat=True)
        if marks.add(f"reminders:requeued:{pk}", True, timeout=older_than.total_seconds())
    ]
    if ids:
        logger.warning("Queued %s waiting e-mails again (their task was lost): %s", len(ids), ids)
    sends_enqueue(log_ids=ids)
    return ids


# ---------------------------------------------------------------- sending one e-mail


def reminder_deliver(*, log_id: int, final_attempt: bool = True) -> bool:
    """Send the e-mail of one log row unless it went out already; True when this call sent it.

    Exactly once: the row is locked (SKIP LOCKED, so a duplicate delivery of the task leaves at
    once) and marked sent inside the transaction that sends the mail. If sending fails the
    transaction rolls back and the row stays queued for the retry; if the worker dies, PostgreSQL
    drops its lock and the broker hands the task to another worker, which finds the row queued.
    The one window left is between the mail server's "250 OK" and our COMMIT: every write is done
    before talking to the server so that only the COMMIT is left in it, and should a worker die
    exactly there the mail goes out again with the same Message-ID, which receiving servers and
    mail clients use to drop the duplicate. A lost reminder is worse than a rare duplicate.
    """
    try:
        with transaction.atomic():
            log = (
                ReminderLog.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user", "user__profile", "user__reminder_preference")
                .filter(pk=log_id, status=LogStatus.QUEUED)
                .first()
            )
            if log is None:
                return False
            message = reminder_message(log=log)
            if message is None:
                _log_close(log_id=log_id, error="Not sent: the recipient turned reminders off.")
                return False
            now = timezone.now()
            ReminderLog.objects.filter(pk=log_id).update(
                status=LogStatus.SENT, sent_at=now, attempts=F("attempts") + 1, error=""
            )
            if log.kind == Kind.REMINDER:
                ReminderPreference.objects.filter(user_id=log.user_id).update(last_reminded_at=now)
            mailers.default.send_messages([message])
    except RETRYABLE as exc:
        _failure_record(log_id=log_id, exc=exc, final=final_attempt)
        raise
    except Exception as exc:
        _failure_record(log_id=log_id, exc=exc, final=True)
        raise
    return True


def _failure_record(*, log_id: int, exc: BaseException, final: bool) -> None:
    """Count the failed attempt; when no retry is left, the row ends failed with the error shown."""
    error = f"{type(exc).__name__}: {exc}"[:2000]
    ReminderLog.objects.filter(pk=log_id, status=LogStatus.QUEUED).update(
        attempts=F("attempts") + 1, error=error, status=LogStatus.FAILED if final else LogStatus.QUEUED
    )
    if final:
        logger.error("Reminder %s failed for good: %s", log_id, error)
    else:
        logger.warning("Reminder %s failed, will retry: %s", log_id, error)


def _log_close(*, log_id: int, error: str) -> None:
    ReminderLog.objects.filter(pk=log_id).update(status=LogStatus.FAILED, error=error)


@transaction.atomic
def reminders_unsubscribe(*, user: User) -> ReminderPreference:
    """Turn every reminder, nudge and digest e-mail off for this user."""
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    preference.frequency = Frequency.OFF
    preference.next_reminder_at = None
    preference.save(update_fields=["frequency", "next_reminder_at"])
    return preference
