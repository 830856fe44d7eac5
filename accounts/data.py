"""The learner's own data, gathered from every app: the JSON export, what deleting the account
removes, and the deletion. With the demo accounts command, the one module of accounts that imports
the apps built on it (accounts depends on catalog alone otherwise)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Profile, User
from api.selectors import tokens_export
from catalog.models import ITEM_FIELDS
from jobs.selectors import jobs_export
from mentoring.models import Mentorship, Notification, NotificationSettings, StepComment
from reminders.models import ReminderLog, ReminderPreference
from roadmap.models import (
    HiddenStage,
    OwnStep,
    Plan,
    PlanChoice,
    PlanItem,
    Progress,
    ProgressEvent,
    StepPreference,
    WeeklyGoal,
)
from roadmap.selectors import plan_summary
from sharing.selectors import sharing_export
from sharing.services import sharing_revoke_all

EXPORT_FORMAT = "pathwise-learner-data/1"

# ---------------------------------------------------------------- deleting the account


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the user, everything of theirs (by CASCADE) and the log-in records that name their
    address (axes keeps attempts, failures and log-ins by username, with no key to the user)."""
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=user.email).delete()
    # Badges outlive the account as revoked (verification says so); the feed and page go with it.
    sharing_revoke_all(learner=user, reason="The learner deleted their account.")
    user.delete()


def deletion_counts(*, user: User) -> dict[str, int]:
    """What deleting the account will remove, to show on the confirmation page."""
    progress = Progress.objects.filter(learner=user)
    return {
        "progress_count": progress.exclude(status=Progress.Status.NOT_STARTED).count(),
        "notes_count": progress.exclude(notes="").count(),
        "mentorship_count": Mentorship.objects.filter(learner=user).count(),
    }


# ---------------------------------------------------------------- the export


def _item(row: Any) -> dict[str, Any]:
    """Kind, slug and name of the catalog item a plan item or progress row points at."""
    kind = row.kind
    item = getattr(row, kind)
    return {"kind": kind, "slug": item.slug, "name": str(item)}


def learner_data(*, user: User) -> dict[str, Any]:
    """Everything Pathwise holds about this user, in plain JSON-able structures (fixed query count)."""
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profile": _profile(user),
        "plan": _plan(user),
        "progress": _progress(user),
        "mentorships": _mentorships(user),
        "job_ads": jobs_export(user=user),
        # What each API token is, never its digest.
        "api_tokens": tokens_export(user=user),
        "sharing": sharing_export(user=user),
        "comments_written_on_others_steps": [
            {
                "learner": c.progress.learner.email,
                **_item(c.progress),
                "body": c.body,
                "created_at": c.created_at,
            }
            for c in StepComment.objects.filter(author=user)
            .exclude(progress__learner=user)
            .select_related("progress__learner", *(f"progress__{f}" for f in ITEM_FIELDS))
        ],
        "weekly_goal": WeeklyGoal.objects.filter(learner=user).values("target", "unit", "updated_at").first(),
        "mentoring_notifications": {
            "settings": NotificationSettings.objects.filter(user=user)
            .values("review_requested", "review_answered", "comment")
            .first(),
            "received": list(
                Notification.objects.filter(recipient=user).values(
                    "kind", "delivery", "created_at", "emailed_at"
                )
            ),
        },
        "reminders_sent": list(
            ReminderLog.objects.filter(user=user).values("kind", "period", "status", "created_at", "sent_at")
        ),
    }


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _profile(user: User) -> dict[str, Any] | None:
    profile = Profile.objects.filter(user=user).prefetch_related("tracks", "known_skills").first()
    if profile is None:
        return None
    return {
        "background": profile.background,
        "tracks": [t.name for t in profile.tracks.all()],
        "known_skills": [s.name for s in profile.known_skills.all()],
        "hours_per_week": profile.hours_per_week,
        "target_date": _date(profile.target_date),
        "time_zone": profile.time_zone,
        "onboarded_at": profile.onboarded_at,
        "last_activity_at": profile.last_activity_at,
        "reminders": _reminder_preference(user),
    }


def _reminder_preference(user: User) -> dict[str, Any] | None:
    preference = ReminderPreference.objects.filter(user=user).first()
    if preference is None:
        return None
    return {
        "frequency": preference.frequency,
        "weekday": preference.get_weekday_display(),
        "hour": preference.hour,
        "next_reminder_at": preference.next_reminder_at,
        "last_reminded_at": preference.last_reminded_at,
    }


def _plan(user: User) -> dict[str, Any] | None:
    plan = Plan.objects.filter(learner=user).select_related("learner__profile").first()
    if plan is None:
        return None
    profile = getattr(plan.learner, "profile", None)
    summary = plan_summary(plan=plan, profile=profile) if profile else None
    items = PlanItem.objects.filter(plan=plan).select_related(*ITEM_FIELDS).order_by("position")
    return {
        "built_at": plan.built_at,
        "hours_left": summary.remaining_hours if summary else None,
        "projected_finish": _date(summary.projected_finish) if summary else None,
        "items": [
            {
                "position": i.position,
                **_item(i),
                "stage": i.stage_title,
                "week": None if i.known else i.week,
                "hours": i.hours,
                "optional": i.optional,
                "known": i.known,
                "added_as_prerequisite": i.from_prerequisites,
                "lane": i.lane,
                "why": i.source,
                "waits_because": i.cut_reason,
            }
            for i in items
        ],
        "focused_on_target_date": plan.focused,
        **plan_wishes(user),
    }


def plan_wishes(user: User) -> dict[str, Any]:
    """What the learner asked of their plan: choices, included, pinned and moved steps, hidden stages,
    their own steps."""
    preferences = StepPreference.objects.filter(learner=user).select_related(*ITEM_FIELDS)
    return {
        "choices": [
            {"choice": c.group.title, "option": c.option.title, "chosen_at": c.chosen_at}
            for c in PlanChoice.objects.filter(learner=user).select_related("group", "option")
        ],
        "step_preferences": [
            {**_item(p), "included": p.included, "pinned": p.pinned, "own_order": p.order}
            for p in preferences
        ],
        "hidden_stages": [
            {"stage": h.stage.title, "track": h.stage.track.name, "hidden_at": h.hidden_at}
            for h in HiddenStage.objects.filter(learner=user).select_related("stage__track")
        ],
        "own_steps": [
            {
                "title": o.title,
                "link": o.url,
                "hours": o.hours,
                "stage": o.stage.title if o.stage else None,
                "private": o.private,
                "status": o.status,
                "created_at": o.created_at,
                "completed_at": o.completed_at,
            }
            for o in OwnStep.objects.filter(learner=user).select_related("stage")
        ],
    }


def _progress(user: User) -> list[dict[str, Any]]:
    rows = (
        Progress.objects.filter(learner=user)
        .select_related(*ITEM_FIELDS)
        .prefetch_related(
            Prefetch("events", queryset=ProgressEvent.objects.select_related("by").order_by("at", "id")),
            "evidence",
            "deliverable_checks__deliverable",
            Prefetch("comments", queryset=StepComment.objects.select_related("author")),
            "reviews__reviewer",
        )
        .order_by("pk")
    )
    return [
        {
            **_item(p),
            "status": p.status,
            "started_at": p.started_at,
            "completed_at": p.completed_at,
            "updated_at": p.updated_at,
            "notes": p.notes,
            "notes_shared_with_mentors": p.notes_shared,
            "evidence": [
                {"url": e.url, "label": e.label, "kind": e.kind, "added_at": e.created_at}
                for e in p.evidence.all()
            ],
            "deliverables_done": [
                {"deliverable": c.deliverable.text, "checked_at": c.checked_at}
                for c in p.deliverable_checks.all()
            ],
            "history": [
                {
                    "from": e.from_status,
                    "to": e.to_status,
                    "at": e.at,
                    "by": e.by.email if e.by else None,
                }
                for e in p.events.all()
            ],
            "comments": [
                {"author": c.author.email, "body": c.body, "created_at": c.created_at}
                for c in p.comments.all()
            ],
            "reviews": [
                {
                    "evidence_url": r.evidence_url,
                    "message": r.message,
                    "status": r.status,
                    "requested_at": r.requested_at,
                    "reviewer": r.reviewer.email if r.reviewer else None,
                    "responded_at": r.responded_at,
                    "response": r.response,
                }
                for r in p.reviews.all()
            ],
        }
        for p in rows
    ]


def _mentorships(user: User) -> dict[str, list[dict[str, Any]]]:
    def row(m: Mentorship, other: User | None) -> dict[str, Any]:
        return {
            "with": other.email if other else m.invited_email or None,
            "status": m.status,
            "channel": m.channel,
            "created_at": m.created_at,
            "responded_at": m.responded_at,
            "ended_at": m.ended_at,
        }

    as_learner = Mentorship.objects.filter(learner=user).select_related("mentor")
    as_mentor = Mentorship.objects.filter(mentor=user).select_related("learner")
    return {
        "my_mentors": [row(m, m.mentor) for m in as_learner],
        "my_mentees": [row(m, m.learner) for m in as_mentor],
    }
