"""Reminder e-mails: schedules, the sweeps that find who is due, building and sending mails, unsubscribing."""

from __future__ import annotations

import datetime as dt
import email.policy
import logging
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, partial
from smtplib import SMTPException
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile, User
from catalog.models import ITEM_FIELDS
from mentoring.models import Mentorship
from mentoring.selectors.mentees import forecast, mentee_rows
from roadmap.models import Plan, Progress, ReminderLog
from roadmap.selectors import plan_summary

logger = logging.getLogger(__name__)

Frequency = Profile.ReminderFrequency
Kind = ReminderLog.Kind
LogStatus = ReminderLog.Status
UTC = dt.UTC
UNSUBSCRIBE_SALT = "pathwise.reminders.unsubscribe"
# Slots are whole local hours and the sweep runs every 15 minutes: a slot that came less than this
# long ago may not have been swept yet, so re-scheduling keeps it (the period guard stops a repeat).
SWEEP_INTERVAL = dt.timedelta(minutes=15)
NEXT_STEPS = 3
DONE_LISTED = 5
# Errors worth retrying: the mail server said no for now, or could not be reached.
RETRYABLE = (SMTPException, OSError)


# ---------------------------------------------------------------- time zones and schedules


@cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA time zone names (tzdata), sorted; "Factory" and "localtime" are not places."""
    return tuple(sorted(zoneinfo.available_timezones() - {"Factory", "localtime"}))


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def zone_of(name: str) -> zoneinfo.ZoneInfo:
    """The learner's zone; UTC for a name we do not know (forms validate it, old rows may not be)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def schedule_next(
    *, frequency: str, weekday: int, hour: int, time_zone: str, after: dt.datetime
) -> dt.datetime | None:
    """The first UTC instant after `after` that is `hour`:00 local time (on `weekday` when weekly)."""
    if frequency not in (Frequency.DAILY, Frequency.WEEKLY):
        return None
    zone = zone_of(time_zone)
    first_day = after.astimezone(zone).date()
    for offset in range(9):
        day = first_day + dt.timedelta(days=offset)
        if frequency == Frequency.WEEKLY and day.weekday() != weekday:
            continue
        # fold=0 (zoneinfo's default): an hour skipped when clocks go forward is read with the offset
        # in force before the change (01:00 on the London spring day is sent at 02:00 BST), and an
        # hour that happens twice when clocks go back is its first occurrence, so one slot a day.
        slot = dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(UTC)
        if slot > after:
            return slot
    raise AssertionError("a daily or weekly slot always comes within 8 days")


def profile_schedule_next(*, profile: Profile, after: dt.datetime) -> dt.datetime | None:
    """The learner's next reminder slot after `after`, in UTC; None when reminders are off."""
    return schedule_next(
        frequency=profile.reminder_frequency,
        weekday=profile.reminder_weekday,
        hour=profile.reminder_hour,
        time_zone=profile.time_zone,
        after=after,
    )


def profile_next_send(*, profile: Profile, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the learner's next reminder goes out, in their time zone, from the saved preferences
    (not from next_reminder_at, which a sweep or an older code path may not have set yet)."""
    slot = profile_schedule_next(profile=profile, after=now or timezone.now())
    return slot.astimezone(zone_of(profile.time_zone)) if slot else None


def reminder_schedule_label(profile: Profile) -> str:
    """The saved schedule in words: "Weekly, on Mondays at 09:00", "Daily at 18:00" or "Off"."""
    at = f"{profile.reminder_hour:02d}:00"
    if profile.reminder_frequency == Frequency.DAILY:
        return f"Daily at {at}"
    if profile.reminder_frequency == Frequency.WEEKLY:
        return f"Weekly, on {Profile.Weekday(profile.reminder_weekday).label}s at {at}"
    return "Off"


def profile_schedule_update(*, profile: Profile, now: dt.datetime | None = None) -> None:
    """Recompute and save Profile.next_reminder_at; call after every change of the reminder fields
    or the time zone (settings page, onboarding, profile edits)."""
    now = now or timezone.now()
    profile.next_reminder_at = profile_schedule_next(profile=profile, after=now - SWEEP_INTERVAL)
    profile.save(update_fields=["next_reminder_at"])


@transaction.atomic
def reminder_preferences_update(
    *, profile: Profile, frequency: str, weekday: int, hour: int, time_zone: str
) -> Profile:
    """Save the learner's reminder preferences and their next slot."""
    if frequency not in Frequency.values or not 0 <= weekday <= 6 or not 0 <= hour <= 23:
        raise ValueError("Unknown reminder schedule.")
    if not is_time_zone(time_zone):
        raise ValueError(f"Unknown time zone {time_zone!r}.")
    profile.reminder_frequency = frequency
    profile.reminder_weekday = weekday
    profile.reminder_hour = hour
    profile.time_zone = time_zone
    profile.save(update_fields=["reminder_frequency", "reminder_weekday", "reminder_hour", "time_zone"])
    profile_schedule_update(profile=profile)
    return profile


def reminder_period(*, frequency: str, slot: dt.datetime, time_zone: str) -> str:
    """The period a slot belongs to: its local date (daily) or its ISO week (weekly)."""
    day = slot.astimezone(zone_of(time_zone)).date()
    if frequency == Frequency.DAILY:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# ---------------------------------------------------------------- the sweeps


@dataclass
class Sweep:
    """What one sweep did: how many were due, and the reminder log rows it created and queued."""

    kind: str
    due: int = 0
    queued: list[int] = field(default_factory=list)


def due_rows(*, now: dt.datetime) -> QuerySet[Profile, tuple[Any, ...]]:
    """The profiles whose reminder slot has come, as the sweep reads them: a range scan of the
    next_reminder_at index (reminders off means no slot, so those rows are never in the range)."""
    return (
        Profile.objects.filter(next_reminder_at__lte=now)
        .exclude(reminder_frequency=Frequency.OFF)
        .order_by()
        .values_list(
            "user_id",
            "user__is_active",
            "reminder_frequency",
            "reminder_weekday",
            "reminder_hour",
            "time_zone",
            "next_reminder_at",
        )
    )


def reminders_sweep(*, now: dt.datetime | None = None) -> Sweep:
    """Queue one reminder for each active learner whose slot has come, and move everyone due to
    their next slot. One query selects them; nothing loops over learners who are not due."""
    now = now or timezone.now()
    sweep = Sweep(Kind.REMINDER)
    with transaction.atomic():
        profiles_schedule_missing(now=now)
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
        _profiles_advance(due, now=now)
        transaction.on_commit(partial(sends_enqueue, log_ids=sweep.queued), robust=True)
    return sweep


def profiles_schedule_missing(*, now: dt.datetime) -> int:
    """Give a first slot to onboarded learners who have none (a code path that saved the profile
    without profile_schedule_update): one UPDATE per distinct schedule, through the same index."""
    missing = (
        Profile.objects.filter(next_reminder_at__isnull=True, onboarded_at__isnull=False)
        .exclude(reminder_frequency=Frequency.OFF)
        .order_by()
    )
    updated = 0
    schedules = missing.values_list("reminder_frequency", "reminder_weekday", "reminder_hour", "time_zone")
    for frequency, weekday, hour, zone in schedules.distinct()[:1000]:
        first = schedule_next(
            frequency=frequency, weekday=weekday, hour=hour, time_zone=zone, after=now - SWEEP_INTERVAL
        )
        updated += missing.filter(
            reminder_frequency=frequency, reminder_weekday=weekday, reminder_hour=hour, time_zone=zone
        ).update(next_reminder_at=first)
    return updated


def _profiles_advance(due: list[tuple[Any, ...]], *, now: dt.datetime) -> None:
    """Move the due learners to their next slot: one UPDATE per schedule (zone, hour, weekday), not
    per learner; rows whose schedule changed meanwhile no longer match and keep their new slot."""
    groups: set[tuple[str, int, int, str]] = set()
    for _, _, frequency, weekday, hour, zone, _ in due:
        groups.add((frequency, weekday if frequency == Frequency.WEEKLY else 0, hour, zone))
    for frequency, weekday, hour, zone in sorted(groups):
        rows = Profile.objects.filter(
            next_reminder_at__lte=now, reminder_frequency=frequency, reminder_hour=hour, time_zone=zone
        )
        if frequency == Frequency.WEEKLY:
            rows = rows.filter(reminder_weekday=weekday)
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
            .exclude(reminder_frequency=Frequency.OFF)
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
            .exclude(profile__reminder_frequency=Frequency.OFF)
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
    from roadmap.tasks import reminder_send, sends_fan_out

    log_ids = list(log_ids)
    if not log_ids:
        return
    if reminder_send.app.conf.task_always_eager:
        # In-process (no broker): each send has recorded its own failure; go on with the others.
        for log_id in log_ids:
            try:
                reminder_send.delay(log_id)
            except Exception:
                logger.exception("Reminder %s was not sent", log_id)
        return
    # One producer, so the batch shares one broker connection.
    with reminder_send.app.producer_or_acquire() as producer:
        size = settings.REMINDER_FAN_OUT
        if len(log_ids) > size:
            for start in range(0, len(log_ids), size):
                sends_fan_out.apply_async((log_ids[start : start + size],), producer=producer)
            return
        for log_id in log_ids:
            reminder_send.apply_async((log_id,), producer=producer)


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
                .select_related("user", "user__profile")
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
                Profile.objects.filter(user_id=log.user_id).update(last_reminded_at=now)
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


class ReminderEmail(EmailMultiAlternatives):
    """Header lines up to RFC 5322's 998 characters: folded at 78, Python's email package would turn
    an unbreakable List-Unsubscribe URL into RFC 2047 encoded words that no mail client follows."""

    def message(self, *, policy: email.policy.Policy | None = None) -> Any:
        return super().message(policy=(policy or email.policy.default).clone(max_line_length=998))


def reminder_message(*, log: ReminderLog) -> EmailMultiAlternatives | None:
    """The e-mail (plain text and HTML) for one log row; None when the recipient opted out."""
    user = log.user
    profile = getattr(user, "profile", None)
    if not user.is_active or (profile is not None and profile.reminder_frequency == Frequency.OFF):
        return None
    builders = {Kind.REMINDER: reminder_context, Kind.NUDGE: nudge_context, Kind.DIGEST: digest_context}
    context = builders[Kind(log.kind)](user=user, profile=profile)
    unsubscribe_url = absolute_url(reverse("reminders:unsubscribe", args=[unsubscribe_token(user=user)]))
    context |= {
        "user": user,
        "time_zone": zone_of(profile.time_zone if profile else "UTC"),
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
        "settings_url": absolute_url(reverse("reminders:settings")),
    }
    message = ReminderEmail(
        subject=context["subject"],
        body=render_to_string(f"roadmap/email/{log.kind}.txt", context),
        to=[user.email],
        headers={
            # RFC 8058: mail clients show an unsubscribe button that POSTs to this address.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Stable per log row, so a resend after a crash is recognisable as the same message.
            "Message-ID": f"<{log.kind}.{log.pk}.{log.period}@{urlsplit(settings.SITE_URL).hostname}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"roadmap/email/{log.kind}.html", context), "text/html")
    return message


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _done_since(*, user: User, since: dt.datetime) -> tuple[int, list[str]]:
    """How many steps the learner finished since `since`, and the names of the latest few."""
    done = Progress.objects.filter(learner=user, status=Progress.Status.DONE, completed_at__gt=since)
    latest = done.select_related(*ITEM_FIELDS).order_by("-completed_at")[:DONE_LISTED]
    return done.count(), [str(progress.item) for progress in latest]


def reminder_context(*, user: User, profile: Profile | None) -> dict[str, Any]:
    """What a scheduled reminder says: next steps, progress since the last one, projected finish."""
    since = (profile.last_reminded_at if profile else None) or user.date_joined
    done_count, done_names = _done_since(user=user, since=since)
    plan = Plan.objects.filter(learner=user).first()
    summary = plan_summary(plan=plan, profile=profile) if plan and profile else None
    next_up = summary.next_up[:NEXT_STEPS] if summary else []
    return {
        "subject": f"Next up on your Pathwise roadmap: {next_up[0].name}"
        if next_up
        else "Your Pathwise roadmap",
        "summary": summary,
        "next_up": next_up,
        "since": since,
        "done_count": done_count,
        "done_names": done_names,
        "done_more": done_count - len(done_names),
        "plan_url": absolute_url(reverse("roadmap:plan")),
    }


def nudge_context(*, user: User, profile: Profile | None) -> dict[str, Any]:
    """What a nudge says: how long it has been quiet, and the next steps to pick up."""
    context = reminder_context(user=user, profile=profile)
    last = profile.last_activity_at if profile else None
    context["quiet_days"] = (timezone.now() - last).days if last else None
    context["subject"] = "Pick up where you left off on Pathwise"
    return context


def digest_context(*, user: User, profile: Profile | None) -> dict[str, Any]:
    """What a mentor's weekly digest says: each mentee's progress, who is stalled, waiting reviews."""
    rows = list(mentee_rows(mentor=user, sort="stalled"))
    mentees = [
        {
            "name": str(row.learner),
            "url": absolute_url(reverse("mentoring:mentee", args=[row.key])),
            "percent": row.percent,  # type: ignore[attr-defined]
            "recent_done": row.recent_done,  # type: ignore[attr-defined]
            "stalled": row.stalled,  # type: ignore[attr-defined]
            "pending_reviews": row.pending_reviews,  # type: ignore[attr-defined]
            "last_activity": row.last_activity,  # type: ignore[attr-defined]
            "forecast": forecast(row),
        }
        for row in rows
    ]
    stalled = sum(1 for m in mentees if m["stalled"])
    reviews = sum(m["pending_reviews"] for m in mentees)
    return {
        "subject": f"Your mentees this week: {stalled} stalled, {reviews} review{pluralize(reviews)} waiting",
        "mentees": mentees,
        "stalled_count": stalled,
        "reviews_count": reviews,
        "stalled_after_days": settings.STALLED_AFTER_DAYS,
        "dashboard_url": absolute_url(reverse("mentoring:dashboard")),
    }


# ---------------------------------------------------------------- unsubscribing without logging in


def unsubscribe_token(*, user: User) -> str:
    """A signed, non-expiring token naming the recipient: the link works from any old e-mail."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user.pk})


def unsubscribe_token_user(*, token: str) -> User | None:
    """The active user a token names; None when it was tampered with or names nobody."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"], is_active=True).select_related("profile").first()


@transaction.atomic
def reminders_unsubscribe(*, user: User) -> Profile:
    """Turn every reminder, nudge and digest e-mail off for this user."""
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    profile.reminder_frequency = Frequency.OFF
    profile.next_reminder_at = None
    profile.save(update_fields=["reminder_frequency", "next_reminder_at"])
    return profile
