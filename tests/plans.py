"""A small catalog and onboarding helpers shared by the learner-journey tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone

from accounts.models import Profile, User
from catalog.models import Category, Certification, Course, ProjectIdea, Skill, SkillPrerequisite, Track
from roadmap.services import PlanBuild, plan_rebuild
from tests.factories import (
    CertificationFactory,
    CourseFactory,
    ProjectIdeaFactory,
    SkillFactory,
    StageFactory,
    StepFactory,
    TrackFactory,
    UserFactory,
)


@dataclass
class Catalog:
    core: Track
    nlp: Track
    python: Skill
    git: Skill
    linear_algebra: Skill
    numpy: Skill
    pytorch: Skill
    transformers: Skill
    course: Course
    project: ProjectIdea
    retired: Certification
    successor: Certification


def needs(skill: Skill, *prerequisites: Skill) -> None:
    for requires in prerequisites:
        SkillPrerequisite.objects.create(skill=skill, requires=requires)


def sample_catalog() -> Catalog:
    """A core track of two stages and an NLP specialisation sharing Git with it.

    Linear algebra is in no track: NumPy needs it. The core track's exam is retired; its successor
    validates NumPy and PyTorch.
    """
    python = SkillFactory(name="Python", slug="python", estimated_hours=20)
    git = SkillFactory(name="Git", slug="git", category=Category.SOFTWARE_ENGINEERING, estimated_hours=5)
    linear_algebra = SkillFactory(
        name="Linear algebra", slug="linear-algebra", category=Category.MATHEMATICS, estimated_hours=30
    )
    numpy = SkillFactory(name="NumPy", slug="numpy", category=Category.FRAMEWORKS, estimated_hours=10)
    pytorch = SkillFactory(name="PyTorch", slug="pytorch", category=Category.FRAMEWORKS, estimated_hours=40)
    transformers = SkillFactory(
        name="Transformers", slug="transformers", category=Category.NLP_LLMS, estimated_hours=30
    )
    needs(numpy, python, linear_algebra)
    needs(pytorch, numpy)
    needs(transformers, pytorch)
    course = CourseFactory(title="Deep Learning with PyTorch", slug="dl-pytorch", hours=25)
    course.skills.add(pytorch)
    project = ProjectIdeaFactory(title="Image classifier", slug="image-classifier", hours=20)
    project.skills.add(pytorch)
    successor = CertificationFactory(name="ML Developer 2", slug="ml-dev-2", hours=30)
    successor.skills_validated.add(numpy, pytorch)
    retired = CertificationFactory(
        name="ML Developer 1",
        slug="ml-dev-1",
        status=Certification.Status.RETIRED,
        retired_on=dt.date(2024, 1, 1),
        successor=successor,
    )
    core = TrackFactory(name="ML Engineer", slug="ml-engineer", is_core=True, order=0)
    foundations = StageFactory(track=core, order=1, title="Foundations")
    deep = StageFactory(track=core, order=2, title="Deep learning")
    StepFactory(stage=foundations, order=1, skill=python)
    StepFactory(stage=foundations, order=2, skill=git)
    StepFactory(stage=foundations, order=3, skill=numpy)
    StepFactory(stage=deep, order=1, skill=pytorch)
    StepFactory(stage=deep, order=2, skill=None, course=course)
    StepFactory(stage=deep, order=3, skill=None, project=project, optional=True)
    StepFactory(stage=deep, order=4, skill=None, certification=retired)
    nlp = TrackFactory(name="NLP & LLMs", slug="nlp", order=1)
    nlp_stage = StageFactory(track=nlp, order=1, title="Language models")
    StepFactory(stage=nlp_stage, order=1, skill=transformers)
    StepFactory(stage=nlp_stage, order=2, skill=git)
    return Catalog(
        core,
        nlp,
        python,
        git,
        linear_algebra,
        numpy,
        pytorch,
        transformers,
        course,
        project,
        retired,
        successor,
    )


def onboard(
    user: User,
    *tracks: Track,
    known: tuple[Skill, ...] = (),
    hours: int = 10,
    target: dt.date | None = None,
) -> PlanBuild:
    """Save onboarding answers the way the form does, and build the plan."""
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.hours_per_week = hours
    profile.target_date = target
    profile.onboarded_at = profile.onboarded_at or timezone.now()
    profile.save()
    profile.tracks.set(tracks)
    profile.known_skills.set(known)
    return plan_rebuild(learner=user)


def signed_in_learner(client: Client, *tracks: Track, hours: int = 10) -> User:
    """A new learner onboarded onto `tracks` at `hours` a week, logged in on `client`."""
    user = UserFactory()
    onboard(user, *tracks, hours=hours)
    client.force_login(user)
    return user


def plan_slugs(user: User) -> list[str]:
    return [
        item.item.slug
        for item in user.plan.items.select_related("skill", "course", "certification", "project")
    ]
