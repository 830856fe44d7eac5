"""Careers as content: where a learner comes from, the roles an ML path leads to, the pairings that widen one, the ways in."""

from __future__ import annotations

from django.db import models

from catalog.models.skills import Skill
from config.reversing import url


class Background(models.Model):
    """Where a learner comes from (onboarding's first answer) and the skills it proposes as known."""

    slug = models.SlugField(max_length=40, unique=True, help_text="The profile's background value.")
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    proposed_skills = models.ManyToManyField(
        Skill,
        related_name="proposed_by",
        blank=True,
        help_text="Shown pre-ticked at onboarding for the learner to confirm (never marked known silently).",
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    class Level(models.TextChoices):
        ENTRY = "entry", "Entry role"
        CORE = "core", "The role this path trains for"
        GROWTH = "growth", "Growth role"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, unique=True)
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.GROWTH, db_index=True)
    summary = models.TextField(help_text="What the role does, in a sentence or two.")
    adds = models.TextField(
        "what it adds over the core", blank=True, help_text="What this role asks beyond the core track."
    )
    order = models.PositiveSmallIntegerField(default=0)
    skills = models.ManyToManyField("catalog.Skill", related_name="roles", blank=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # The role page lives in roadmap: it shows a learner which of the role's skills they have.
        return url("roadmap:role", self.slug)


class RolePairing(models.Model):
    """ML engineering combined with a neighbouring discipline, and what the two build together."""

    slug = models.SlugField(max_length=80, unique=True)
    partner = models.CharField(max_length=120, help_text='The other discipline, e.g. "MLOps".')
    together = models.TextField(help_text="What the pair of skill sets builds, in our words.")
    order = models.PositiveSmallIntegerField(default=0)
    skills = models.ManyToManyField(
        "catalog.Skill", related_name="pairings", blank=True, help_text="What the partner discipline brings."
    )

    class Meta:
        ordering = ["order", "partner"]

    def __str__(self) -> str:
        return f"ML engineering + {self.partner}"


class Pathway(models.Model):
    """A way into the field: a degree, or an alternative to one (internships, Kaggle, open source)."""

    class Kind(models.TextChoices):
        DEGREE = "degree", "Degree"
        ADVANCED_DEGREE = "advanced_degree", "Advanced degree"
        ALTERNATIVE = "alternative", "Alternative way in"

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)
    title = models.CharField(max_length=160)
    description = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "title"]

    def __str__(self) -> str:
        return self.title
