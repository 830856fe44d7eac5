"""Importing a track's tree: its stages in order, each stage's choice groups and options, its steps."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from django.db import models
from django.db.models import QuerySet

from catalog.exporting import OPTION_SEPARATOR
from catalog.importing.checks import STEP_MODELS, is_order, shown
from catalog.models import ChoiceGroup, ChoiceOption, Stage, Step, Track

STAGE_FIELDS = {"order", "title", "description", "choices", "steps"}
STEP_FIELDS = {"order", "kind", "ref", "optional", "note", "option"}
GROUP_FIELDS = {"slug", "title", "description", "options"}
OPTION_FIELDS = {"slug", "title", "default"}


class ImportRun(Protocol):
    """What a track's import needs of the run that holds it (catalog.importing.records.Importer)."""

    data: dict[str, Any]
    errors: list[str]
    objects: dict[str, dict[int, Any]]

    def where(self, section: str, index: int) -> str: ...

    def resolve(
        self, model: type[models.Model], slugs: Iterable[str], where: str, name: str
    ) -> list[Any]: ...

    def nested_save(self, obj: models.Model, at: str) -> bool: ...

    def nested_problems(
        self, at: str, model: type[models.Model], data: dict[str, Any], names: tuple[str, ...]
    ) -> bool: ...


def import_stages(imp: ImportRun) -> None:
    for index, record in enumerate(imp.data.get("tracks", [])):
        if "stages" not in record:
            continue
        where = imp.where("tracks", index)
        stages = record["stages"]
        if not isinstance(stages, list) or not all(isinstance(s, dict) for s in stages):
            imp.errors.append(f'{where}: field "stages": must be a list of objects.')
            continue
        replace_stages(imp, imp.objects["tracks"][index], stages, where)


def replace_stages(imp: ImportRun, track: Track, stages: list[dict[str, Any]], where: str) -> None:
    rows = ordered_rows(
        imp, Stage.objects.filter(track=track), stages, f"{where}: stages", STAGE_FIELDS, "track"
    )
    for at, order, data, stage in rows:
        if imp.nested_problems(at, Stage, data, ("title", "description")):
            continue
        stage = stage or Stage(track=track)
        stage.order = order
        stage.title = data.get("title", "")
        stage.description = data.get("description", "")
        if not imp.nested_save(stage, at):
            continue
        options = replace_choices(imp, stage, data.get("choices", []), at)
        steps = data.get("steps", [])
        if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
            imp.errors.append(f'{at}: field "steps": must be a list of objects.')
            continue
        replace_steps(imp, stage, steps, at, options)


def ordered_rows[M: (Stage, Step)](
    imp: ImportRun,
    siblings: QuerySet[M],
    rows: list[dict[str, Any]],
    where: str,
    allowed: set[str],
    scope: str,
) -> Iterator[tuple[str, int, dict[str, Any], M | None]]:
    """(place, order, data, the existing row of that order or None) for each usable stage or step row.

    Rows matched by order: existing rows whose order the file no longer gives are deleted first;
    unknown fields are reported, and a row whose order is missing, wrong or repeated is left out."""
    siblings.exclude(order__in=[o for o in (r.get("order") for r in rows) if is_order(o)]).delete()
    existing = {row.order: row for row in siblings}
    seen: set[int] = set()
    for i, data in enumerate(rows):
        at = f"{where}[{i}]"
        for key in sorted(set(data) - allowed):
            imp.errors.append(f'{at}: unknown field "{key}".')
        order: Any = data.get("order")
        if not is_order(order):
            imp.errors.append(f'{at}: field "order": must be a whole number from 0 to 32767.')
        elif order in seen:
            imp.errors.append(f'{at}: field "order": {order} appears twice in this {scope}.')
        else:
            seen.add(order)
            yield at, int(order), data, existing.get(order)


def _objects(imp: ImportRun, at: str, name: str, value: Any, allowed: set[str]) -> list[dict[str, Any]]:
    """The records of a nested list after checking their keys and slugs (bad ones reported, left out)."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        imp.errors.append(f'{at}: field "{name}": must be a list of objects.')
        return []
    good, seen = [], set()
    for i, record in enumerate(value):
        here = f"{at}.{name}[{i}]"
        for key in sorted(set(record) - allowed):
            imp.errors.append(f'{here}: unknown field "{key}".')
        slug = record.get("slug")
        if not isinstance(slug, str) or not slug:
            imp.errors.append(f'{here}: field "slug": a slug is required.')
        elif slug in seen:
            imp.errors.append(f'{here}: field "slug": "{slug}" appears twice in this {name[:-1]} list.')
        else:
            seen.add(slug)
            good.append(record)
    return good


def replace_choices(imp: ImportRun, stage: Stage, value: Any, where: str) -> dict[str, ChoiceOption]:
    """Upsert the stage's choice groups and their options by slug, in file order; drop the others.

    Returns the stage's options by "<group>/<option>", for its steps to point at."""
    groups = _objects(imp, where, "choices", value, GROUP_FIELDS)
    existing = {g.slug: g for g in stage.choice_groups.all()}
    stage.choice_groups.exclude(slug__in=[g["slug"] for g in groups]).delete()
    found: dict[str, ChoiceOption] = {}
    for position, data in enumerate(groups):
        at = f'{where}: choice group "{data["slug"]}"'
        if imp.nested_problems(at, ChoiceGroup, data, ("title", "description")):
            continue
        group = existing.get(data["slug"]) or ChoiceGroup(stage=stage, slug=data["slug"])
        group.title, group.description = data.get("title", ""), data.get("description", "")
        group.order = position
        if not imp.nested_save(group, at):
            continue
        for option in replace_options(imp, group, data.get("options", []), at):
            found[f"{group.slug}{OPTION_SEPARATOR}{option.slug}"] = option
    return found


def replace_options(imp: ImportRun, group: ChoiceGroup, value: Any, where: str) -> list[ChoiceOption]:
    options = _objects(imp, where, "options", value, OPTION_FIELDS)
    defaults = [o["slug"] for o in options if o.get("default") is True]
    if len(defaults) > 1:
        imp.errors.append(
            f'{where}: field "options": only one option can be the default, not {len(defaults)}.'
        )
        return []
    bad = [o["slug"] for o in options if not isinstance(o.get("default", False), bool)]
    for slug in bad:
        imp.errors.append(f'{where}: option "{slug}": field "default": must be true or false.')
    existing = {o.slug: o for o in group.options.all()}
    group.options.exclude(slug__in=[o["slug"] for o in options]).delete()
    # Clear a default that moves before setting the new one: one default per group is a constraint.
    group.options.filter(is_default=True).exclude(slug__in=defaults).update(is_default=False)
    saved = []
    for position, data in enumerate(options):
        at = f'{where}: option "{data["slug"]}"'
        if data["slug"] in bad or imp.nested_problems(at, ChoiceOption, data, ("title",)):
            continue
        option = existing.get(data["slug"]) or ChoiceOption(group=group, slug=data["slug"])
        option.title, option.order = data.get("title", ""), position
        option.is_default = data["slug"] in defaults
        if imp.nested_save(option, at):
            saved.append(option)
    return saved


def replace_steps(
    imp: ImportRun, stage: Stage, steps: list[dict[str, Any]], where: str, options: dict[str, ChoiceOption]
) -> None:
    rows = ordered_rows(imp, Step.objects.filter(stage=stage), steps, f"{where}.steps", STEP_FIELDS, "stage")
    for at, order, data, step in rows:
        kind, ref = data.get("kind"), data.get("ref")
        if not isinstance(kind, str) or kind not in STEP_MODELS:
            imp.errors.append(f'{at}: field "kind": {shown(kind)} is not one of {", ".join(STEP_MODELS)}.')
            continue
        if not isinstance(ref, str):
            imp.errors.append(f'{at}: field "ref": must be the slug of a {kind}.')
            continue
        found = imp.resolve(STEP_MODELS[kind], [ref], at, "ref")
        if not found:
            continue
        option = data.get("option")
        if option is not None and (not isinstance(option, str) or option not in options):
            known = ", ".join(sorted(options)) or "none"
            imp.errors.append(
                f'{at}: field "option": {shown(option)} is not "<choice group>/<option>" of a choice '
                f"of this stage (this stage's options: {known})."
            )
            continue
        step = step or Step(stage=stage)
        if imp.nested_problems(at, Step, data, ("optional", "note")):
            continue
        step.skill = step.course = step.certification = step.project = None
        setattr(step, kind, found[0])
        step.order = order
        step.optional = data.get("optional", False)
        step.note = data.get("note", "")
        step.option = options[option] if option is not None else None
        imp.nested_save(step, at)
