"""Reads for what a learner shares: the plan as the feed, the public page and the card see it, in a
fixed number of queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncDate

from accounts.models import Profile, User, today_in, zone_or_utc
from catalog.models import Track
from roadmap.choices import plan_stages
from roadmap.models import EvidenceLink, Progress, ProgressEvent
from roadmap.planning import finish_date
from roadmap.selectors import Entry, Pace, PlanSummary, StageBar, learner_entries, summarise
from roadmap.visuals import streaks
from sharing.models import Credential, Sharing

Status = Progress.Status


@dataclass(frozen=True)
class Milestone:
    """A date the plan projects: a stage's end (`stage` its index) or the learner's target (stage None)."""

    title: str
    day: dt.date
    stage: int | None = None


@dataclass(frozen=True)
class SharedPlan:
    """The learner's plan as shared: entries, summary and the milestones they project."""

    entries: list[Entry]
    summary: PlanSummary

    @property
    def next_step(self) -> Entry | None:
        return self.summary.next_up[0] if self.summary.next_up else None

    def milestones(self) -> list[Milestone]:
        """Each open stage's projected end, then the target date: the plan page's projected finish
        (roadmap.planning.finish_date) for the hours left up to the end of that stage."""
        summary, left, found = self.summary, 0, []
        for stage in summary.stages:
            left += stage.hours_left
            if stage.hours_left:
                day = finish_date(today=summary.today, hours_left=left, hours_per_week=summary.hours_per_week)
                found.append(Milestone(f"End of stage: {stage.label}", day, stage.index))
        if summary.target_date:
            found.append(Milestone("Target date", summary.target_date))
        return found


def shared_plan(learner: User) -> SharedPlan | None:
    """The learner's whole plan and pace (one query); None before they have a plan."""
    entries, pace = learner_entries(learner)
    if pace is None:
        return None
    return SharedPlan(entries, summarise(entries, pace))


def sharing_by_feed_token(token: str) -> Sharing | None:
    return Sharing.objects.filter(feed_token=token).select_related("learner").first() if token else None


def sharing_by_card_token(token: str) -> Sharing | None:
    """The card is the public page's: it answers only while the page is on."""
    found = Sharing.objects.filter(card_token=token, public=True, handle__isnull=False) if token else None
    return found.select_related("learner").first() if found is not None else None


def sharing_by_handle(handle: str) -> Sharing | None:
    return (
        Sharing.objects.filter(handle=handle.lower(), public=True).select_related("learner").first()
        if handle
        else None
    )


def finished_stages(plan: SharedPlan) -> list[StageBar]:
    """Stages whose every scheduled step is done or known, at least one of them done here: a stage
    the learner only ticked as known at onboarding earns no badge signed by us."""
    worked = {e.stage_index for e in plan.entries if e.status == Status.DONE and not e.known}
    return [
        stage
        for stage in plan.summary.stages
        if stage.total and stage.complete == stage.total and stage.index in worked
    ]


def finished_tracks(*, learner: User, plan: SharedPlan) -> list[Track]:
    """The learner's tracks whose every stage in the plan (hidden ones aside) is finished (one query
    for the stages, one for the tracks)."""
    done = {stage.index for stage in finished_stages(plan)}
    scheduled = {stage.index for stage in plan.summary.stages}
    by_track: dict[str, list[int]] = {}
    for row in plan_stages(learner=learner):
        if not row.hidden and row.index in scheduled:
            by_track.setdefault(row.track, []).append(row.index)
    names = [name for name, indexes in by_track.items() if indexes and set(indexes) <= done]
    return list(Track.objects.filter(name__in=names).order_by("name")) if names else []


@dataclass(frozen=True)
class FinishedProject:
    name: str
    slug: str
    completed_at: dt.datetime | None
    evidence: list[tuple[str, str]]  # (url, label)


def finished_projects(*, learner: User) -> list[FinishedProject]:
    """Finished project steps with their evidence links (not resources, never notes): two queries."""
    done = list(
        Progress.objects.filter(learner=learner, status=Status.DONE, project__isnull=False)
        .order_by("-completed_at", "id")
        .values_list("id", "project__title", "project__slug", "completed_at")[:100]
    )
    links: dict[int, list[tuple[str, str]]] = {}
    rows = EvidenceLink.objects.filter(
        progress_id__in=[row[0] for row in done], kind=EvidenceLink.Kind.EVIDENCE
    ).values_list("progress_id", "url", "label")
    for progress_id, url, label in rows:
        links.setdefault(progress_id, []).append((url, label or url))
    return [FinishedProject(title, slug, at, links.get(pk, [])) for pk, title, slug, at in done]


def current_streak(*, learner: User, time_zone: str | None) -> int:
    """The activity page's current streak (roadmap.visuals.streaks over the days with a change)."""
    zone = zone_or_utc(time_zone)
    days = (
        ProgressEvent.objects.filter(progress__learner=learner)
        .order_by()
        .annotate(day=TruncDate("at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", flat=True)
    )
    return streaks(days, today=today_in(time_zone))[0]


def learner_badges(*, learner: User) -> list[Credential]:
    return list(Credential.objects.filter(learner=learner, revoked_at__isnull=True))


def track_names(*, learner: User) -> list[str]:
    return list(
        Profile.tracks.through.objects.filter(profile__user=learner)
        .order_by("track__name")
        .values_list("track__name", flat=True)
    )


def top_skills(plan: SharedPlan, limit: int = 5) -> list[str]:
    """The finished (or known) skills that unlock the most later steps: the card's "top skills"."""
    skills = [e for e in plan.entries if e.kind == "skill" and e.complete]
    return [e.name for e in sorted(skills, key=lambda e: (-e.unlocks, e.position))[:limit]]


def pace_of(learner: User) -> Pace | None:
    profile = Profile.objects.filter(user=learner).first()
    return Pace.of(profile) if profile else None


def sharing_export(*, user: User) -> dict[str, object]:
    """What the learner's data export holds of sharing: the feed, the page, the badges (two queries).
    The feed and card addresses are in it: the export is the learner's own, downloaded logged in."""
    sharing = Sharing.objects.filter(learner=user).first()
    badges = [
        {
            "id": str(c.pk),
            "kind": c.kind,
            "name": c.name,
            "issued_at": c.issued_at,
            "revoked_at": c.revoked_at,
            "credential_jws": c.jws,
        }
        for c in Credential.objects.filter(learner=user).order_by("issued_at")
    ]
    if sharing is None:
        return {"calendar_feed": None, "public_page": None, "badges": badges}
    return {
        "calendar_feed": {
            "token": sharing.feed_token,
            "session_days": sharing.session_day_names,
            "session_start": sharing.session_start.isoformat(timespec="minutes"),
            "session_minutes": sharing.session_minutes,
        },
        "public_page": {
            "on": sharing.public,
            "handle": sharing.handle,
            "indexable": sharing.indexable,
            "card_token": sharing.card_token,
            "shows": [
                name
                for name in (
                    "show_progress",
                    "show_stages",
                    "show_map",
                    "show_projects",
                    "show_badges",
                    "show_streak",
                )
                if getattr(sharing, name)
            ],
        },
        "badges": badges,
    }
