"""Upserting a parsed content file's records by slug, section by section, collecting every problem."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError

from catalog.exporting import FORMAT, MODELS, OLD_FORMATS, RELATIONS, SCALARS, SECTIONS
from catalog.graph import find_cycle
from catalog.importing.checks import (
    ContentImportError,
    ImportResult,
    Label,
    errors_of,
    scalar_problem,
    shown,
    upgraded,
    value_problems,
)
from catalog.importing.tracks import import_stages
from catalog.models import (
    Certification,
    Deliverable,
    ProjectIdea,
    Skill,
    SkillAlias,
    SkillPrerequisite,
)


class Importer:
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
        if self.data.get("format") in OLD_FORMATS:
            self.data = upgraded(self.data)
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
        import_stages(self)
        self.import_aliases()
        for section, name in (
            ("backgrounds", "proposed_skills"),
            ("roles", "skills"),
            ("role_pairings", "skills"),
        ):
            self.set_m2m(section, name)
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
            self.errors.append(f'Unknown format {shown(fmt)}: expected "{FORMAT}".')
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
                    for key_problem in value_problems(str(key), str(key)):
                        self.errors.append(f"{where}: {key_problem}")
                    for problem in value_problems(str(key), value):
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
                problem = scalar_problem(model._meta.get_field(name), record[name])
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
            self.errors.extend(errors_of(exc, self.where(section, index)))
            return
        obj.save()
        self.objects[section][index] = obj
        bucket = self.result.created if created else self.result.updated
        bucket[section] = bucket.get(section, 0) + 1

    def string_lists(self, section: str, name: str) -> Iterator[tuple[int, list[str]]]:
        """(index, list) for each record of `section` that gives `name` as a list of strings; a record
        without the field is left alone, one with anything else in it is reported."""
        for index, record in enumerate(self.data.get(section, [])):
            if name not in record:
                continue
            value = record[name]
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                self.errors.append(
                    f'{self.where(section, index)}: field "{name}": must be a list of strings.'
                )
                continue
            yield index, value

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
        for index, slugs in self.string_lists(section, name):
            items = self.resolve(m2m.related_model, slugs, self.where(section, index), name)
            wanted[self.objects[section][index].pk] = {item.pk for item in items}
        if not wanted or self.errors:
            return
        want = {(pk, other) for pk, others in wanted.items() for other in others}
        replace_pairs(
            m2m.remote_field.through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name(), wanted, want
        )

    def import_prerequisites(self) -> None:
        wanted: dict[int, list[Skill]] = {}  # skill pk → its prerequisites from the file
        for index, slugs in self.string_lists("skills", "prerequisites"):
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
        replace_pairs(SkillPrerequisite, "skill", "requires", wanted, want)

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
        for index, texts in self.string_lists("project_ideas", "deliverables"):
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
            self.errors.extend(errors_of(exc, at))
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
            if name in data and (problem := scalar_problem(model._meta.get_field(name), data[name]))
        ]
        self.errors.extend(problems)
        return bool(problems)

    def import_aliases(self) -> None:
        """Replace each listed skill's aliases by the file's names (kept rows keep their ids)."""
        for index, names in self.string_lists("skills", "aliases"):
            skill, where = self.objects["skills"][index], self.where("skills", index)
            if len(set(names)) != len(names):
                self.errors.append(f'{where}: field "aliases": a name appears twice.')
                continue
            skill.aliases.exclude(name__in=names).delete()
            have = set(skill.aliases.values_list("name", flat=True))
            for name in names:
                if name not in have:
                    self.nested_save(SkillAlias(skill=skill, name=name), f'{where}: alias "{name}"')


def replace_pairs(
    model: Any, source: str, target: str, owners: Iterable[int], want: set[tuple[int, int]]
) -> None:
    """Make the (source, target) rows of `model` whose source is one of `owners` exactly `want`:
    stale rows go, missing ones are added, rows in both keep their ids."""
    rows = model._default_manager.filter(**{f"{source}_id__in": list(owners)})
    existing = list(rows.values_list("pk", f"{source}_id", f"{target}_id"))
    have = {(a, b) for _, a, b in existing}
    stale = [pk for pk, a, b in existing if (a, b) not in want]
    if stale:
        model._default_manager.filter(pk__in=stale).delete()
    model._default_manager.bulk_create(
        [model(**{f"{source}_id": a, f"{target}_id": b}) for a, b in sorted(want - have)]
    )
