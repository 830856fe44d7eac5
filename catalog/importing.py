"""Content import: a "pathwise-content/1" JSON file or a CSV flat list, upserted by slug, all or nothing."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError

from catalog.exporting import CSV_MODELS, FORMAT, MODELS, RELATIONS, SCALARS, SECTIONS
from catalog.graph import find_cycle
from catalog.models import (
    Certification,
    Course,
    Deliverable,
    ItemKind,
    ProjectIdea,
    Skill,
    SkillPrerequisite,
    Stage,
    Step,
    Track,
)

# The format nests six levels (file, tracks, track, stages, stage, steps, step); anything much deeper
# is refused before any code walks it recursively.
MAX_DEPTH = 16
# Whole numbers longer than this are kept as Decimal so field checks refuse them as out of range;
# int() of a long digit string is slow and beyond 4,300 digits refused by Python itself.
MAX_INT_DIGITS = 30

STEP_MODELS: dict[str, type[models.Model]] = {
    ItemKind.SKILL: Skill,
    ItemKind.COURSE: Course,
    ItemKind.CERTIFICATION: Certification,
    ItemKind.PROJECT: ProjectIdea,
}
# CSV cells cannot hold null: an empty cell means null for these fields.
NULLABLE = {"market_share", "price_usd", "validity_months", "retired_on", "successor"}


class ContentImportError(Exception):
    """A content file was refused; `messages` names each record and field at fault."""

    def __init__(self, messages: list[str]) -> None:
        # A lone surrogate from the file ("\\ud800") cannot be written out as UTF-8: show it escaped.
        messages = [m.encode("utf-8", "backslashreplace").decode("utf-8") for m in messages]
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [
            f"{section.replace('_', ' ')}: {self.created.get(section, 0)} created, "
            f"{self.updated.get(section, 0)} updated"
            for section in SECTIONS
            if section in self.created or section in self.updated
        ]
        return "; ".join(parts) or "nothing to import"


# ---------------------------------------------------------------- parsing


def content_parse_json(*, text: str) -> dict[str, Any]:
    """The dict in a JSON content file, or a ContentImportError saying why it is not one."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise ContentImportError(
            [f"Not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}."]
        ) from None
    except RecursionError:
        raise ContentImportError(
            [f"The file must not nest lists and objects more than {MAX_DEPTH} levels deep."]
        ) from None
    if not isinstance(data, dict):
        raise ContentImportError(["The file must hold one JSON object."])
    return data


def _parse_int(digits: str) -> int | Decimal:
    return int(digits) if len(digits) <= MAX_INT_DIGITS else Decimal(digits)


def content_parse_csv(*, text: str, model: str) -> dict[str, Any]:
    """A CSV flat list as a one-section content dict (cells turned back into nulls and lists)."""
    if model not in CSV_MODELS:
        raise ContentImportError([f'Unknown CSV model "{model}": choose one of {", ".join(CSV_MODELS)}.'])
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    known = {"slug", *SCALARS[model], *RELATIONS[model]}
    header = reader.fieldnames or []
    if "slug" not in header:
        raise ContentImportError([f'{model} CSV: the header row needs a "slug" column.'])
    unknown = [c for c in header if c not in known]
    if unknown:
        raise ContentImportError([f'{model} CSV: unknown column "{c}".' for c in unknown])
    records = []
    try:
        for row in reader:
            record: dict[str, Any] = {}
            for column, cell in row.items():
                if column is None:
                    raise ContentImportError(
                        [f"{model} CSV: row {reader.line_num} has more cells than the header."]
                    )
                cell = cell or ""
                if column == "deliverables":
                    record[column] = [line.strip() for line in cell.splitlines() if line.strip()]
                elif column in RELATIONS[model] and column != "successor":
                    record[column] = [s.strip() for s in cell.split(";") if s.strip()]
                elif column in NULLABLE and cell.strip() == "":
                    record[column] = None
                else:
                    record[column] = cell
            records.append(record)
    except csv.Error as exc:
        raise ContentImportError(
            [f"{model} CSV: not valid CSV near line {reader.line_num}: {exc}."]
        ) from None
    return {"format": FORMAT, model: records}


# ---------------------------------------------------------------- import


Label = Callable[[str, int, Any], str]


def _json_label(section: str, index: int, slug: Any) -> str:
    return f'{section}[{index}] "{slug}"' if isinstance(slug, str) else f"{section}[{index}]"


def _csv_label(section: str, index: int, slug: Any) -> str:
    # The header is line 1, so the record at index 0 is on line 2 (if no cell spans lines).
    return f'{section} row {index + 2} "{slug}"' if slug else f"{section} row {index + 2}"


def _errors_of(exc: ValidationError, where: str) -> list[str]:
    messages = []
    for name, errors in exc.message_dict.items():
        for message in errors:
            if name == NON_FIELD_ERRORS:
                messages.append(f"{where}: {message}")
            else:
                messages.append(f'{where}: field "{name}": {message}')
    return messages


def _shown(value: Any) -> str:
    """A value from the file as JSON, cut short; numbers were parsed as Decimal, which json cannot dump."""
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "an object"
    if isinstance(value, Decimal):
        shown = str(value) if abs(value.adjusted()) < 60 or not value.is_finite() else f"{value:.3E}"
    else:
        shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "Null characters are not allowed."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # JSON's "\\ud800" escapes decode to half a character, which no database column stores.
        return "Lone surrogate characters (half of a UTF-16 pair) are not allowed."
    return None


def _value_problems(name: str, value: Any) -> Iterator[str]:
    """What is wrong in one field of a record, wherever it hides in nested values: text with NUL or a
    lone surrogate, and nesting beyond MAX_DEPTH. Places read 'field "name"', or for nested records
    'stages[0].steps[1]: field "ref"'. Iterative, so no nesting can exhaust the stack."""
    stack: list[tuple[str, Any, tuple[str, ...], int]] = [(name, value, (), 1)]
    while stack:
        name, value, at, depth = stack.pop()
        place = ".".join(at) + ": " * bool(at) + f'field "{name}"'
        if depth > MAX_DEPTH:
            yield f"{place}: nested more than {MAX_DEPTH} levels deep."
            continue
        if isinstance(value, str):
            if problem := _text_problem(value):
                yield f"{place}: {problem}"
        elif isinstance(value, dict):
            for key, child in reversed(value.items()):
                stack.append((name, key, at, depth + 1))
                stack.append((name, child, at, depth + 1))
        elif isinstance(value, list):
            for index, item in reversed(list(enumerate(value))):
                if isinstance(item, dict):
                    for key, child in reversed(item.items()):
                        stack.append((str(key), child, (*at, f"{name}[{index}]"), depth + 2))
                        stack.append((str(key), str(key), (*at, f"{name}[{index}]"), depth + 2))
                else:
                    stack.append((name, item, at, depth + 1))


def _scalar_problem(field: Any, value: Any) -> str | None:
    """What is wrong with a value for a plain field before the model sees it, or None.

    full_clean() skips blank values of blank=True fields and lets some wrong types through
    to save(), where they crash ("" for a number, a number for a date, null for a text field).
    """
    if isinstance(value, (list, dict)):
        return "must be a single value, not a list or an object."
    if value is None:
        # full_clean() lets None through for a blank=True text field; the database would not.
        return None if field.null else "This field cannot be null."
    if isinstance(field, (models.CharField, models.TextField)):
        return None
    # int() of 1e999999999 would build a billion-digit number; no integer column holds 10**19.
    if (
        isinstance(field, models.IntegerField)
        and isinstance(value, (Decimal, float))
        and (not math.isfinite(value) or abs(Decimal(value)) >= 10**19)
    ):
        return f"{_shown(value)} is out of range."
    try:
        field.to_python(value)
    except ValidationError as exc:
        return " ".join(str(m) for m in exc.messages)
    except (TypeError, ValueError):
        return f"{_shown(value)} is not a valid value."
    return None


def _is_order(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 32767


class _Importer:
    """One import run; collects every problem it can before the transaction is rolled back."""

    def __init__(self, data: dict[str, Any], label: Label) -> None:
        self.data = data
        self.label = label
        self.errors: list[str] = []
        self.result = ImportResult()
        self.objects: dict[str, dict[int, Any]] = {}  # section → index → saved object
        self.existing: dict[str, Any] = {}  # slug → row of the section being upserted
        # Every row by slug, loaded once per model when the relations are set (after the upserts):
        # one query per relation per record made a big file outlast the request timeout.
        self.by_slug: dict[type[models.Model], dict[str, Any]] = {}

    def run(self) -> ImportResult:
        self.check_shape()
        if self.errors:
            raise ContentImportError(self.errors)
        for section in SECTIONS:
            self.objects[section] = {}
            self.existing = MODELS[section]._default_manager.in_bulk(field_name="slug")
            for index, record in enumerate(self.data.get(section, [])):
                self.upsert(section, index, record)
        # Relations refer to slugs anywhere in the file, so they wait until every record exists.
        if self.errors:
            raise ContentImportError(self.errors)
        self.import_prerequisites()
        for section, fields in (
            ("courses", ("skills",)),
            ("certifications", ("skills_validated", "skills_recommended")),
            ("project_ideas", ("skills", "datasets")),
        ):
            for name in fields:
                self.set_m2m(section, name)
        self.import_successors()
        self.import_deliverables()
        self.import_stages()
        if self.errors:
            raise ContentImportError(self.errors)
        return self.result

    def where(self, section: str, index: int) -> str:
        record = self.data[section][index]
        slug = record.get("slug") if isinstance(record, dict) else None
        return self.label(section, index, slug if isinstance(slug, str) and "\x00" not in slug else None)

    def check_shape(self) -> None:
        fmt = self.data.get("format")
        if fmt != FORMAT:
            self.errors.append(f'Unknown format {_shown(fmt)}: expected "{FORMAT}".')
            return
        for key in self.data:
            if key != "format" and key not in SECTIONS:
                self.errors.append(f'Unknown section "{key}": expected {", ".join(SECTIONS)}.')
        for section in SECTIONS:
            records = self.data.get(section, [])
            if not isinstance(records, list):
                self.errors.append(f'Section "{section}" must be a list.')
                continue
            allowed = {"slug", *SCALARS[section], *RELATIONS[section]}
            seen: dict[str, int] = {}
            for index, record in enumerate(records):
                if not isinstance(record, dict):
                    self.errors.append(f"{self.label(section, index, None)}: must be an object.")
                    continue
                where = self.where(section, index)
                for key in record:
                    if key not in allowed:
                        self.errors.append(f'{where}: unknown field "{key}".')
                for key, value in record.items():
                    for key_problem in _value_problems(str(key), str(key)):
                        self.errors.append(f"{where}: {key_problem}")
                    for problem in _value_problems(str(key), value):
                        self.errors.append(f"{where}: {problem}")
                slug = record.get("slug")
                if not isinstance(slug, str) or not slug:
                    self.errors.append(f'{where}: field "slug": a slug is required.')
                elif slug in seen:
                    self.errors.append(
                        f'{where}: field "slug": "{slug}" appears twice (also at position {seen[slug]}).'
                    )
                else:
                    seen[slug] = index

    def upsert(self, section: str, index: int, record: dict[str, Any]) -> None:
        model = MODELS[section]
        obj = self.existing.get(record["slug"])
        created = obj is None
        if obj is None:
            obj = model(slug=record["slug"])
        problems = []
        for name in SCALARS[section]:
            if name in record:
                problem = _scalar_problem(model._meta.get_field(name), record[name])
                if problem:
                    problems.append(f'{self.where(section, index)}: field "{name}": {problem}')
                else:
                    setattr(obj, name, record[name])
        if problems:
            self.errors.extend(problems)
            return
        try:
            obj.full_clean()
        except ValidationError as exc:
            self.errors.extend(_errors_of(exc, self.where(section, index)))
            return
        obj.save()
        self.objects[section][index] = obj
        bucket = self.result.created if created else self.result.updated
        bucket[section] = bucket.get(section, 0) + 1

    def slug_list(self, section: str, index: int, record: dict[str, Any], name: str) -> list[str] | None:
        value = record.get(name)
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            self.errors.append(f'{self.where(section, index)}: field "{name}": must be a list of strings.')
            return None
        return value

    def resolve(self, model: type[models.Model], slugs: Iterable[str], where: str, name: str) -> list[Any]:
        slugs = list(slugs)
        if model not in self.by_slug:
            self.by_slug[model] = model._default_manager.in_bulk(field_name="slug")
        found = self.by_slug[model]
        missing = [s for s in slugs if s not in found]
        for slug in missing:
            noun = model._meta.verbose_name
            self.errors.append(f'{where}: field "{name}": unknown {noun} "{slug}".')
        return [found[s] for s in slugs if s in found]

    def set_m2m(self, section: str, name: str) -> None:
        """Set one many-to-many field of every record of a section that has it, in a few queries."""
        wanted: dict[int, set[int]] = {}  # object pk → the related pks from the file
        m2m: Any = MODELS[section]._meta.get_field(name)
        for index, record in enumerate(self.data.get(section, [])):
            if name not in record:
                continue
            slugs = self.slug_list(section, index, record, name)
            if slugs is None:
                continue
            items = self.resolve(m2m.related_model, slugs, self.where(section, index), name)
            wanted[self.objects[section][index].pk] = {item.pk for item in items}
        if not wanted or self.errors:
            return
        through: Any = m2m.remote_field.through
        source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        rows = through._default_manager.filter(**{f"{source}__in": list(wanted)})
        existing = list(rows.values_list("pk", source, target))
        have = {(a, b) for _, a, b in existing}
        want = {(pk, other) for pk, others in wanted.items() for other in others}
        stale = [pk for pk, a, b in existing if (a, b) not in want]
        if stale:
            through._default_manager.filter(pk__in=stale).delete()
        through._default_manager.bulk_create(
            [through(**{f"{source}_id": pk, f"{target}_id": other}) for pk, other in sorted(want - have)]
        )

    def import_prerequisites(self) -> None:
        wanted: dict[int, list[Skill]] = {}  # skill pk → its prerequisites from the file
        for index, record in enumerate(self.data.get("skills", [])):
            if "prerequisites" not in record:
                continue
            slugs = self.slug_list("skills", index, record, "prerequisites")
            if slugs is None:
                continue
            skill = self.objects["skills"][index]
            where = self.where("skills", index)
            if skill.slug in slugs:
                self.errors.append(f'{where}: field "prerequisites": a skill cannot require itself.')
                continue
            wanted[skill.pk] = self.resolve(Skill, slugs, where, "prerequisites")
        names = {s.pk: s.name for s in self.objects["skills"].values()}
        replaced = {names[pk] for pk in wanted}
        edges = [
            (a, b)
            for a, b in SkillPrerequisite.objects.values_list("skill__name", "requires__name")
            if a not in replaced
        ]
        edges += [(names[pk], req.name) for pk, reqs in wanted.items() for req in reqs]
        cycle = find_cycle(edges)
        if cycle:
            index = next(i for i, s in self.objects["skills"].items() if s.name in cycle)
            self.errors.append(
                f'{self.where("skills", index)}: field "prerequisites": '
                f"the prerequisites would form a cycle: {' → '.join(cycle)}."
            )
            return
        want = {(pk, req.pk) for pk, reqs in wanted.items() for req in reqs}
        rows = SkillPrerequisite.objects.filter(skill_id__in=list(wanted))
        existing = list(rows.values_list("pk", "skill_id", "requires_id"))
        have = {(a, b) for _, a, b in existing}
        stale = [pk for pk, a, b in existing if (a, b) not in want]
        if stale:
            SkillPrerequisite.objects.filter(pk__in=stale).delete()
        SkillPrerequisite.objects.bulk_create(
            [SkillPrerequisite(skill_id=a, requires_id=b) for a, b in sorted(want - have)]
        )

    def import_successors(self) -> None:
        for index, record in enumerate(self.data.get("certifications", [])):
            if "successor" not in record:
                continue
            cert = self.objects["certifications"][index]
            where = self.where("certifications", index)
            slug = record["successor"]
            successor = None
            if slug is not None:
                if not isinstance(slug, str):
                    self.errors.append(f'{where}: field "successor": must be a certification slug or null.')
                    continue
                if slug == cert.slug:
                    self.errors.append(f'{where}: field "successor": a certification cannot succeed itself.')
                    continue
                found = self.resolve(Certification, [slug], where, "successor")
                if not found:
                    continue
                successor = found[0]
            if cert.successor_id != (successor.pk if successor else None):
                cert.successor = successor
                cert.save(update_fields=["successor"])

    def import_deliverables(self) -> None:
        for index, record in enumerate(self.data.get("project_ideas", [])):
            if "deliverables" not in record:
                continue
            texts = self.slug_list("project_ideas", index, record, "deliverables")
            if texts is None:
                continue
            self.replace_deliverables(
                self.objects["project_ideas"][index], texts, self.where("project_ideas", index)
            )

    def replace_deliverables(self, project: ProjectIdea, texts: list[str], where: str) -> None:
        # Learners' ticks point at deliverables (PROTECT): keep rows by position, update their
        # text, and remove only extras nobody has ticked. The catalog does not know the ticks'
        # model: the database's protection says which rows are held.
        existing = list(project.deliverables.order_by("order", "id"))
        ticked = False
        for d in existing[len(texts) :]:
            try:
                d.delete()  # refused before any row goes when a tick protects it
            except ProtectedError:
                ticked = True
                self.errors.append(
                    f'{where}: field "deliverables": cannot remove "{d.text}": learners have ticked it off.'
                )
        if ticked:
            return
        kept = existing[: len(texts)]
        # Move kept rows out of the way first so renumbering never trips the unique order.
        for d in kept:
            Deliverable.objects.filter(pk=d.pk).update(order=30000 + d.order % 2000)
        for position, text in enumerate(texts, start=1):
            d = kept[position - 1] if position <= len(kept) else Deliverable(project=project)
            d.order, d.text = position, text
            self.nested_save(d, f"{where}: deliverables[{position - 1}]")

    def nested_save(self, obj: models.Model, at: str) -> bool:
        """Save a deliverable, stage or step row that passes its field checks; else report them.

        Uniqueness and constraints are left to the save: rows are renumbered in place."""
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self.errors.extend(_errors_of(exc, at))
            return False
        obj.save()
        return True

    def nested_problems(
        self, at: str, model: type[models.Model], data: dict[str, Any], names: tuple[str, ...]
    ) -> bool:
        """Report wrong types in a stage's or step's plain fields; True when there were any."""
        problems = [
            f'{at}: field "{name}": {problem}'
            for name in names
            if name in data and (problem := _scalar_problem(model._meta.get_field(name), data[name]))
        ]
        self.errors.extend(problems)
        return bool(problems)

    def import_stages(self) -> None:
        for index, record in enumerate(self.data.get("tracks", [])):
            if "stages" not in record:
                continue
            where = self.where("tracks", index)
            stages = record["stages"]
            if not isinstance(stages, list) or not all(isinstance(s, dict) for s in stages):
                self.errors.append(f'{where}: field "stages": must be a list of objects.')
                continue
            self.replace_stages(self.objects["tracks"][index], stages, where)

    def replace_stages(self, track: Track, stages: list[dict[str, Any]], where: str) -> None:
        orders = [s.get("order") for s in stages]
        existing = {s.order: s for s in track.stages.all()}
        Stage.objects.filter(track=track).exclude(order__in=[o for o in orders if _is_order(o)]).delete()
        seen: set[int] = set()
        for i, data in enumerate(stages):
            at = f"{where}: stages[{i}]"
            order = self.ordered_row(at, data, {"order", "title", "description", "steps"}, seen, "track")
            if order is None:
                continue
            if self.nested_problems(at, Stage, data, ("title", "description")):
                continue
            stage = existing.get(order) or Stage(track=track)
            stage.order = order
            stage.title = data.get("title", "")
            stage.description = data.get("description", "")
            if not self.nested_save(stage, at):
                continue
            steps = data.get("steps", [])
            if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
                self.errors.append(f'{at}: field "steps": must be a list of objects.')
                continue
            self.replace_steps(stage, steps, at)

    def ordered_row(
        self, at: str, data: dict[str, Any], allowed: set[str], seen: set[int], scope: str
    ) -> int | None:
        """A stage's or step's order after checking its fields; None (with the errors noted) if unusable."""
        for key in sorted(set(data) - allowed):
            self.errors.append(f'{at}: unknown field "{key}".')
        order: Any = data.get("order")
        if not _is_order(order):
            self.errors.append(f'{at}: field "order": must be a whole number from 0 to 32767.')
            return None
        if order in seen:
            self.errors.append(f'{at}: field "order": {order} appears twice in this {scope}.')
            return None
        seen.add(order)
        return int(order)

    def replace_steps(self, stage: Stage, steps: list[dict[str, Any]], where: str) -> None:
        orders = [s.get("order") for s in steps]
        Step.objects.filter(stage=stage).exclude(order__in=[o for o in orders if _is_order(o)]).delete()
        existing = {s.order: s for s in stage.steps.all()}
        seen: set[int] = set()
        for i, data in enumerate(steps):
            at = f"{where}.steps[{i}]"
            order = self.ordered_row(at, data, {"order", "kind", "ref", "optional", "note"}, seen, "stage")
            if order is None:
                continue
            kind, ref = data.get("kind"), data.get("ref")
            if not isinstance(kind, str) or kind not in STEP_MODELS:
                self.errors.append(
                    f'{at}: field "kind": {_shown(kind)} is not one of {", ".join(STEP_MODELS)}.'
                )
                continue
            if not isinstance(ref, str):
                self.errors.append(f'{at}: field "ref": must be the slug of a {kind}.')
                continue
            found = self.resolve(STEP_MODELS[kind], [ref], at, "ref")
            if not found:
                continue
            step = existing.get(order) or Step(stage=stage)
            if self.nested_problems(at, Step, data, ("optional", "note")):
                continue
            step.skill = step.course = step.certification = step.project = None
            setattr(step, kind, found[0])
            step.order = order
            step.optional = data.get("optional", False)
            step.note = data.get("note", "")
            self.nested_save(step, at)


def content_import(*, data: dict[str, Any], label: Label = _json_label) -> ImportResult:
    """Upsert every record of `data` by slug, all or nothing; raises ContentImportError."""
    if not isinstance(data, dict):
        raise ContentImportError(["The content must be one JSON object."])
    try:
        with transaction.atomic():
            return _Importer(data, label).run()
    except IntegrityError as exc:
        # Validation should catch everything first; this keeps a missed case a message, not a crash.
        raise ContentImportError([f"The database refused the content: {exc}"]) from None


def content_import_text(*, text: str, fmt: str, model: str | None = None) -> ImportResult:
    """Import a file's text: fmt "json" (everything) or "csv" (one flat list named by `model`)."""
    if fmt == "json":
        return content_import(data=content_parse_json(text=text))
    if fmt == "csv":
        if not model:
            raise ContentImportError([f"A CSV file holds one list: say which ({', '.join(CSV_MODELS)})."])
        return content_import(data=content_parse_csv(text=text, model=model), label=_csv_label)
    raise ContentImportError([f'Unknown file format "{fmt}": use json or csv.'])
