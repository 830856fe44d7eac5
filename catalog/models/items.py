"""A reference to exactly one catalog item (skill, course, certification or project), shared by steps and plans."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from catalog.models.courses import Certification, Course
from catalog.models.projects import ProjectIdea
from catalog.models.skills import Skill


class ItemKind(models.TextChoices):
    SKILL = "skill", "Skill"
    COURSE = "course", "Course"
    CERTIFICATION = "certification", "Certification"
    PROJECT = "project", "Project"


ITEM_FIELDS = ("skill", "course", "certification", "project")


def exactly_one_item(name: str) -> models.CheckConstraint:
    """A check that exactly one of the four item foreign keys is set."""
    options = []
    for chosen in ITEM_FIELDS:
        options.append(Q(**{f"{f}__isnull": f != chosen for f in ITEM_FIELDS}))
    condition = options[0]
    for option in options[1:]:
        condition |= option
    return models.CheckConstraint(condition=condition, name=name)


class ItemRef(models.Model):
    """Points at exactly one catalog item; PROTECT keeps learners' history when content is deleted."""

    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    project = models.ForeignKey(
        ProjectIdea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def kind(self) -> str:
        for field in ITEM_FIELDS:
            if getattr(self, f"{field}_id") is not None:
                return field
        return ""

    @property
    def item(self) -> Any:
        return getattr(self, self.kind) if self.kind else None

    @property
    def item_key(self) -> tuple[str, int]:
        kind = self.kind
        return kind, getattr(self, f"{kind}_id")

    def clean(self) -> None:
        super().clean()
        chosen = [f for f in ITEM_FIELDS if getattr(self, f"{f}_id") is not None]
        if len(chosen) != 1:
            raise ValidationError("Choose exactly one of: skill, course, certification or project.")
