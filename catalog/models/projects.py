"""Project ideas, their deliverables (definition of done) and the data sets they use."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from catalog.models.courses import Level
from catalog.models.skills import Skill
from catalog.shares import checked_on_field
from config.reversing import url


class Dataset(models.Model):
    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    url = models.URLField(max_length=500)
    description = models.TextField(blank=True)
    checked_on = checked_on_field()

    class Meta:
        db_table = "roadmap_dataset"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProjectIdea(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField()
    difficulty = models.CharField(
        max_length=16, choices=Level.choices, default=Level.INTERMEDIATE, db_index=True
    )
    hours = models.PositiveIntegerField(default=20)
    skills = models.ManyToManyField(Skill, related_name="projects", blank=True)
    datasets = models.ManyToManyField(Dataset, related_name="projects", blank=True)

    class Meta:
        db_table = "roadmap_projectidea"
        ordering = ["title"]
        constraints = [models.CheckConstraint(condition=Q(hours__gte=0), name="project_hours_non_negative")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url("catalog:project", self.slug)


class Deliverable(models.Model):
    """One line of a project idea's definition of done."""

    project = models.ForeignKey(ProjectIdea, on_delete=models.CASCADE, related_name="deliverables")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)

    class Meta:
        db_table = "roadmap_deliverable"
        ordering = ["project", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="unique_deliverable_order")]

    def __str__(self) -> str:
        return self.text
