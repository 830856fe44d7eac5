"""Reads of mentoring: invitations, the mentor dashboard and its digest rows, step threads and unread counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Profile, User
from mentoring.models import CommentReadMarker, Mentorship, ProjectReview, StepComment
from mentoring.services import INVITE_SALT, invite_max_age, invite_path
from roadmap.models import ITEM_FIELDS, Deliverable, PlanItem, Progress
from roadmap.selectors import Entry, PlanSummary, learner_today, plan_entries, plan_summary

MS = Mentorship.Status
RECENT_DAYS = 14
COMMENTS_PER_PAGE = 20


class InvitationInvalid(Exception):
    """The invitation link was tampered with or names nothing."""


class InvitationExpired(Exception):
    """The invitation link is genuine but too old."""


def invitation_get(*, token: str) -> Mentorship:
    """The mentorship an invitation link points at, whatever its status; raises on a bad or old link."""
    try:
        key = signing.TimestampSigner(salt=INVITE_SALT).unsign(token, max_age=invite_max_age())
    except signing.SignatureExpired as exc:
        raise InvitationExpired from exc
    except signing.BadSignature as exc:
        raise InvitationInvalid from exc
    mentorship = Mentorship.objects.select_related("learner", "mentor").filter(key=key).first()
    if mentorship is None:
        raise InvitationInvalid
    # A link re-shown later is signed later; the invitation itself still ages from its creation.
    if mentorship.status == MS.PENDING and mentorship.created_at < timezone.now() - invite_max_age():
        raise InvitationExpired
    return mentorship


def learner_mentorships(*, learner: User) -> list[Mentorship]:
    """The learner's mentors and invitations: active first, then pending, then the ended ones."""
    rank = Case(
        When(status=MS.ACTIVE, then=Value(0)),
        When(status=MS.PENDING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(
        Mentorship.objects.filter(learner=learner)
        .select_related("mentor")
        .annotate(rank=rank)
        .order_by("rank", "-created_at")[:100]
    )


def active_mentorship(*, mentor: User, key: str) -> Mentorship | None:
    """The mentorship behind a mentor URL; only an active one with this user as mentor counts."""
    return (
        Mentorship.objects.select_related("learner", "learner__profile", "learner__plan")
        .filter(key=key, mentor=mentor, status=MS.ACTIVE)
        .first()
    )


def knows_mentorship(*, user: User, key: str) -> bool:
    """Whether `user` took part in this mentorship (so may be told it exists, with a 403)."""
    return Mentorship.objects.filter(Q(learner=user) | Q(mentor=user), key=key).exists()


# ---------------------------------------------------------------- the dashboard


def _unread_comments(*, reader: Any, learner: User | list[int]) -> QuerySet[StepComment]:
    """Comments on the learner's (or learners') steps, not by `reader`, newer than `reader`'s read marker."""
    whose = Q(progress__learner_id__in=learner) if isinstance(learner, list) else Q(progress__learner=learner)
    return StepComment.objects.filter(whose).unread_by(reader)


def _plan_item_status() -> Coalesce:
    """The mentee's status of a plan item, by the unique (learner, item) index of its kind."""
    whens = [
        When(
            **{f"{kind}__isnull": False},
            then=Subquery(
                Progress.objects.filter(
                    learner_id=OuterRef("plan__learner_id"), **{kind: OuterRef(kind)}
                ).values("status")[:1]
            ),
        )
        for kind in ITEM_FIELDS
    ]
    return Coalesce(Case(*whens, output_field=CharField()), Value(Progress.Status.NOT_STARTED))


@dataclass
class PlanFigures:
    """A mentee's plan counted like the plan page's bars: done or known items are complete,
    skipped ones (not known) count in neither part; hours left are those of open items."""

    total: int = 0
    complete: int = 0
    hours_left: int = 0

    def add(self, *, status: str, known: bool, items: int, hours: int) -> None:
        if status == Progress.Status.SKIPPED and not known:
            return
        self.total += items
        if known or status == Progress.Status.DONE:
            self.complete += items
        else:
            self.hours_left += hours

    @property
    def percent(self) -> int:
        return 100 * self.complete // self.total if self.total else 0


def plan_figures(learner_ids: list[int]) -> dict[int, PlanFigures]:
    """Plan figures of many learners in one grouped query (a few rows per learner, whatever the plans' size)."""
    figures = {learner_id: PlanFigures() for learner_id in learner_ids}
    if not learner_ids:
        return figures
    groups = (
        PlanItem.objects.filter(plan__learner_id__in=learner_ids)
        .annotate(state=_plan_item_status())
        .values_list("plan__learner_id", "state", "known")
        .annotate(items=Count("pk"), hours=Sum("hours"))
        .order_by()
    )
    for learner_id, state, known, items, hours in groups:
        figures[learner_id].add(status=state, known=known, items=items, hours=hours or 0)
    return figures


def _is_stalled(last_activity: datetime | None, joined: datetime, now: datetime) -> bool:
    limit = now - timedelta(days=settings.STALLED_AFTER_DAYS)
    return (last_activity or joined) < limit


def _per_learner(rows: Any) -> dict[int, Any]:
    return {learner_id: value for learner_id, value in rows}


def mentee_rows(
    *, mentor: User, query: str = "", show: str = "", sort: str = "name", key: str | None = None
) -> list[Mentorship]:
    """The mentor's active mentorships, each with its mentee's figures, filtered and sorted.

    Five queries whatever the number of mentees or the size of their plans: the mentorships,
    then one grouped query each for plan figures, progress, waiting reviews and unread comments
    (single passes, never a subquery per mentee). Rows carry `percent`, `done_steps`,
    `total_steps`, `hours_left`, `recent_done`, `pending_reviews`, `unread`, `last_activity`
    and `stalled`; sorting and the "show" filter work on those in Python.
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
    rows: list[Mentorship] = list(mentorships)
    if not rows:
        return rows
    ids = [row.learner_id for row in rows]
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
        _unread_comments(reader=mentor, learner=ids)
        .values_list("progress__learner_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        plan = figures[row.learner_id]
        recent, last_progress = progress.get(row.learner_id, (0, None))
        profile = getattr(row.learner, "profile", None)
        moments = [m for m in (last_progress, profile and profile.last_activity_at) if m]
        row.total_steps, row.done_steps = plan.total, plan.complete  # type: ignore[attr-defined]
        row.hours_left, row.percent = plan.hours_left, plan.percent  # type: ignore[attr-defined]
        row.recent_done = recent  # type: ignore[attr-defined]
        row.pending_reviews = reviews.get(row.learner_id, 0)  # type: ignore[attr-defined]
        row.unread = unread.get(row.learner_id, 0)  # type: ignore[attr-defined]
        row.last_activity = max(moments) if moments else None  # type: ignore[attr-defined]
        row.stalled = _is_stalled(row.last_activity, row.learner.date_joined, now)  # type: ignore[attr-defined]
    keep = SHOW.get(show)
    if keep is not None:
        rows = [row for row in rows if keep(row)]
    rows.sort(key=_name)
    for sort_key, reverse in SORTS.get(sort, SORTS["name"]):
        rows.sort(key=sort_key, reverse=reverse)  # stable: the name order breaks ties
    return rows


def _name(row: Any) -> tuple[str, str]:
    return (row.learner.display_name.lower(), row.learner.email)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SHOW: dict[str, Callable[[Any], bool]] = {
    "stalled": lambda row: row.stalled,
    "reviews": lambda row: row.pending_reviews > 0,
    "unread": lambda row: row.unread > 0,
}
# Sort passes, least significant first (each is stable).
SORTS: dict[str, list[tuple[Callable[[Any], Any], bool]]] = {
    "name": [],
    "progress": [(lambda row: row.percent, True)],
    "progress_asc": [(lambda row: row.percent, False)],
    "recent": [(lambda row: row.recent_done, True)],
    "activity": [(lambda row: row.last_activity or EPOCH, True)],
    "stalled": [(lambda row: row.last_activity or EPOCH, False), (lambda row: row.stalled, True)],
    "reviews": [(lambda row: row.pending_reviews, True)],
}


@dataclass(frozen=True)
class Forecast:
    """When a mentee finishes at their pace, against their target date."""

    projected: date | None
    target: date | None

    @property
    def late(self) -> bool:
        return self.projected is not None and self.target is not None and self.projected > self.target


def forecast(row: Mentorship) -> Forecast:
    """Projected finish of a dashboard row, computed like the plan page's (hours left / hours a week)."""
    profile = getattr(row.learner, "profile", None)
    if profile is None:
        return Forecast(projected=None, target=None)
    hours_left: int = row.hours_left  # type: ignore[attr-defined]
    weeks = -(-hours_left // max(profile.hours_per_week, 1))
    projected = learner_today(profile) + timedelta(weeks=weeks) if hasattr(row.learner, "plan") else None
    return Forecast(projected=projected, target=profile.target_date)


# ---------------------------------------------------------------- a step's thread


@dataclass
class Thread:
    """A step's comments (one page of them) and reviews as one reader sees them."""

    comments: list[StepComment]
    reviews: list[ProjectReview]
    unread: int
    read_at: datetime | None
    # Page 1 holds the newest comments; higher numbers go back in time.
    page: Page[StepComment] | None = None

    @property
    def open_review(self) -> ProjectReview | None:
        return next((r for r in self.reviews if r.status == ProjectReview.Status.REQUESTED), None)

    @property
    def last_review(self) -> ProjectReview | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def overdue(self) -> bool:
        review = self.open_review
        limit = timedelta(days=settings.REVIEW_OVERDUE_DAYS)
        return review is not None and review.requested_at < timezone.now() - limit


def step_thread(*, progress: Progress | None, reader: User, page: str | int | None = None) -> Thread:
    """One page of a step's comments (page 1 the newest; oldest first within a page, each flagged
    `is_new` for `reader` and `deletable` by them), the thread's unread count and its reviews.

    Five queries whatever the thread's length.
    """
    if progress is None:
        return Thread(comments=[], reviews=[], unread=0, read_at=None)
    marker = CommentReadMarker.objects.filter(user=reader, progress=progress).first()
    read_at = marker.read_at if marker else None
    thread = StepComment.objects.filter(progress=progress)
    newest_first = thread.select_related("author").order_by("-created_at", "-id")
    shown = Paginator(newest_first, COMMENTS_PER_PAGE).get_page(page)
    comments = list(reversed(shown.object_list))
    for comment in comments:
        comment.is_new = comment.author_id != reader.pk and (read_at is None or comment.created_at > read_at)  # type: ignore[attr-defined]
        comment.deletable = reader.pk in (progress.learner_id, comment.author_id)  # type: ignore[attr-defined]
    unread = _unread_comments(reader=reader, learner=[progress.learner_id]).filter(progress=progress).count()
    reviews = list(ProjectReview.objects.filter(progress=progress).select_related("reviewer"))
    return Thread(comments=comments, reviews=reviews, unread=unread, read_at=read_at, page=shown)


def learner_unread_count(*, learner: User) -> int:
    """Comments on the learner's steps by others that the learner has not read: _unread_comments
    counted in plain SQL, as it runs on every plan page (the ORM took 0.8 ms to build it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM roadmap_stepcomment c"
            " JOIN roadmap_progress p ON p.id = c.progress_id"
            " WHERE p.learner_id = %(learner)s AND c.author_id <> %(learner)s AND NOT EXISTS ("
            "  SELECT 1 FROM roadmap_commentreadmarker m WHERE m.user_id = %(learner)s"
            "  AND m.progress_id = c.progress_id AND m.read_at >= c.created_at)",
            {"learner": learner.pk},
        )
        (count,) = cursor.fetchone()
    return int(count)


def unread_by_progress(*, reader: User, learner: User) -> dict[int, int]:
    """Unread comment counts per Progress id of the learner's steps, for `reader`."""
    rows = (
        _unread_comments(reader=reader, learner=learner)
        .order_by()
        .values("progress_id")
        .annotate(n=Count("pk"))
    )
    return {row["progress_id"]: row["n"] for row in rows}


def unread_by_item(*, reader: User, learner: User) -> dict[tuple[str, str], int]:
    """Unread comment counts keyed by (kind, slug) of the catalog item, to badge the steps of a plan."""
    slugs = [f"progress__{field}__slug" for field in ITEM_FIELDS]
    rows = (
        _unread_comments(reader=reader, learner=learner)
        .order_by()
        .values_list(*slugs)
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple[str, str], int] = {}
    for *item_slugs, n in rows:
        kind, slug = next((k, s) for k, s in zip(ITEM_FIELDS, item_slugs, strict=True) if s is not None)
        counts[(kind, slug)] = n
    return counts


@dataclass(frozen=True)
class UnreadStep:
    kind: str
    slug: str
    name: str
    count: int


def unread_steps(*, reader: User, learner: User) -> list[UnreadStep]:
    """The learner's steps with comments `reader` has not read yet, most unread first."""
    counts = unread_by_progress(reader=reader, learner=learner)
    if not counts:
        return []
    steps = []
    for progress in Progress.objects.filter(pk__in=counts).select_related(*ITEM_FIELDS):
        steps.append(UnreadStep(progress.kind, progress.item.slug, str(progress.item), counts[progress.pk]))
    return sorted(steps, key=lambda step: (-step.count, step.name))


# ---------------------------------------------------------------- pages of one step / one mentee


def plan_item(*, learner: User, kind: str, slug: str) -> PlanItem | None:
    """The learner's plan item for a catalog item named by kind and slug, or None."""
    if kind not in ITEM_FIELDS:
        return None
    return (
        PlanItem.objects.select_related(kind).filter(plan__learner=learner, **{f"{kind}__slug": slug}).first()
    )


def invitations_for(*, user: User) -> list[Mentorship]:
    """Pending e-mail invitations addressed to this user's address, newest first; none until the
    address is verified (anyone could sign up with an address they do not own)."""
    if not user.email_verified:
        return []
    invitations = list(
        Mentorship.objects.filter(
            status=MS.PENDING,
            channel=Mentorship.Channel.EMAIL,
            invited_email__iexact=user.email,
            created_at__gte=timezone.now() - invite_max_age(),
        )
        .exclude(learner=user)
        .select_related("learner")[:50]
    )
    for invitation in invitations:
        invitation.path = invite_path(invitation)  # type: ignore[attr-defined]
    return invitations


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


@dataclass
class MenteePlan:
    """A mentee's plan as the mentor sees it: the plan page's summary and entries, grouped by stage."""

    summary: PlanSummary | None
    stages: list[tuple[str, list[MenteeStep]]]
    unread: int
    entries: list[Entry] = field(default_factory=list)


def mentee_plan(*, learner: User, mentor: User) -> MenteePlan:
    """Read-only plan data reusing the plan page's selectors (same percentages, next up, finish)."""
    plan = getattr(learner, "plan", None)
    profile = getattr(learner, "profile", None)
    if plan is None or profile is None:
        return MenteePlan(summary=None, stages=[], unread=0)
    entries = plan_entries(plan)
    unread = unread_by_item(reader=mentor, learner=learner)
    stages: dict[int, tuple[str, list[MenteeStep]]] = {}
    for entry in entries:
        step = MenteeStep(entry, unread.get((entry.kind, entry.slug), 0))
        stages.setdefault(entry.stage_index, (entry.stage_title, []))[1].append(step)
    return MenteePlan(
        summary=plan_summary(plan=plan, profile=profile, entries=entries),
        stages=[stages[index] for index in sorted(stages)],
        unread=sum(unread.values()),
        entries=entries,
    )


def mentors_only(*, user: User) -> bool:
    """Whether `user` mentors (has accepted someone's invitation) but has not set up a plan of their own."""
    onboarded = Profile.objects.filter(user=user, onboarded_at__isnull=False).exists()
    return not onboarded and user.mentorships_as_mentor.filter(status__in=[MS.ACTIVE, MS.ENDED]).exists()
