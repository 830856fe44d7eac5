"""Writes that touch several models: progress changes (and, later, plan building)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Profile, User
from roadmap.models import ITEM_FIELDS, Progress, ProgressEvent

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


@transaction.atomic
def step_set_status(
    *, learner: User, kind: str, item_id: int, status: str, by: User | None = None
) -> Progress:
    """Set the learner's status for one item, recording history; a no-op when unchanged."""
    if status not in Status.values:
        raise ValueError(f"Unknown status {status!r}.")
    progress = progress_get_or_create(learner=learner, kind=kind, item_id=item_id)
    # Row lock: concurrent clicks serialise here, so history records each real change once.
    progress = Progress.objects.select_for_update().get(pk=progress.pk)
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
