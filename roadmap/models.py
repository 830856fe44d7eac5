"""Plans, progress and reminders (the content catalog lives in catalog.models)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.models import ITEM_FIELDS, ChoiceGroup, ChoiceOption, Deliverable, ItemRef, exactly_one_item

# ---------------------------------------------------------------- learners' plans and progress

# The longest texts a user may write. TextField's max_length is enforced by forms (the admin's too)
# and services, not by the database: texts stored before the caps stay readable and render fast.
NOTES_MAX_LENGTH = 20_000


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

    def __str__(self) -> str:
        return f"Plan of {self.learner}"


def _learners_progress(column: str, output: models.Field) -> Case:
    """A column of the plan's learner's Progress row for the item's catalog item (by its unique index)."""
    whens = [
        When(
            **{f"{kind}__isnull": False},
            then=Subquery(
                Progress.objects.filter(learner_id=OuterRef("plan__learner_id"), **{kind: OuterRef(kind)})
                .order_by()
                .values(column)[:1]
            ),
        )
        for kind in ITEM_FIELDS
    ]
    return Case(*whens, output_field=output)


class PlanItemQuerySet(models.QuerySet["PlanItem"]):
    def with_status(self) -> PlanItemQuerySet:
        """Each item with `status`, its learner's status (not started without a Progress row), and
        `progress_id`: the one rule every page, export and mail reads a plan item's status by."""
        return self.annotate(
            status=Coalesce(_learners_progress("status", CharField()), Value(Progress.Status.NOT_STARTED)),
            progress_id=_learners_progress("id", models.IntegerField()),
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
