"""Skills, the prerequisite graph between them, and their other names (aliases)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from catalog.graph import find_cycle_with_edge
from catalog.shares import (
    checked_on_field,
    share_constraints,
    share_field,
    share_label,
    share_midpoint,
    share_words,
)
from config.reversing import url


class Category(models.TextChoices):
    PROGRAMMING = "programming", "Programming"
    SOFTWARE_ENGINEERING = "software_engineering", "Software engineering"
    ML_ALGORITHMS = "ml_algorithms", "ML algorithms"
    FRAMEWORKS = "frameworks", "Frameworks and libraries"
    MATHEMATICS = "mathematics", "Mathematics and statistics"
    DATA_MLOPS = "data_mlops", "Data engineering and MLOps"
    SYSTEMS = "systems", "Systems and infrastructure"
    CLOUD = "cloud", "Cloud platforms"
    NLP_LLMS = "nlp_llms", "NLP and LLMs"
    COMPUTER_VISION = "computer_vision", "Computer vision"
    MODEL_OPTIMISATION = "model_optimisation", "Model optimisation"
    SOFT_SKILLS = "soft_skills", "Soft skills"


class Tier(models.TextChoices):
    FOUNDATION = "foundation", "Foundation"
    ESSENTIAL = "essential", "Essential"
    ADVANCED = "advanced", "Advanced"
    SPECIALISED = "specialised", "Specialised"
    COMPLEMENTARY = "complementary", "Complementary"
    DIFFERENTIATOR = "differentiator", "Differentiator"
    FUTURE_PROOFING = "future_proofing", "Future-proofing"


class Skill(models.Model):
    class Kind(models.TextChoices):
        CONCEPT = "concept", "Concept"
        LANGUAGE = "language", "Language"
        FRAMEWORK = "framework", "Framework"
        LIBRARY = "library", "Library"
        TOOL = "tool", "Tool"
        PLATFORM = "platform", "Platform"
        PRACTICE = "practice", "Practice"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    category = models.CharField(max_length=32, choices=Category.choices, db_index=True)
    tier = models.CharField(max_length=20, choices=Tier.choices, db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CONCEPT)
    description = models.TextField()
    estimated_hours = models.PositiveIntegerField(default=10)
    # Shares of ML-engineer job postings as the seeds give them: a range ("~35-40%": low 35, high 40),
    # an estimate ("~20%": low = high), an upper bound ("<5%": high only) or a lower one (low only).
    share_low = share_field("share of postings, from (%)")
    share_high = share_field("share of postings, up to (%)")
    entry_share_low = share_field("entry-level share, from (%)")
    entry_share_high = share_field("entry-level share, up to (%)")
    checked_on = checked_on_field()
    prerequisites = models.ManyToManyField(
        "self", through="SkillPrerequisite", symmetrical=False, related_name="unlocks", blank=True
    )

    class Meta:
        db_table = "roadmap_skill"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(estimated_hours__gte=0), name="skill_hours_non_negative"),
            *share_constraints("share", "skill_share"),
            *share_constraints("entry_share", "skill_entry_share"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url("catalog:skill", self.slug)

    def clean(self) -> None:
        super().clean()
        # The database refuses an upside-down range too; here the message names the field at fault.
        for prefix in ("share", "entry_share"):
            low, high = getattr(self, f"{prefix}_low"), getattr(self, f"{prefix}_high")
            if low is not None and high is not None and low > high:
                raise ValidationError({f"{prefix}_high": "The upper bound is below the lower bound."})

    @property
    def share_label(self) -> str:
        """The share of postings in words ("under 5%", "35-40%", "about 20%"); the entry-level
        figure when only that is known ("15-20% at entry level"); "" when the seeds give none."""
        return share_label(self.share_low, self.share_high, self.entry_share_low, self.entry_share_high)

    @property
    def entry_share_note(self) -> str:
        """The entry-level figure beside an overall one ("about 40%"); "" when share_label shows it."""
        if self.share_low is None and self.share_high is None:
            return ""
        return share_words(self.entry_share_low, self.entry_share_high)

    @property
    def share_estimate(self) -> float | None:
        """One number to rank by: a range's midpoint, half an upper bound, a lower bound itself."""
        estimate = share_midpoint(self.share_low, self.share_high)
        return (
            estimate if estimate is not None else share_midpoint(self.entry_share_low, self.entry_share_high)
        )


class SkillPrerequisite(models.Model):
    """An edge of the prerequisite graph: `skill` needs `requires` first."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="prerequisite_links")
    requires = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="unlock_links")

    class Meta:
        db_table = "roadmap_skillprerequisite"
        constraints = [
            models.UniqueConstraint(fields=["skill", "requires"], name="unique_prerequisite_edge"),
            models.CheckConstraint(condition=~Q(skill=models.F("requires")), name="prerequisite_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} needs {self.requires}"

    def clean(self) -> None:
        if not (self.skill_id and self.requires_id):
            return
        edges = SkillPrerequisite.objects.values_list("skill_id", "requires_id")
        cycle = find_cycle_with_edge(edges, self.skill_id, self.requires_id)
        if cycle:
            names = dict(Skill.objects.filter(pk__in=cycle).values_list("pk", "name"))
            shown = " → ".join(names[pk] for pk in cycle)
            raise ValidationError({"requires": f"This prerequisite would create a cycle: {shown}."})


class SkillAlias(models.Model):
    """Another name of a skill: an older product name, an abbreviation, what job ads write."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["skill", "name"]
        verbose_name_plural = "skill aliases"
        constraints = [models.UniqueConstraint(fields=["skill", "name"], name="unique_skill_alias")]

    def __str__(self) -> str:
        return self.name
