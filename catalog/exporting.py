"""Content export: the whole catalog as a "pathwise-content/2" JSON file, or one flat list as CSV.

The format's sections and fields are defined here; catalog.importing reads what this module writes.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django.db import models

from catalog.models import (
    Background,
    Certification,
    ChoiceGroup,
    ChoiceOption,
    Course,
    Dataset,
    Pathway,
    ProjectIdea,
    Role,
    RolePairing,
    Skill,
    Stage,
    Step,
    Track,
)

FORMAT = "pathwise-content/2"
# Files of these formats still import: version 1 had one "market_share" figure per skill and none of
# the version 2 sections (backgrounds, roles, role pairings, pathways), choices or dates.
OLD_FORMATS = ("pathwise-content/1",)
SHARES = ("share_low", "share_high", "entry_share_low", "entry_share_high")

# Scalar fields of each section, in file order; the relations are written (and read) field by field.
SCALARS: dict[str, tuple[str, ...]] = {
    "skills": ("name", "category", "tier", "kind", "description", "estimated_hours", *SHARES, "checked_on"),
    "courses": ("title", "provider", "url", "format", "cost", "hours", "level", "description", "checked_on"),
    "certifications": (
        "name",
        "issuer",
        "exam_code",
        "url",
        "cost",
        "price_usd",
        "validity_months",
        "level",
        "hours",
        "description",
        "status",
        "retired_on",
        "checked_on",
    ),
    "datasets": ("name", "url", "description", "checked_on"),
    "project_ideas": ("title", "summary", "difficulty", "hours"),
    "tracks": ("name", "description", "is_core", "order"),
    "backgrounds": ("name", "description", "order"),
    "roles": ("name", "level", "summary", "adds", "order"),
    "role_pairings": ("partner", "together", "order"),
    "pathways": ("kind", "title", "description", "order"),
}
RELATIONS: dict[str, tuple[str, ...]] = {
    "skills": ("prerequisites", "aliases"),
    "courses": ("skills",),
    "certifications": ("successor", "skills_validated", "skills_recommended"),
    "datasets": (),
    "project_ideas": ("skills", "datasets", "deliverables"),
    "tracks": ("stages",),
    "backgrounds": ("proposed_skills",),
    "roles": ("skills",),
    "role_pairings": ("skills",),
    "pathways": (),
}
MODELS: dict[str, type[models.Model]] = {
    "skills": Skill,
    "courses": Course,
    "certifications": Certification,
    "datasets": Dataset,
    "project_ideas": ProjectIdea,
    "tracks": Track,
    "backgrounds": Background,
    "roles": Role,
    "role_pairings": RolePairing,
    "pathways": Pathway,
}
# Import order: everything a section refers to comes before it.
SECTIONS = (
    "skills",
    "datasets",
    "courses",
    "certifications",
    "project_ideas",
    "tracks",
    "backgrounds",
    "roles",
    "role_pairings",
    "pathways",
)
CSV_MODELS = (
    "skills",
    "courses",
    "certifications",
    "datasets",
    "project_ideas",
    "backgrounds",
    "roles",
    "role_pairings",
    "pathways",
)
# A step's option is written "<choice group slug>/<option slug>" (groups are unique within a stage).
OPTION_SEPARATOR = "/"


def _text(value: Any) -> Any:
    """JSON-friendly value of a model field: decimals and dates as strings."""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _slugs(manager: Any) -> list[str]:
    return sorted(obj.slug for obj in manager.all())


def _simple(section: str, relation: str | None = None) -> list[dict[str, Any]]:
    """A section whose records are scalars and at most one list of skill slugs."""
    rows: Any = MODELS[section]._default_manager.order_by("slug")
    if relation:
        rows = rows.prefetch_related(relation)
    return [
        {
            "slug": obj.slug,
            **{f: _text(getattr(obj, f)) for f in SCALARS[section]},
            **({relation: _slugs(getattr(obj, relation))} if relation else {}),
        }
        for obj in rows
    ]


def _choices(stage: Stage) -> list[dict[str, Any]]:
    return [
        {
            "slug": group.slug,
            "title": group.title,
            "description": group.description,
            "options": [
                {"slug": option.slug, "title": option.title, "default": option.is_default}
                for option in group.options.all()
            ],
        }
        for group in stage.choice_groups.all()
    ]


def _step(step: Step) -> dict[str, Any]:
    record = {
        "order": step.order,
        "kind": step.kind,
        "ref": step.item.slug,
        "optional": step.optional,
        "note": step.note,
    }
    if step.option is not None:
        record["option"] = f"{step.option.group.slug}{OPTION_SEPARATOR}{step.option.slug}"
    return record


def content_export() -> dict[str, Any]:
    """The whole catalog as a "pathwise-content/2" dict, sorted by slug."""
    skills = []
    for skill in Skill.objects.order_by("slug").prefetch_related("prerequisites", "aliases"):
        record = {"slug": skill.slug, **{f: _text(getattr(skill, f)) for f in SCALARS["skills"]}}
        aliases = sorted(alias.name for alias in skill.aliases.all())
        skills.append({**record, "prerequisites": _slugs(skill.prerequisites), "aliases": aliases})
    courses = [
        {
            "slug": course.slug,
            **{f: _text(getattr(course, f)) for f in SCALARS["courses"]},
            "skills": _slugs(course.skills),
        }
        for course in Course.objects.order_by("slug").prefetch_related("skills")
    ]
    certifications = [
        {
            "slug": cert.slug,
            **{f: _text(getattr(cert, f)) for f in SCALARS["certifications"]},
            "successor": cert.successor.slug if cert.successor else None,
            "skills_validated": _slugs(cert.skills_validated),
            "skills_recommended": _slugs(cert.skills_recommended),
        }
        for cert in Certification.objects.order_by("slug")
        .select_related("successor")
        .prefetch_related("skills_validated", "skills_recommended")
    ]
    datasets = [
        {"slug": d.slug, **{f: _text(getattr(d, f)) for f in SCALARS["datasets"]}}
        for d in Dataset.objects.order_by("slug")
    ]
    projects = [
        {
            "slug": project.slug,
            **{f: _text(getattr(project, f)) for f in SCALARS["project_ideas"]},
            "skills": _slugs(project.skills),
            "datasets": _slugs(project.datasets),
            "deliverables": [d.text for d in project.deliverables.all()],
        }
        for project in ProjectIdea.objects.order_by("slug").prefetch_related(
            "skills", "datasets", "deliverables"
        )
    ]
    steps = Step.objects.select_related(
        "skill", "course", "certification", "project", "option__group"
    ).order_by("order")
    groups = ChoiceGroup.objects.order_by("order", "slug").prefetch_related(
        models.Prefetch("options", ChoiceOption.objects.order_by("order", "slug"))
    )
    tracks = [
        {
            "slug": track.slug,
            **{f: _text(getattr(track, f)) for f in SCALARS["tracks"]},
            "stages": [
                {
                    "order": stage.order,
                    "title": stage.title,
                    "description": stage.description,
                    "choices": _choices(stage),
                    "steps": [_step(step) for step in stage.steps.all()],
                }
                for stage in track.stages.all()
            ],
        }
        for track in Track.objects.order_by("slug").prefetch_related(
            models.Prefetch("stages", Stage.objects.order_by("order")),
            models.Prefetch("stages__steps", steps),
            models.Prefetch("stages__choice_groups", groups),
        )
    ]
    return {
        "format": FORMAT,
        "skills": skills,
        "courses": courses,
        "certifications": certifications,
        "datasets": datasets,
        "project_ideas": projects,
        "tracks": tracks,
        "backgrounds": _simple("backgrounds", "proposed_skills"),
        "roles": _simple("roles", "skills"),
        "role_pairings": _simple("role_pairings", "skills"),
        "pathways": _simple("pathways"),
    }


def content_export_json() -> str:
    return json.dumps(content_export(), indent=2, ensure_ascii=False) + "\n"


def content_export_csv(*, model: str) -> str:
    """One flat list as CSV: lists of slugs joined by ';', deliverables one per line in their cell."""
    if model not in CSV_MODELS:
        raise ValueError(f'Unknown CSV model "{model}": choose one of {", ".join(CSV_MODELS)}.')
    records = content_export()[model]
    columns = ["slug", *SCALARS[model], *RELATIONS[model]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = {}
        for column in columns:
            value = record[column]
            if column == "deliverables":
                value = "\n".join(value)
            elif isinstance(value, list):
                value = ";".join(value)
            row[column] = "" if value is None else value
        writer.writerow(row)
    return out.getvalue()
