"""Writes of a learner's progress: status changes with their history, notes, evidence and deliverables,
the weekly goal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Profile, User
from catalog.models import ITEM_FIELDS, Deliverable
from roadmap.models import (
    NOTES_MAX_LENGTH,
    WEEKLY_GOAL_MAX,
    DeliverableCheck,
    EvidenceLink,
    PlanItem,
    Progress,
    ProgressEvent,
    WeeklyGoal,
)
from roadmap.services.plans import plan_rebuild

Status = Progress.Status


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


def progress_locked(*, learner: User, kind: str, item_id: int) -> Progress:
    """The learner's Progress row of an item (created on first touch), locked for this transaction:
    concurrent writes on one step serialise here. Plan building creates the rows of a plan's items,
    so one query usually finds and locks it."""
    progress = Progress.objects.select_for_update().filter(learner=learner, **{f"{kind}_id": item_id}).first()
    if progress is None:
        created = progress_get_or_create(learner=learner, kind=kind, item_id=item_id)
        progress = Progress.objects.select_for_update().get(pk=created.pk)
    return progress


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
        _recover_coverage(learner=learner, kind=kind, item_id=item_id, old=seen, status=status)
        return status
    # Row lock: concurrent clicks serialise here, so history records each real change once.
    progress = progress_locked(learner=learner, kind=kind, item_id=item_id)
    if progress.status != status:
        old = progress.status
        _status_move(learner=learner, progress_id=progress.pk, old=old, status=status, by=by)
        _recover_coverage(learner=learner, kind=kind, item_id=item_id, old=old, status=status)
    return status


def _recover_coverage(*, learner: User, kind: str, item_id: int, old: str, status: str) -> None:
    """Skipping a course (or taking it back up) moves the hours of the skills it covers: re-plan."""
    if kind != "course" or Status.SKIPPED not in (old, status):
        return
    if PlanItem.objects.filter(plan__learner=learner, course_id=item_id).exists():
        plan_rebuild(learner=learner)


# ---------------------------------------------------------------- a step's notes, evidence and deliverables

EVIDENCE_LIMIT = 50
WEB_URL = URLValidator(schemes=["http", "https"])


class StepError(Exception):
    """A write on a step that cannot happen; the message is meant for the learner."""


@transaction.atomic
def note_save(*, learner: User, item: PlanItem, notes: str, shared: bool) -> Progress:
    """Save the learner's notes on a step of their plan (Markdown) and whether mentors may read them."""
    notes = notes.replace("\r\n", "\n").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise StepError(
            f"Notes can be at most {NOTES_MAX_LENGTH:,} characters long; these have {len(notes):,}."
        )
    progress = progress_locked(learner=learner, kind=item.kind, item_id=item.item_key[1])
    progress.notes = notes
    progress.notes_shared = shared
    progress.save(update_fields=["notes", "notes_shared"])
    return progress


@transaction.atomic
def evidence_add(
    *, learner: User, item: PlanItem, url: str, label: str = "", kind: str = EvidenceLink.Kind.EVIDENCE
) -> EvidenceLink:
    """Attach a web link to a step of the learner's plan: evidence of their work, or a resource of
    their own to learn from."""
    label = label.strip()
    if kind not in EvidenceLink.Kind.values:
        raise StepError("Say whether the link is evidence of your work or a resource.")
    try:
        WEB_URL(url)
    except ValidationError as exc:
        raise StepError("Enter a web address starting with http:// or https://.") from exc
    if len(url) > 500 or len(label) > 120:
        raise StepError("A link can have at most 500 characters and its description 120.")
    progress = progress_locked(learner=learner, kind=item.kind, item_id=item.item_key[1])
    if progress.evidence.filter(url=url).exists():
        raise StepError("You have already added this link to this step.")
    if progress.evidence.count() >= EVIDENCE_LIMIT:
        raise StepError(f"A step can hold at most {EVIDENCE_LIMIT} links: remove one first.")
    try:
        with transaction.atomic():
            return EvidenceLink.objects.create(progress=progress, url=url, label=label, kind=kind)
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
    progress = progress_locked(learner=learner, kind=item.kind, item_id=item.item_key[1])
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


# ---------------------------------------------------------------- the weekly goal


class GoalError(ValueError):
    """A weekly goal that cannot be stored; the message is meant for the learner."""


@transaction.atomic
def weekly_goal_set(*, learner: User, unit: str, target: int) -> WeeklyGoal:
    """Store what the learner means to do each week (hours of finished steps, or steps)."""
    if unit not in WeeklyGoal.Unit.values:
        raise GoalError("Choose hours or steps for your weekly goal.")
    if not 1 <= target <= WEEKLY_GOAL_MAX[unit]:
        raise GoalError(f"A weekly goal in {unit} goes from 1 to {WEEKLY_GOAL_MAX[unit]}.")
    goal, _ = WeeklyGoal.objects.update_or_create(
        learner=learner, defaults={"unit": unit, "target": target, "updated_at": timezone.now()}
    )
    return goal
