"""Writes of the roadmap: the learner's goals, plan building, status changes, notes, evidence and deliverables."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Profile, User, time_zone_names, today_in
from catalog.models import (
    ITEM_FIELDS,
    Certification,
    Course,
    Deliverable,
    ProjectIdea,
    Skill,
    SkillPrerequisite,
    Stage,
    Step,
    Track,
)
from roadmap.models import (
    NOTES_MAX_LENGTH,
    DeliverableCheck,
    EvidenceLink,
    Plan,
    PlanItem,
    Progress,
    ProgressEvent,
)
from roadmap.planning import (
    Choice,
    ItemKey,
    Node,
    PlannedItem,
    plan_order,
    resolve_certification,
)
from roadmap.selectors import Pace, PlanSummary, plan_overview

Status = Progress.Status
CLOSED = (Status.DONE, Status.SKIPPED)


def progress_get_or_create(*, learner: User, kind: str, item_id: int) -> Progress:
    """The learner's Progress row for one item, created on first touch; safe under concurrency."""
    if kind not in ITEM_FIELDS:
        raise ValueError(f"Unknown item kind {kind!r}.")
    lookup: dict[str, Any] = {"learner": learner, f"{kind}_id": item_id}
    progress = Progress.objects.filter(**lookup).first()
    if progress is not None:
        return progress
    try:
        # A savepoint, so a lost race does not break the caller's transaction.
        with transaction.atomic():
            return Progress.objects.create(**lookup)
    except IntegrityError:
        return Progress.objects.get(**lookup)


def status_changes(status: str, now: dt.datetime) -> dict[str, Any]:
    """The columns a change to `status` writes, as an UPDATE: started once in progress or done,
    completed while done."""
    changes: dict[str, Any] = {
        "status": status,
        "updated_at": now,
        "completed_at": now if status == Status.DONE else None,
    }
    if status in (Status.IN_PROGRESS, Status.DONE):
        changes["started_at"] = Coalesce("started_at", Value(now))
    return changes


def _status_move(*, learner: User, progress_id: int, old: str, status: str, by: User | None) -> bool:
    """Move the row from `old` to `status` with its history entry; False (and nothing written) when
    the row is no longer at `old`."""
    rows = Progress.objects.filter(pk=progress_id, learner=learner, status=old)
    if not rows.update(**status_changes(status, timezone.now())):
        return False
    # Stamped once the UPDATE holds the row lock: a clock read before it may predate a concurrent
    # change that got the lock first, and history is read in time order.
    at = timezone.now()
    ProgressEvent.objects.create(progress_id=progress_id, from_status=old, to_status=status, at=at, by=by)
    Profile.objects.filter(user=learner).update(last_activity_at=at)
    return True


@transaction.atomic
def step_set_status(
    *,
    learner: User,
    kind: str,
    item_id: int,
    status: str,
    by: User | None = None,
    seen: str | None = None,
    progress_id: int | None = None,
) -> str:
    """Set the learner's status for one item, recording history; a no-op when unchanged. Returns
    the status now stored.

    A caller that has just read the row's id and status (`progress_id`, `seen`) saves the locking
    read: the UPDATE guarded by `seen` applies the change at once. When the row is missing or moved
    meanwhile (a concurrent click), the row is locked and read, and the same UPDATE runs.
    """
    if status not in Status.values:
        raise ValueError(f"Unknown status {status!r}.")
    if kind not in ITEM_FIELDS:
        raise ValueError(f"Unknown item kind {kind!r}.")
    if (
        progress_id is not None
        and seen is not None
        and seen != status
        and _status_move(learner=learner, progress_id=progress_id, old=seen, status=status, by=by)
    ):
        return status
    lookup: dict[str, Any] = {"learner": learner, f"{kind}_id": item_id}
    # Row lock: concurrent clicks serialise here, so history records each real change once.
    # Plan building creates the rows of a plan's items, so one query usually finds and locks it.
    progress = Progress.objects.select_for_update().filter(**lookup).first()
    if progress is None:
        created = progress_get_or_create(learner=learner, kind=kind, item_id=item_id)
        progress = Progress.objects.select_for_update().get(pk=created.pk)
    if progress.status != status:
        _status_move(learner=learner, progress_id=progress.pk, old=progress.status, status=status, by=by)
    return status


# ---------------------------------------------------------------- a step's notes, evidence and deliverables

EVIDENCE_LIMIT = 50
WEB_URL = URLValidator(schemes=["http", "https"])


class StepError(Exception):
    """A write on a step that cannot happen; the message is meant for the learner."""


def _progress_locked(*, learner: User, item: PlanItem) -> Progress:
    """The learner's Progress row of a plan item (created on first touch), locked for this transaction."""
    kind, item_id = item.item_key
    progress = progress_get_or_create(learner=learner, kind=kind, item_id=item_id)
    return Progress.objects.select_for_update().get(pk=progress.pk)


@transaction.atomic
def note_save(*, learner: User, item: PlanItem, notes: str, shared: bool) -> Progress:
    """Save the learner's notes on a step of their plan (Markdown) and whether mentors may read them."""
    notes = notes.replace("\r\n", "\n").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise StepError(
            f"Notes can be at most {NOTES_MAX_LENGTH:,} characters long; these have {len(notes):,}."
        )
    progress = _progress_locked(learner=learner, item=item)
    progress.notes = notes
    progress.notes_shared = shared
    progress.save(update_fields=["notes", "notes_shared"])
    return progress


@transaction.atomic
def evidence_add(*, learner: User, item: PlanItem, url: str, label: str = "") -> EvidenceLink:
    """Attach a web link showing the learner's work to a step of their plan."""
    label = label.strip()
    try:
        WEB_URL(url)
    except ValidationError as exc:
        raise StepError("Enter a web address starting with http:// or https://.") from exc
    if len(url) > 500 or len(label) > 120:
        raise StepError("A link can have at most 500 characters and its description 120.")
    progress = _progress_locked(learner=learner, item=item)
    if progress.evidence.filter(url=url).exists():
        raise StepError("You have already added this link to this step.")
    if progress.evidence.count() >= EVIDENCE_LIMIT:
        raise StepError(f"A step can hold at most {EVIDENCE_LIMIT} links: remove one first.")
    try:
        with transaction.atomic():
            return EvidenceLink.objects.create(progress=progress, url=url, label=label)
    except IntegrityError as exc:
        # A double submit lost the race to its twin: the link is there once, as wanted.
        raise StepError("You have already added this link to this step.") from exc


@transaction.atomic
def evidence_remove(*, learner: User, item: PlanItem, evidence_id: int) -> bool:
    """Remove one of the learner's links from this step; False when it was already gone."""
    kind, item_id = item.item_key
    deleted, _ = EvidenceLink.objects.filter(
        pk=evidence_id, progress__learner=learner, **{f"progress__{kind}_id": item_id}
    ).delete()
    return bool(deleted)


@transaction.atomic
def deliverable_set(*, learner: User, item: PlanItem, deliverable: Deliverable, done: bool) -> Progress:
    """Tick a project's deliverable off, or untick it; idempotent, so double clicks are harmless."""
    if item.project_id is None or deliverable.project_id != item.project_id:
        raise StepError("This deliverable belongs to another project.")
    progress = _progress_locked(learner=learner, item=item)
    if done:
        DeliverableCheck.objects.get_or_create(progress=progress, deliverable=deliverable)
        if progress.status == Status.NOT_STARTED:  # ticking off work means the project has begun
            progress.status = step_set_status(
                learner=learner,
                kind="project",
                item_id=item.project_id,
                status=Status.IN_PROGRESS,
                by=learner,
                seen=progress.status,
                progress_id=progress.pk,
            )
    else:
        DeliverableCheck.objects.filter(progress=progress, deliverable=deliverable).delete()
    return progress


# ---------------------------------------------------------------- goals and pace


@transaction.atomic
def goals_save(
    *,
    user: User,
    background: str,
    tracks: Iterable[Track],
    known_skills: Iterable[Skill],
    hours_per_week: int,
    target_date: dt.date | None,
    time_zone: str,
) -> PlanBuild:
    """Save the learner's goals and pace (onboarding, settings) and rebuild their plan from them:
    all of it happens, or none. Raises ValueError for answers the goals form refuses."""
    if background not in Profile.Background.values:
        raise ValueError(f"Unknown background {background!r}.")
    if not 1 <= hours_per_week <= 80:
        raise ValueError("Hours per week go from 1 to 80.")
    if time_zone not in time_zone_names():
        raise ValueError(f"Unknown time zone {time_zone!r}.")
    if target_date is not None and target_date < today_in(time_zone):
        raise ValueError("The target date is in the past.")
    tracks = list(tracks)
    if not tracks:
        raise ValueError("Choose at least one track.")
    # The lock serialises a double submit: both saves apply, one after the other.
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    profile.background = background
    profile.hours_per_week = hours_per_week
    profile.target_date = target_date
    profile.time_zone = time_zone
    profile.onboarded_at = profile.onboarded_at or timezone.now()
    profile.save(update_fields=["background", "hours_per_week", "target_date", "time_zone", "onboarded_at"])
    profile.tracks.set(tracks)
    profile.known_skills.set(known_skills)
    # The reminder slot follows the time zone through reminders' post_save receiver of Profile.
    return plan_rebuild(learner=user)


# ---------------------------------------------------------------- plan building


@dataclass
class PlanBuild:
    """The rebuilt plan and what the learner should be told about it."""

    plan: Plan
    # Hours left and the projected finish as the plan page shows them (never stored: they would go stale).
    summary: PlanSummary
    notes: list[str] = field(default_factory=list)


def _pairs(rows: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    grouped: dict[int, set[int]] = defaultdict(set)
    for a, b in rows:
        grouped[a].add(b)
    return grouped


def catalog_nodes() -> dict[ItemKey, Node]:
    """Every catalog item with its hours and what it needs first.

    A skill needs its prerequisite skills; a course or project idea needs the prerequisites of
    the skills it teaches or practises (not those skills themselves); a certification needs the
    skills recommended before it and the skills it validates.
    """
    requires = _pairs(SkillPrerequisite.objects.values_list("skill_id", "requires_id"))
    course_skills = _pairs(Course.skills.through.objects.values_list("course_id", "skill_id"))
    project_skills = _pairs(ProjectIdea.skills.through.objects.values_list("projectidea_id", "skill_id"))
    recommended = _pairs(
        Certification.skills_recommended.through.objects.values_list("certification_id", "skill_id")
    )
    validated = _pairs(
        Certification.skills_validated.through.objects.values_list("certification_id", "skill_id")
    )

    def skill_keys(ids: Iterable[int]) -> tuple[ItemKey, ...]:
        return tuple(("skill", i) for i in sorted(ids))

    def needs_of_taught(taught: set[int]) -> tuple[ItemKey, ...]:
        return skill_keys(set().union(*(requires[s] for s in taught)) - taught if taught else set())

    nodes: dict[ItemKey, Node] = {}
    for pk, slug, hours in Skill.objects.values_list("pk", "slug", "estimated_hours"):
        nodes["skill", pk] = Node(slug=slug, hours=hours, needs=skill_keys(requires[pk]))
    for pk, slug, hours in Course.objects.values_list("pk", "slug", "hours"):
        nodes["course", pk] = Node(slug=slug, hours=hours, needs=needs_of_taught(course_skills[pk]))
    for pk, slug, hours in ProjectIdea.objects.values_list("pk", "slug", "hours"):
        nodes["project", pk] = Node(slug=slug, hours=hours, needs=needs_of_taught(project_skills[pk]))
    for pk, slug, hours in Certification.objects.values_list("pk", "slug", "hours"):
        nodes["certification", pk] = Node(
            slug=slug, hours=hours, needs=skill_keys(recommended[pk] | validated[pk])
        )
    return nodes


def _track_choices(profile: Profile) -> tuple[list[Choice], dict[int, str], list[str]]:
    """The chosen tracks' steps as choices, the stage titles by index, and notes on retired exams."""
    stages = list(
        Stage.objects.filter(track__in=profile.tracks.all())
        .select_related("track")
        .order_by("-track__is_core", "track__order", "track__name", "order")
    )
    index_of = {stage.pk: i for i, stage in enumerate(stages)}
    titles = {i: stage.title for i, stage in enumerate(stages)}
    certifications = {c.pk: c for c in Certification.objects.only("pk", "name", "status", "successor_id")}
    successor_of = {pk: c.successor_id for pk, c in certifications.items()}
    retired = {pk for pk, c in certifications.items() if c.is_retired}
    choices: list[Choice] = []
    notes: list[str] = []
    for step in Step.objects.filter(stage__in=stages).order_by("pk"):
        kind, item_id = step.item_key
        if kind == "certification" and item_id in retired:
            replacement = resolve_certification(item_id, successor_of, retired)
            old = certifications[item_id].name
            if replacement is None:
                notes.append(f"{old} has been retired and has no successor, so it is not in your plan.")
                continue
            notes.append(f"{old} has been retired: your plan has {certifications[replacement].name} instead.")
            item_id = replacement
        choices.append(Choice((kind, item_id), index_of[step.stage_id], step.order, step.optional))
    return choices, titles, sorted(set(notes))


def _closed_keys(learner: User) -> frozenset[ItemKey]:
    closed: set[ItemKey] = set()
    for row in Progress.objects.filter(learner=learner, status__in=CLOSED).values(
        *(f"{k}_id" for k in ITEM_FIELDS)
    ):
        for kind in ITEM_FIELDS:
            if row[f"{kind}_id"] is not None:
                closed.add((kind, row[f"{kind}_id"]))
    return frozenset(closed)


def _plan_item(plan: Plan, item: PlannedItem, titles: dict[int, str]) -> PlanItem:
    kind, item_id = item.key
    return PlanItem(
        plan=plan,
        position=item.position,
        week=item.week,
        stage_title=titles.get(item.stage_index, "")[:160],
        stage_index=item.stage_index,
        optional=item.optional,
        known=item.known,
        from_prerequisites=item.from_prerequisites,
        hours=item.hours,
        needs=list(item.needs),
        **{f"{kind}_id": item_id},
    )


@transaction.atomic
def plan_rebuild(*, learner: User) -> PlanBuild:
    """Build the learner's plan afresh from their profile; progress, notes and history stay untouched."""
    profile, _ = Profile.objects.get_or_create(user=learner)
    plan, _ = Plan.objects.get_or_create(learner=learner)
    # Serialise rebuilds of one plan: a double submit waits here instead of clashing on positions.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    choices, titles, notes = _track_choices(profile)
    known = frozenset(("skill", pk) for pk in profile.known_skills.values_list("pk", flat=True))
    closed = _closed_keys(learner)
    planned = plan_order(
        choices, catalog_nodes(), hours_per_week=profile.hours_per_week, known=known, closed=closed
    )
    plan.items.all().delete()
    PlanItem.objects.bulk_create([_plan_item(plan, item, titles) for item in planned], batch_size=500)
    # Every item gets its (empty) progress row now, so a status change later only locks and updates.
    Progress.objects.bulk_create(
        [Progress(learner=learner, **{f"{item.key[0]}_id": item.key[1]}) for item in planned],
        ignore_conflicts=True,
        batch_size=500,
    )
    plan.built_at = timezone.now()
    plan.save(update_fields=["built_at"])
    return PlanBuild(plan=plan, notes=notes, summary=plan_overview(plan, Pace.of(profile)))
