"""Plans, progress and reminders (the content catalog lives in catalog.models)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, FilteredRelation, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.models import (
    ITEM_FIELDS,
    ChoiceGroup,
    ChoiceOption,
    Deliverable,
    ItemRef,
    Stage,
    exactly_one_item,
)
from roadmap.planning import Lane

# ---------------------------------------------------------------- learners' plans and progress

# The longest texts a user may write. TextField's max_length is enforced by forms (the admin's too)
# and services, not by the database: texts stored before the caps stay readable and render fast.
NOTES_MAX_LENGTH = 20_000


def one_row_per_item(owner: str, name: str) -> list[models.UniqueConstraint]:
    """At most one row per `owner` and catalog item (one partial unique index per item kind)."""
    return [
        models.UniqueConstraint(
            fields=[owner, field], condition=Q(**{f"{field}__isnull": False}), name=f"{name}_{field}"
        )
        for field in ITEM_FIELDS
    ]


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
            *one_row_per_item("learner", "unique_progress"),
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
    """A link on a step: evidence of the learner's work, or a resource of their own to learn from."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "Evidence of my work"
        RESOURCE = "resource", "A resource I learn from"

    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EVIDENCE)
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
    focused = models.BooleanField(
        default=False, help_text="Cut to what fits by the target date; the rest is listed after it."
    )

    def __str__(self) -> str:
        return f"Plan of {self.learner}"


class PlanItemQuerySet(models.QuerySet["PlanItem"]):
    def with_status(self) -> PlanItemQuerySet:
        """Each item with `status`, its learner's status (not started without a Progress row), and
        `progress_id`: the one rule every page, export and mail reads a plan item's status by.

        The learner's Progress row is joined once per kind of item, each join on a unique
        (learner, item) index: a plain join whatever the plan's size or the statistics, where a
        correlated subquery per kind and column was more SQL to build than to run.
        """
        joins = {
            f"{kind}_progress": FilteredRelation(
                "plan__learner__progress", condition=Q(**{f"plan__learner__progress__{kind}": F(kind)})
            )
            for kind in ITEM_FIELDS
        }
        return self.alias(**joins).annotate(
            status=Coalesce(
                *(F(f"{kind}_progress__status") for kind in ITEM_FIELDS), Value(Progress.Status.NOT_STARTED)
            ),
            progress_id=Coalesce(*(F(f"{kind}_progress__id") for kind in ITEM_FIELDS)),
        )


class PlanItem(ItemRef):
    objects = PlanItemQuerySet.as_manager()

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
    lane = models.CharField(max_length=10, choices=Lane.CHOICES, default=Lane.SCHEDULED)
    covered_by = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Position of the course in the plan whose hours include this skill's.",
    )
    needed_by = models.JSONField(default=list, blank=True)
    unlocks = models.PositiveIntegerField(
        default=0, help_text="Scheduled steps that need this one, at any depth."
    )
    source = models.CharField(max_length=200, blank=True, help_text="The track or choice that put it here.")
    cut_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            exactly_one_item("plan_item_points_at_exactly_one_item"),
            models.UniqueConstraint(fields=["plan", "position"], name="unique_plan_position"),
            *one_row_per_item("plan", "unique_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.position}: {self.item}"


class PlanChoice(models.Model):
    """The option a learner follows in a choice group; the other options stay out of their schedule."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_choices"
    )
    group = models.ForeignKey(ChoiceGroup, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(ChoiceOption, on_delete=models.CASCADE, related_name="+")
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "group"], name="unique_plan_choice")]

    def __str__(self) -> str:
        return f"{self.learner}: {self.option}"


class StepPreference(ItemRef):
    """What a learner asked of one item of their plan; kept across every rebuild."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="step_preferences"
    )
    included = models.BooleanField(default=False, help_text="An optional step the learner scheduled.")
    pinned = models.BooleanField(default=False, help_text="Kept in a focused plan before anything else.")
    order = models.FloatField(null=True, blank=True, help_text="The learner's own place within its stage.")

    class Meta:
        constraints = [
            exactly_one_item("step_preference_points_at_exactly_one_item"),
            *one_row_per_item("learner", "unique_step_preference"),
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.item}"


class HiddenStage(models.Model):
    """A stage the learner does not want: out of the schedule, not deleted (undo shows it again)."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hidden_stages"
    )
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    hidden_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "stage"], name="unique_hidden_stage")]

    def __str__(self) -> str:
        return f"{self.learner} hides {self.stage}"


OWN_STEP_HOURS_MAX = 500


class OwnStep(models.Model):
    """A step the learner added to their plan themselves; private unless they share it with mentors."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="own_steps")
    stage = models.ForeignKey(
        Stage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: at the end.",
    )
    title = models.CharField(max_length=160)
    url = models.URLField("link", max_length=500, blank=True)
    hours = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(OWN_STEP_HOURS_MAX)])
    private = models.BooleanField(default=True, help_text="Private: your mentors do not see it.")
    status = models.CharField(
        max_length=12, choices=Progress.Status.choices, default=Progress.Status.NOT_STARTED
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__lte=OWN_STEP_HOURS_MAX), name="own_step_hours_capped"),
        ]

    def __str__(self) -> str:
        return self.title


WEEKLY_GOAL_MAX = {"hours": 80, "steps": 50}


class WeeklyGoal(models.Model):
    """What the learner means to do each week: hours of finished steps, or a number of steps."""

    class Unit(models.TextChoices):
        HOURS = "hours", "hours"
        STEPS = "steps", "steps"

    learner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_goal"
    )
    unit = models.CharField(max_length=5, choices=Unit.choices, default=Unit.HOURS)
    target = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gte=1)
                & (
                    Q(unit="hours", target__lte=WEEKLY_GOAL_MAX["hours"])
                    | Q(unit="steps", target__lte=WEEKLY_GOAL_MAX["steps"])
                ),
                name="weekly_goal_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.target} {self.unit} a week"
