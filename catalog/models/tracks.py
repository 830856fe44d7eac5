"""Tracks, their stages and steps, and the "one of" choice groups inside a stage."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from catalog.models.items import ItemRef, exactly_one_item
from config.reversing import url


class Track(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_core = models.BooleanField(default=False, help_text="The core track every learner follows.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "roadmap_track"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url("catalog:track", self.slug)


class Stage(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)

    class Meta:
        db_table = "roadmap_stage"
        ordering = ["track", "order"]
        constraints = [models.UniqueConstraint(fields=["track", "order"], name="unique_stage_order")]

    def __str__(self) -> str:
        return f"{self.track}: {self.title}"


class Step(ItemRef):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    optional = models.BooleanField(default=False)
    note = models.CharField(
        max_length=300, blank=True, help_text="Why this step is here, shown on the track."
    )
    option = models.ForeignKey(
        "ChoiceOption",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steps",
        help_text="Set when this step belongs to one option of a choice group of its stage.",
    )

    class Meta:
        db_table = "roadmap_step"
        ordering = ["stage", "order"]
        constraints = [
            exactly_one_item("step_points_at_exactly_one_item"),
            models.UniqueConstraint(fields=["stage", "order"], name="unique_step_order"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} #{self.order}: {self.item}"

    def clean(self) -> None:
        super().clean()
        if self.option is not None and self.stage_id and self.option.group.stage_id != self.stage_id:
            raise ValidationError({"option": "Choose an option of a choice group of this step's stage."})


class ChoiceGroup(models.Model):
    """A "one of" set in a stage: the learner follows one option (PyTorch or TensorFlow; one cloud)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="choice_groups")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=160, help_text='What is chosen, e.g. "Deep-learning framework".')
    description = models.TextField(
        blank=True, help_text="How to choose; shown at onboarding and on the plan."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["stage", "order", "slug"]
        constraints = [models.UniqueConstraint(fields=["stage", "slug"], name="unique_choice_group_slug")]

    def __str__(self) -> str:
        return f"{self.stage}: {self.title}"


class ChoiceOption(models.Model):
    """One option of a choice group; its steps are the track's steps whose `option` is this one."""

    group = models.ForeignKey(ChoiceGroup, on_delete=models.CASCADE, related_name="options")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=160)
    order = models.PositiveSmallIntegerField(default=0)
    is_default = models.BooleanField(default=False, help_text="Proposed when the learner has not chosen.")

    class Meta:
        ordering = ["group", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["group", "slug"], name="unique_choice_option_slug"),
            models.UniqueConstraint(
                fields=["group"], condition=Q(is_default=True), name="one_default_option_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group.title}: {self.title}"
