"""Writes that touch several models: plan building and progress changes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Profile, User
from catalog.models import (
    ITEM_FIELDS,
    Certification,
    Course,
    ProjectIdea,
    Skill,
    SkillPrerequisite,
    Stage,
    Step,
)
from roadmap.models import Plan, PlanItem, Progress, ProgressEvent
from roadmap.planning import (
    Choice,
    ItemKey,
    Node,
    PlannedItem,
    plan_order,
    resolve_certification,
    weeks_needed,
)
from roadmap.selectors import learner_today

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


@transaction.atomic
def step_set_status(
    *, learner: User, kind: str, item_id: int, status: str, by: User | None = None
) -> Progress:
    """Set the learner's status for one item, recording history; a no-op when unchanged."""
    if status not in Status.values:
        raise ValueError(f"Unknown status {status!r}.")
    if kind not in ITEM_FIELDS:
        raise ValueError(f"Unknown item kind {kind!r}.")
    lookup: dict[str, Any] = {"learner": learner, f"{kind}_id": item_id}
    # Row lock: concurrent clicks serialise here, so history records each real change once.
    # Plan building creates the rows of a plan's items, so one query usually finds and locks it.
    progress = Progress.objects.select_for_update().filter(**lookup).first()
    if progress is None:
        created = progress_get_or_create(learner=learner, kind=kind, item_id=item_id)
        progress = Progress.objects.select_for_update().get(pk=created.pk)
    if progress.status == status:
        return progress
    now = timezone.now()
    ProgressEvent.objects.create(
        progress=progress, from_status=progress.status, to_status=status, at=now, by=by
    )
    progress.status = status
    progress.updated_at = now
    if status == Status.IN_PROGRESS and progress.started_at is None:
        progress.started_at = now
    if status == Status.DONE:
        progress.started_at = progress.started_at or now
        progress.completed_at = now
    elif progress.completed_at is not None:
        progress.completed_at = None
    progress.save(update_fields=["status", "updated_at", "started_at", "completed_at"])
    Profile.objects.filter(user=learner).update(last_activity_at=now)
    return progress


def status_changes(status: str, now: dt.datetime) -> dict[str, Any]:
    """The columns a change to `status` writes, as an UPDATE (the same rules as step_set_status)."""
    changes: dict[str, Any] = {
        "status": status,
        "updated_at": now,
        "completed_at": now if status == Status.DONE else None,
    }
    if status in (Status.IN_PROGRESS, Status.DONE):
        changes["started_at"] = Coalesce("started_at", Value(now))
    return changes


@transaction.atomic
def step_set_status_seen(
    *,
    learner: User,
    kind: str,
    item_id: int,
    status: str,
    seen: str,
    progress_id: int | None,
    by: User | None = None,
) -> str:
    """step_set_status for a caller that has just read the row's id and status (`seen`).

    One guarded UPDATE replaces the locking read: it only applies if the status is still `seen`.
    If the row is missing, unchanged, or moved meanwhile (a concurrent click), the careful path runs.
    Returns the status now stored.
    """
    if status not in Status.values:
        raise ValueError(f"Unknown status {status!r}.")
    if progress_id is None or status == seen:
        return step_set_status(learner=learner, kind=kind, item_id=item_id, status=status, by=by).status
    now = timezone.now()
    guarded = Progress.objects.filter(pk=progress_id, learner=learner, status=seen, **{f"{kind}_id": item_id})
    if not guarded.update(**status_changes(status, now)):
        return step_set_status(learner=learner, kind=kind, item_id=item_id, status=status, by=by).status
    # Stamped once the UPDATE holds the row lock: `now` may predate a concurrent change that got
    # the lock first, and history is read in time order.
    at = timezone.now()
    ProgressEvent.objects.create(progress_id=progress_id, from_status=seen, to_status=status, at=at, by=by)
    Profile.objects.filter(user=learner).update(last_activity_at=at)
    return status


# ---------------------------------------------------------------- plan building


@dataclass
class PlanBuild:
    """The rebuilt plan and what the learner should be told about it."""

    plan: Plan
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
    remaining = sum(i.hours for i in planned if not i.known and i.key not in closed)
    plan.built_at = timezone.now()
    plan.total_hours = sum(i.hours for i in planned if not i.known)
    plan.projected_finish = learner_today(profile) + dt.timedelta(
        weeks=weeks_needed(remaining, profile.hours_per_week)
    )
    plan.save(update_fields=["built_at", "total_hours", "projected_finish"])
    return PlanBuild(plan=plan, notes=notes)
