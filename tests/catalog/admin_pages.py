"""Helpers of the admin tests: one record of every kind, an admin URL, an inline's POST data."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Profile
from catalog.models import Background, ChoiceGroup, Pathway, Role, RolePairing, SkillPrerequisite
from mentoring.models import Mentorship, ProjectReview, StepComment
from reminders.models import ReminderLog
from roadmap.models import Plan, PlanItem, Progress, ProgressEvent
from tests.factories import (
    CertificationFactory,
    CourseFactory,
    DatasetFactory,
    ProjectIdeaFactory,
    SkillFactory,
    StageFactory,
    StepFactory,
    TrackFactory,
    UserFactory,
)


def one_of_everything() -> None:
    learner, mentor = UserFactory(), UserFactory()
    Profile.objects.get_or_create(user=learner)
    Group.objects.create(name="Editors")
    skill = SkillFactory()
    CourseFactory().skills.add(skill)
    CertificationFactory()
    DatasetFactory()
    project = ProjectIdeaFactory()
    project.deliverables.create(order=1, text="A repo")
    stage = StageFactory(track=TrackFactory())
    group = ChoiceGroup.objects.create(stage=stage, slug="cloud", title="Cloud")
    option = group.options.create(slug="aws", title="AWS", is_default=True)
    StepFactory(stage=stage, skill=skill, option=option)
    skill.aliases.create(name="Old name")
    Background.objects.create(slug="student", name="Student").proposed_skills.add(skill)
    Role.objects.create(slug="mle", name="ML engineer", summary="Builds.").skills.add(skill)
    RolePairing.objects.create(slug="mlops", partner="MLOps", together="Ship.").skills.add(skill)
    Pathway.objects.create(slug="kaggle", kind="alternative", title="Kaggle", description="Compete.")
    SkillPrerequisite.objects.create(skill=SkillFactory(), requires=skill)
    Mentorship.objects.create(learner=learner, mentor=mentor, key="k1", status="active")
    progress = Progress.objects.create(learner=learner, skill=skill, status="done")
    ProgressEvent.objects.create(progress=progress, from_status="not_started", to_status="done", by=learner)
    plan = Plan.objects.create(learner=learner)
    PlanItem.objects.create(plan=plan, position=1, skill=skill, stage_title="Foundations")
    StepComment.objects.create(progress=progress, author=mentor, body="Nice")
    project_progress = Progress.objects.create(learner=learner, project=project)
    ProjectReview.objects.create(progress=project_progress, evidence_url="https://example.com/repo")
    ReminderLog.objects.create(
        user=learner, kind="reminder", period="2026-W48", status="failed", error="SMTP"
    )


def admin_url(model: type, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def inline_rows(prefix: str, rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    """An admin inline's POST data: its management form, then each row's fields."""
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data
