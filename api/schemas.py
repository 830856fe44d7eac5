"""The API's typed shapes (pydantic, through django-ninja): what each endpoint takes and answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import BaseModel

from catalog.models import ITEM_FIELDS


class Out(BaseModel):
    """An answer's shape: plain pydantic, built by the routers from rows they read, without ninja's
    attribute-resolving validator (a 1,000-item plan spent most of its time there)."""


def copied[O: Out](schema: type[O], row: Any, *, validate: bool = True, **given: Any) -> O:
    """`schema` with each field the row has under the same name copied from it, the others `given`.
    validate=False builds it without validation, for rows whose fields come typed already."""
    fields = {name: getattr(row, name) for name in schema.model_fields if name not in given}
    return schema(**fields, **given) if validate else schema.model_construct(**fields, **given)


Kind = Literal["skill", "course", "certification", "project"]
StatusValue = Literal["not_started", "in_progress", "done", "skipped"]


class Problem(Out):
    """RFC 9457 problem details; `errors` lists the fields of a request that failed validation."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


# ---------------------------------------------------------------- catalog


class ItemOut(Out):
    kind: Kind
    slug: str
    name: str


def item_of(row: Any) -> ItemOut:
    """The catalog item an ItemRef row (Step, Progress) points at, as kind, slug and name."""
    kind = row.kind
    item = getattr(row, kind)
    return ItemOut(kind=kind, slug=item.slug, name=str(item))


class StepOut(Out):
    order: int
    optional: bool
    item: ItemOut


class StageOut(Out):
    order: int
    title: str
    description: str
    steps: list[StepOut]


class TrackOut(Out):
    slug: str
    name: str
    description: str
    is_core: bool
    stages: list[StageOut]


class SkillOut(Out):
    slug: str
    name: str
    category: str
    tier: str
    kind: str
    description: str
    estimated_hours: int
    prerequisites: list[str] = Field(description="Slugs of the skills to learn first.")


class CourseOut(Out):
    slug: str
    title: str
    provider: str
    url: str
    format: str
    cost: str
    level: str
    hours: int
    skills: list[str]


class CertificationOut(Out):
    slug: str
    name: str
    issuer: str
    exam_code: str
    url: str
    cost: str
    level: str
    hours: int
    price_usd: Decimal | None
    status: Literal["active", "retired"]
    retired_on: dt.date | None
    successor: str | None = Field(description="Slug of the certification replacing a retired one.")


class ProjectOut(Out):
    slug: str
    title: str
    summary: str
    difficulty: str
    hours: int
    skills: list[str]
    deliverables: list[str]


# ---------------------------------------------------------------- the learner's own


class ProfileOut(Out):
    email: str
    display_name: str
    hours_per_week: int | None
    target_date: dt.date | None
    time_zone: str | None
    tracks: list[str]


class PlanItemOut(Out):
    position: int
    kind: Kind
    slug: str
    name: str
    stage_index: int
    stage_title: str
    status: StatusValue
    known: bool
    optional: bool
    lane: str
    hours: int
    week: int
    why: str


class PlanSummaryOut(Out):
    steps: int = Field(description="Scheduled steps (optional ones and those after the target aside).")
    complete: int
    percent: int
    hours_left: int
    hours_per_week: int
    target_date: dt.date | None
    projected_finish: dt.date
    late: bool


class PlanOut(Out):
    built_at: dt.datetime
    focused: bool
    summary: PlanSummaryOut
    items: list[PlanItemOut]


class ProgressOut(Out):
    item: ItemOut
    status: StatusValue
    started_at: dt.datetime | None
    completed_at: dt.datetime | None
    updated_at: dt.datetime


class StatusIn(Schema):
    status: StatusValue


class StatusOut(Out):
    item: ItemOut
    status: StatusValue


class NoteIn(Schema):
    notes: str = Field(max_length=20_000, description="Markdown.")
    shared: bool = Field(False, description="Whether the learner's mentors may read the notes.")


class NoteOut(Out):
    item: ItemOut
    notes: str
    shared: bool
    updated_at: dt.datetime


class EvidenceOut(Out):
    id: int
    item: ItemOut
    kind: Literal["evidence", "resource"]
    url: str
    label: str
    created_at: dt.datetime


class DeliverableOut(Out):
    id: int
    project: str
    text: str
    done: bool


class ActivityOut(Out):
    item: ItemOut
    from_status: StatusValue
    to_status: StatusValue
    at: dt.datetime


class CommentOut(Out):
    id: int
    author: str
    mine: bool
    body: str
    created_at: dt.datetime


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=5_000)


# ---------------------------------------------------------------- mentors


class MenteeOut(Out):
    key: str
    display_name: str
    email: str
    steps: int
    done: int
    percent: int
    hours_left: int
    last_activity: dt.datetime | None
    stalled: bool


class SharedNoteOut(Out):
    item: ItemOut
    notes: str
    updated_at: dt.datetime


__all__ = ["ITEM_FIELDS"]
