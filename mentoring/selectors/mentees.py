"""Reads of the mentor's pages (and the digest): the dashboard's mentee rows and forecasts, a mentee's plan,
shared notes and deliverables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from accounts.models import User
from catalog.models import ITEM_FIELDS, Deliverable
from config import caching
from mentoring.models import Mentorship, ProjectReview
from mentoring.selectors.comments import unread_by_item, unread_comments
from roadmap.attachments import plan_map
from roadmap.models import PlanItem, Progress
from roadmap.planning import finish_date
from roadmap.selectors import Bar, Entry, PlanSummary, plan_entries, plan_head, plan_summary
from roadmap.visuals.maps import MapLayout

MS = Mentorship.Status
RECENT_DAYS = 14


# ---------------------------------------------------------------- the dashboard


def plan_figures(learner_ids: list[int]) -> dict[int, Bar]:
    """Plan figures of many learners in one grouped query (a few rows per learner, whatever the plans'
    size), counted by the plan page's rule (Bar)."""
    figures = {learner_id: Bar("Overall") for learner_id in learner_ids}
    if not learner_ids:
        return figures
    # Any: the stubs do not see the annotations with_status() adds.
    items: Any = PlanItem.objects.filter(plan__learner_id__in=learner_ids).with_status()
    groups = (
        items.values_list("plan__learner_id", "status", "known")
        .annotate(items=Count("pk"), hours=Sum("hours"))
        .order_by()
    )
    for learner_id, status, known, count, hours in groups:
        figures[learner_id].add_group(known=known, status=status, count=count, hours=hours or 0)
    return figures


def _is_stalled(last_activity: datetime | None, joined: datetime, now: datetime) -> bool:
    limit = now - timedelta(days=settings.STALLED_AFTER_DAYS)
    return (last_activity or joined) < limit


def _per_learner(rows: Any) -> dict[int, Any]:
    return {learner_id: value for learner_id, value in rows}


@dataclass(frozen=True)
class Forecast:
    """When a mentee finishes at their pace, against their target date."""

    projected: date | None
    target: date | None

    @property
    def late(self) -> bool:
        return self.projected is not None and self.target is not None and self.projected > self.target


def forecast(*, learner: User, hours_left: int) -> Forecast:
    """Projected finish of a mentee, computed like the plan page's (hours left / hours a week)."""
    profile = getattr(learner, "profile", None)
    if profile is None:
        return Forecast(projected=None, target=None)
    if not hasattr(learner, "plan"):
        return Forecast(projected=None, target=profile.target_date)
    projected = finish_date(
        today=profile.today(), hours_left=hours_left, hours_per_week=profile.hours_per_week
    )
    return Forecast(projected=projected, target=profile.target_date)


@dataclass(frozen=True)
class MenteeRow:
    """One active mentorship on the dashboard (and in the digest), with its mentee's figures."""

    mentorship: Mentorship
    total_steps: int
    done_steps: int
    hours_left: int
    percent: int
    recent_done: int
    pending_reviews: int
    unread: int
    last_activity: datetime | None
    stalled: bool
    forecast: Forecast

    @property
    def learner(self) -> User:
        return self.mentorship.learner

    @property
    def key(self) -> str:
        return self.mentorship.key


def mentee_rows(
    *, mentor: User, query: str = "", show: str = "", sort: str = "name", key: str | None = None
) -> list[MenteeRow]:
    """The mentor's active mentorships, each with its mentee's figures, filtered and sorted.

    Five queries whatever the number of mentees or the size of their plans: the mentorships,
    then one grouped query each for plan figures, progress, waiting reviews and unread comments
    (single passes, never a subquery per mentee). Sorting and the "show" filter work on the
    rows in Python.
    """
    now = timezone.now()
    mentorships = Mentorship.objects.filter(mentor=mentor, status=MS.ACTIVE).select_related(
        "learner", "learner__profile", "learner__plan"
    )
    if key is not None:
        mentorships = mentorships.filter(key=key)
    if query:
        mentorships = mentorships.filter(
            Q(learner__display_name__icontains=query) | Q(learner__email__icontains=query)
        )
    found = list(mentorships)
    if not found:
        return []
    ids = [mentorship.learner_id for mentorship in found]
    figures = plan_figures(ids)
    progress = {
        learner_id: (recent, last)
        for learner_id, recent, last in Progress.objects.filter(learner_id__in=ids)
        .values_list("learner_id")
        .annotate(
            recent=Count(
                "pk",
                filter=Q(status=Progress.Status.DONE, completed_at__gte=now - timedelta(days=RECENT_DAYS)),
            ),
            last=Max("updated_at"),
        )
        .order_by()
    }
    reviews = _per_learner(
        ProjectReview.objects.filter(progress__learner_id__in=ids, status=ProjectReview.Status.REQUESTED)
        .values_list("progress__learner_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    unread = _per_learner(
        unread_comments(reader=mentor, learner=ids)
        .values_list("progress__learner_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = []
    for mentorship in found:
        learner = mentorship.learner
        plan = figures[learner.pk]
        recent, last_progress = progress.get(learner.pk, (0, None))
        profile = getattr(learner, "profile", None)
        moments = [m for m in (last_progress, profile and profile.last_activity_at) if m]
        last_activity = max(moments) if moments else None
        rows.append(
            MenteeRow(
                mentorship=mentorship,
                total_steps=plan.total,
                done_steps=plan.complete,
                hours_left=plan.hours_left,
                percent=plan.percent,
                recent_done=recent,
                pending_reviews=reviews.get(learner.pk, 0),
                unread=unread.get(learner.pk, 0),
                last_activity=last_activity,
                stalled=_is_stalled(last_activity, learner.date_joined, now),
                forecast=forecast(learner=learner, hours_left=plan.hours_left),
            )
        )
    keep = SHOW.get(show)
    if keep is not None:
        rows = [row for row in rows if keep(row)]
    rows.sort(key=_name)
    for sort_key, reverse in SORTS.get(sort, SORTS["name"]):
        rows.sort(key=sort_key, reverse=reverse)  # stable: the name order breaks ties
    return rows


def _name(row: MenteeRow) -> tuple[str, str]:
    return (row.learner.display_name.lower(), row.learner.email)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SHOW: dict[str, Callable[[MenteeRow], bool]] = {
    "stalled": lambda row: row.stalled,
    "reviews": lambda row: row.pending_reviews > 0,
    "unread": lambda row: row.unread > 0,
}
# Sort passes, least significant first (each is stable).
SORTS: dict[str, list[tuple[Callable[[MenteeRow], Any], bool]]] = {
    "name": [],
    "progress": [(lambda row: row.percent, True)],
    "progress_asc": [(lambda row: row.percent, False)],
    "recent": [(lambda row: row.recent_done, True)],
    "activity": [(lambda row: row.last_activity or EPOCH, True)],
    "stalled": [(lambda row: row.last_activity or EPOCH, False), (lambda row: row.stalled, True)],
    "reviews": [(lambda row: row.pending_reviews, True)],
}


# ---------------------------------------------------------------- pages of one step / one mentee


def plan_item(*, learner: User, kind: str, slug: str) -> PlanItem | None:
    """The learner's plan item for a catalog item named by kind and slug, or None."""
    if kind not in ITEM_FIELDS:
        return None
    return (
        PlanItem.objects.select_related(kind).filter(plan__learner=learner, **{f"{kind}__slug": slug}).first()
    )


def shared_notes(*, learner: User) -> list[Progress]:
    """The notes the learner chose to share with their mentors, most recently updated first."""
    return list(
        Progress.objects.filter(learner=learner, notes_shared=True)
        .exclude(notes="")
        .select_related(*ITEM_FIELDS)
        .order_by("-updated_at")[:200]
    )


@dataclass(frozen=True)
class DeliverableRow:
    text: str
    checked: bool


def deliverables(*, item: PlanItem, progress: Progress | None) -> list[DeliverableRow]:
    """A project step's definition of done, with the learner's ticks."""
    if item.project_id is None:
        return []
    checked: set[int] = set()
    if progress is not None:
        checked = set(progress.deliverable_checks.values_list("deliverable_id", flat=True))
    return [
        DeliverableRow(d.text, d.pk in checked)
        for d in Deliverable.objects.filter(project_id=item.project_id)
    ]


@dataclass(frozen=True)
class MenteeStep:
    entry: Entry
    unread: int
    url: str  # the mentor's page of the step


@dataclass(frozen=True)
class MenteeStage:
    """One stage of the mentee's roadmap, folded on the mentee page: its steps and their figures."""

    index: int
    title: str
    steps: list[MenteeStep]

    @property
    def done(self) -> int:
        return sum(step.entry.complete for step in self.steps)

    @property
    def unread(self) -> int:
        return sum(step.unread for step in self.steps)


@dataclass
class MenteePlan:
    """A mentee's plan as the mentor sees it: the plan page's summary and entries, grouped by stage,
    and the map's layout."""

    summary: PlanSummary | None
    stages: list[MenteeStage]
    unread: int
    layout: MapLayout | None = None


# The mentee's entries, summary and map layout are kept under the plan's state key (PlanHead.state_key:
# it moves with every status change, re-plan, pace change and turn of the learner's day), as the plan
# page keeps its data; catalog edits (names) show within this. The mentor's unread counts are read each time.
MENTEE_PLAN_SECONDS = 300


@dataclass(frozen=True)
class _PlanData:
    entries: list[Entry]
    summary: PlanSummary
    layout: MapLayout | None


def mentee_plan(*, learner: User, mentor: User, step_url: Callable[[str, str], str]) -> MenteePlan:
    """Read-only plan data reusing the plan page's selectors (same percentages, next up, finish);
    `step_url(kind, slug)` is the mentor's page of a step."""
    plan = getattr(learner, "plan", None)
    profile = getattr(learner, "profile", None)
    if plan is None or profile is None or (head := plan_head(learner.pk)) is None:
        return MenteePlan(summary=None, stages=[], unread=0)

    def read() -> _PlanData:
        entries = plan_entries(plan)
        summary = plan_summary(plan=plan, profile=profile, entries=entries)
        return _PlanData(entries, summary, plan_map(entries) if entries else None)

    data = caching.cached_with_copy(f"mentee-plan:{head.state_key}", read, MENTEE_PLAN_SECONDS)
    unread = unread_by_item(reader=mentor, learner=learner)
    stages: dict[int, MenteeStage] = {}
    for entry in data.entries:
        step = MenteeStep(entry, unread.get((entry.kind, entry.slug), 0), step_url(entry.kind, entry.slug))
        stages.setdefault(
            entry.stage_index, MenteeStage(entry.stage_index, entry.stage_title, [])
        ).steps.append(step)
    return MenteePlan(
        summary=data.summary,
        stages=[stages[index] for index in sorted(stages)],
        unread=sum(unread.values()),
        layout=data.layout,
    )


# ---------------------------------------------------------------- what changed since the last visit


@dataclass(frozen=True)
class MenteeChanges:
    """What the mentor has not seen yet: steps finished and notes shared since `since` (None: ever),
    and every review waiting for an answer."""

    since: datetime | None
    finished: list[Progress]
    notes: list[Progress]
    reviews: list[ProjectReview]

    @property
    def empty(self) -> bool:
        return not (self.finished or self.notes or self.reviews)


CHANGES_SHOWN = 50


def mentee_changes(*, learner: User, since: datetime | None, notes: list[Progress]) -> MenteeChanges:
    """Two queries whatever the plan's size; `notes` are the shared notes the page reads anyway."""
    finished = Progress.objects.filter(learner=learner, status=Progress.Status.DONE)
    if since is not None:
        finished = finished.filter(completed_at__gt=since)
    reviews = ProjectReview.objects.filter(
        progress__learner=learner, status=ProjectReview.Status.REQUESTED
    ).select_related("progress__project")
    return MenteeChanges(
        since=since,
        finished=list(finished.select_related(*ITEM_FIELDS).order_by("-completed_at")[:CHANGES_SHOWN]),
        notes=[note for note in notes if since is None or note.updated_at > since],
        reviews=list(reviews.order_by("requested_at")),
    )
