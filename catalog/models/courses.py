"""Courses and certifications, with the level and cost words they share with project ideas."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from catalog.models.skills import Skill
from catalog.shares import checked_on_field
from config.reversing import url


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class Cost(models.TextChoices):
    FREE = "free", "Free"
    PAID = "paid", "Paid"


class Course(models.Model):
    class Format(models.TextChoices):
        VIDEO = "video", "Video course"
        INTERACTIVE = "interactive", "Interactive"
        TEXT = "text", "Text / tutorial"
        BOOK = "book", "Book"
        SPECIALISATION = "specialisation", "Multi-course programme"
        BOOTCAMP = "bootcamp", "Bootcamp"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    provider = models.CharField(max_length=120)
    url = models.URLField(max_length=500)
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.VIDEO)
    cost = models.CharField(max_length=8, choices=Cost.choices, default=Cost.FREE, db_index=True)
    hours = models.PositiveIntegerField(default=10)
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.BEGINNER, db_index=True)
    description = models.TextField(blank=True)
    skills = models.ManyToManyField(Skill, related_name="courses", blank=True)
    checked_on = checked_on_field()

    class Meta:
        db_table = "roadmap_course"
        ordering = ["title"]
        constraints = [models.CheckConstraint(condition=Q(hours__gte=0), name="course_hours_non_negative")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url("catalog:course", self.slug)


class Certification(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    issuer = models.CharField(max_length=120)
    exam_code = models.CharField(max_length=40, blank=True)
    url = models.URLField(max_length=500)
    cost = models.CharField(max_length=8, choices=Cost.choices, default=Cost.PAID, db_index=True)
    price_usd = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: does not expire."
    )
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.INTERMEDIATE, db_index=True)
    hours = models.PositiveIntegerField(default=40, help_text="Typical preparation time.")
    description = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    retired_on = models.DateField(null=True, blank=True)
    successor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="predecessors"
    )
    skills_validated = models.ManyToManyField(Skill, related_name="certifications", blank=True)
    skills_recommended = models.ManyToManyField(Skill, related_name="recommended_before", blank=True)
    checked_on = checked_on_field()

    class Meta:
        db_table = "roadmap_certification"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", retired_on__isnull=True)
                | Q(status="retired", retired_on__isnull=False),
                name="retired_certification_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("pk")), name="certification_not_own_successor"
            ),
            models.CheckConstraint(
                condition=Q(price_usd__isnull=True) | Q(price_usd__gte=0),
                name="certification_price_non_negative",
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="certification_hours_non_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url("catalog:certification", self.slug)

    def clean(self) -> None:
        super().clean()
        # The constraints above hold in the database too; here each message names the field at fault
        # (an editor's form, a content file's record).
        errors = {}
        if self.status == self.Status.RETIRED and self.retired_on is None:
            errors["retired_on"] = "A retired certification needs the date it was retired."
        elif self.status == self.Status.ACTIVE and self.retired_on is not None:
            errors["retired_on"] = (
                "An active certification has no retirement date: clear it, or mark it retired."
            )
        if self.successor_id is not None and self.successor_id == self.pk:
            errors["successor"] = "A certification cannot be its own successor."
        # A value its field refused stays as it came (text, say): only a number is compared.
        if isinstance(self.price_usd, Decimal | int) and self.price_usd < 0:
            errors["price_usd"] = "The price cannot be negative."
        if errors:
            raise ValidationError(errors)

    @property
    def is_retired(self) -> bool:
        return self.status == self.Status.RETIRED
