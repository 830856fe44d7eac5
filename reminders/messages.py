"""Building the reminder e-mails: next steps, progress since the last one, projected finish, the mentor digest."""

from __future__ import annotations

import datetime as dt
import email.policy
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile, User, zone_or_utc
from catalog.models import ITEM_FIELDS
from mentoring.selectors.mentees import mentee_rows
from reminders.models import ReminderLog, ReminderPreference
from reminders.schedules import Frequency
from reminders.tokens import unsubscribe_token
from roadmap.models import Plan, Progress
from roadmap.selectors import plan_summary

Kind = ReminderLog.Kind
NEXT_STEPS = 3
DONE_LISTED = 5


class ReminderEmail(EmailMultiAlternatives):
    """Header lines up to RFC 5322's 998 characters: folded at 78, Python's email package would turn
    an unbreakable List-Unsubscribe URL into RFC 2047 encoded words that no mail client follows."""

    def message(self, *, policy: email.policy.Policy | None = None) -> Any:
        return super().message(policy=(policy or email.policy.default).clone(max_line_length=998))


def reminder_message(*, log: ReminderLog) -> EmailMultiAlternatives | None:
    """The e-mail (plain text and HTML) for one log row; None when the recipient opted out."""
    user = log.user
    profile = getattr(user, "profile", None)
    preference = getattr(user, "reminder_preference", None)
    if not user.is_active or (preference is not None and preference.frequency == Frequency.OFF):
        return None
    builders = {Kind.REMINDER: reminder_context, Kind.NUDGE: nudge_context, Kind.DIGEST: digest_context}
    context = builders[Kind(log.kind)](user=user, profile=profile, preference=preference)
    unsubscribe_url = absolute_url(reverse("reminders:unsubscribe", args=[unsubscribe_token(user=user)]))
    context |= {
        "user": user,
        "time_zone": zone_or_utc(profile.time_zone if profile else None),
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
        "settings_url": absolute_url(reverse("reminders:settings")),
    }
    message = ReminderEmail(
        subject=context["subject"],
        body=render_to_string(f"reminders/email/{log.kind}.txt", context),
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
    message.attach_alternative(render_to_string(f"reminders/email/{log.kind}.html", context), "text/html")
    return message


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _done_since(*, user: User, since: dt.datetime) -> tuple[int, list[str]]:
    """How many steps the learner finished since `since`, and the names of the latest few."""
    done = Progress.objects.filter(learner=user, status=Progress.Status.DONE, completed_at__gt=since)
    latest = done.select_related(*ITEM_FIELDS).order_by("-completed_at")[:DONE_LISTED]
    return done.count(), [str(progress.item) for progress in latest]


def reminder_context(
    *, user: User, profile: Profile | None, preference: ReminderPreference | None
) -> dict[str, Any]:
    """What a scheduled reminder says: next steps, progress since the last one, projected finish."""
    since = (preference.last_reminded_at if preference else None) or user.date_joined
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


def nudge_context(
    *, user: User, profile: Profile | None, preference: ReminderPreference | None
) -> dict[str, Any]:
    """What a nudge says: how long it has been quiet, and the next steps to pick up."""
    context = reminder_context(user=user, profile=profile, preference=preference)
    last = profile.last_activity_at if profile else None
    context["quiet_days"] = (timezone.now() - last).days if last else None
    context["subject"] = "Pick up where you left off on Pathwise"
    return context


def digest_context(
    *, user: User, profile: Profile | None, preference: ReminderPreference | None
) -> dict[str, Any]:
    """What a mentor's weekly digest says: each mentee's progress, who is stalled, waiting reviews."""
    rows = mentee_rows(mentor=user, sort="stalled")
    mentees = [
        {
            "name": str(row.learner),
            "url": absolute_url(reverse("mentoring:mentee", args=[row.key])),
            "percent": row.percent,
            "recent_done": row.recent_done,
            "stalled": row.stalled,
            "pending_reviews": row.pending_reviews,
            "last_activity": row.last_activity,
            "forecast": row.forecast,
        }
        for row in rows
    ]
    stalled = sum(1 for row in rows if row.stalled)
    reviews = sum(row.pending_reviews for row in rows)
    return {
        "subject": f"Your mentees this week: {stalled} stalled, {reviews} review{pluralize(reviews)} waiting",
        "mentees": mentees,
        "stalled_count": stalled,
        "reviews_count": reviews,
        "stalled_after_days": settings.STALLED_AFTER_DAYS,
        "dashboard_url": absolute_url(reverse("mentoring:dashboard")),
    }
