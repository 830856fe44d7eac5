"""The content catalog: skills, courses, certifications, project ideas, data sets and tracks.

The tables keep the names they had in the roadmap app (db_table), so moving here touched no row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from catalog.graph import find_cycle_with_edge
from catalog.shares import (
    checked_on_field,
    share_constraints,
    share_field,
    share_label,
    share_midpoint,
    share_words,
)


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


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class Cost(models.TextChoices):
    FREE = "free", "Free"
    PAID = "paid", "Paid"


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
        return reverse("catalog:skill", args=[self.slug])

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
        return reverse("catalog:course", args=[self.slug])


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
        return reverse("catalog:certification", args=[self.slug])

    @property
    def is_retired(self) -> bool:
        return self.status == self.Status.RETIRED


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
        return reverse("catalog:project", args=[self.slug])


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
        return reverse("catalog:track", args=[self.slug])


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


# Careers live in their own module; imported here so Django registers their models with the app.
from catalog.careers import Pathway as Pathway  # noqa: E402
from catalog.careers import Role as Role  # noqa: E402
from catalog.careers import RolePairing as RolePairing  # noqa: E402
