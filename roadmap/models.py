"""The content catalog (skills, courses, certifications, projects, tracks), plans, progress and reminders."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


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
    market_share = models.DecimalField(
        "share of job postings (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Share of ML-engineer job postings naming this skill, from the seed documents.",
    )
    prerequisites = models.ManyToManyField(
        "self", through="SkillPrerequisite", symmetrical=False, related_name="unlocks", blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(estimated_hours__gte=0), name="skill_hours_non_negative"),
            models.CheckConstraint(
                condition=Q(market_share__isnull=True) | Q(market_share__gte=0, market_share__lte=100),
                name="skill_market_share_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:skill", args=[self.slug])


class SkillPrerequisite(models.Model):
    """An edge of the prerequisite graph: `skill` needs `requires` first."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="prerequisite_links")
    requires = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="unlock_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["skill", "requires"], name="unique_prerequisite_edge"),
            models.CheckConstraint(condition=~Q(skill=models.F("requires")), name="prerequisite_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} needs {self.requires}"

    def clean(self) -> None:
        from roadmap.graph import find_cycle_with_edge

        if self.skill_id and self.requires_id:
            cycle = find_cycle_with_edge(self.skill_id, self.requires_id)
            if cycle:
                raise ValidationError(
                    {"requires": f"This prerequisite would create a cycle: {' → '.join(cycle)}."}
                )


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

    class Meta:
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

    class Meta:
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

    class Meta:
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

    class Meta:
        ordering = ["stage", "order"]
        constraints = [
            exactly_one_item("step_points_at_exactly_one_item"),
            models.UniqueConstraint(fields=["stage", "order"], name="unique_step_order"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} #{self.order}: {self.item}"


# ---------------------------------------------------------------- learners' plans and progress

# The longest texts a user may write. TextField's max_length is enforced by forms (the admin's too)
# and services, not by the database: texts stored before the caps stay readable and render fast.
NOTES_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 5_000
REVIEW_MESSAGE_MAX_LENGTH = 2_000
REVIEW_RESPONSE_MAX_LENGTH = 5_000


class Progress(ItemRef):
    """A learner's record for one catalog item, shared by every track containing it."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH, help_text="Markdown.")
    notes_shared = models.BooleanField(default=False, help_text="Share these notes with my mentors.")

    class Meta:
        verbose_name_plural = "progress"
        constraints = [
            exactly_one_item("progress_points_at_exactly_one_item"),
            *[
                models.UniqueConstraint(
                    fields=["learner", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"unique_progress_{field}",
                )
                for field in ITEM_FIELDS
            ],
        ]
        indexes = [models.Index(fields=["learner", "status", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.learner}: {self.item} ({self.status})"


class ProgressEvent(models.Model):
    """History of status changes; never deleted by content edits."""

    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=Progress.Status.choices)
    to_status = models.CharField(max_length=12, choices=Progress.Status.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} at {self.at:%Y-%m-%d %H:%M}"


class EvidenceLink(models.Model):
    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=500)
    label = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["progress", "url"], name="unique_evidence_url")]

    def __str__(self) -> str:
        return self.label or self.url


class DeliverableCheck(models.Model):
    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="deliverable_checks")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["progress", "deliverable"], name="unique_deliverable_check")
        ]

    def __str__(self) -> str:
        return f"{self.deliverable_id} checked on {self.progress_id}"


class Plan(models.Model):
    """A learner's personalised roadmap; rebuilt from the profile, progress kept in Progress."""

    learner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan")
    built_at = models.DateTimeField(default=timezone.now)
    total_hours = models.PositiveIntegerField(default=0)
    projected_finish = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Plan of {self.learner}"


class PlanItem(ItemRef):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    week = models.PositiveIntegerField(default=1)
    stage_title = models.CharField(max_length=160)
    stage_index = models.PositiveSmallIntegerField(default=0)
    optional = models.BooleanField(default=False)
    known = models.BooleanField(default=False, help_text="The learner already had this skill at onboarding.")
    from_prerequisites = models.BooleanField(default=False, help_text="Added because a chosen step needs it.")
    hours = models.PositiveIntegerField(default=0)
    # Positions of the plan items this one needs first: "next up" and the map read them in one query.
    needs = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            exactly_one_item("plan_item_points_at_exactly_one_item"),
            models.UniqueConstraint(fields=["plan", "position"], name="unique_plan_position"),
            *[
                models.UniqueConstraint(
                    fields=["plan", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"unique_plan_{field}",
                )
                for field in ITEM_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.position}: {self.item}"


# ---------------------------------------------------------------- mentoring on steps


class StepComment(models.Model):
    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=COMMENT_MAX_LENGTH, help_text="Markdown.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.progress_id}"


class CommentReadMarker(models.Model):
    """Up to when a user has read the comment thread of one step."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="read_markers")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "progress"], name="unique_read_marker")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.progress_id} at {self.read_at}"


class ProjectReview(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for review"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="reviews")
    evidence_url = models.URLField(max_length=500)
    message = models.TextField(blank=True, max_length=REVIEW_MESSAGE_MAX_LENGTH, help_text="Markdown.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True, max_length=REVIEW_RESPONSE_MAX_LENGTH, help_text="Markdown.")

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["progress"], condition=Q(status="requested"), name="one_open_review_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.progress_id}: {self.status}"
