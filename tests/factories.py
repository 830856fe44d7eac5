"""factory_boy factories for tests; add yours at the end, keep them simple."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from catalog.models import (
    Category,
    Certification,
    Course,
    Dataset,
    ProjectIdea,
    Skill,
    Stage,
    Step,
    Tier,
    Track,
)

PASSWORD = "correct-horse-battery-9"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Sequence(lambda n: f"User {n}")
    # Accounts that exist are verified (the 0003 migration marks them so); sign-up makes unverified ones.
    email_verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class StaffUserFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@example.com")
    is_staff = True
    is_superuser = True


class SkillFactory(DjangoModelFactory[Skill]):
    class Meta:
        model = Skill

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")
    category = Category.PROGRAMMING
    tier = Tier.FOUNDATION
    description = "A skill worth learning."
    estimated_hours = 10


class CourseFactory(DjangoModelFactory[Course]):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    provider = "Example University"
    url = factory.Sequence(lambda n: f"https://example.com/courses/{n}")
    hours = 10


class CertificationFactory(DjangoModelFactory[Certification]):
    class Meta:
        model = Certification

    name = factory.Sequence(lambda n: f"Certification {n}")
    slug = factory.Sequence(lambda n: f"certification-{n}")
    issuer = "Example Cloud"
    url = factory.Sequence(lambda n: f"https://example.com/certs/{n}")
    hours = 40


class DatasetFactory(DjangoModelFactory[Dataset]):
    class Meta:
        model = Dataset

    name = factory.Sequence(lambda n: f"Dataset {n}")
    slug = factory.Sequence(lambda n: f"dataset-{n}")
    url = factory.Sequence(lambda n: f"https://example.com/data/{n}")


class ProjectIdeaFactory(DjangoModelFactory[ProjectIdea]):
    class Meta:
        model = ProjectIdea

    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    summary = "Build something real."
    hours = 20


class TrackFactory(DjangoModelFactory[Track]):
    class Meta:
        model = Track

    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")


class StageFactory(DjangoModelFactory[Stage]):
    class Meta:
        model = Stage

    track = factory.SubFactory(TrackFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Stage {n}")


class StepFactory(DjangoModelFactory[Step]):
    """A step pointing at a new skill unless another item is given (pass skill=None then)."""

    class Meta:
        model = Step

    stage = factory.SubFactory(StageFactory)
    order = factory.Sequence(lambda n: n + 1)
    skill = factory.SubFactory(SkillFactory)


# ---------------------------------------------------------------- plans, progress and mentoring


class ProfileFactory(DjangoModelFactory["Profile"]):
    class Meta:
        model = "accounts.Profile"
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    hours_per_week = 10


class ReminderPreferenceFactory(DjangoModelFactory["ReminderPreference"]):
    """A user's reminder preferences. Every user has a row from the start (reminders.receivers), so
    this sets the given fields on that row instead of inserting a second one."""

    class Meta:
        model = "reminders.ReminderPreference"

    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> Any:
        preference, _ = model_class.objects.get_or_create(user=kwargs.pop("user"))
        for name, value in kwargs.items():
            setattr(preference, name, value)
        preference.save()
        return preference


class PlanFactory(DjangoModelFactory["Plan"]):
    class Meta:
        model = "roadmap.Plan"

    learner = factory.SubFactory(UserFactory)


class PlanItemFactory(DjangoModelFactory["PlanItem"]):
    """A plan item pointing at a new skill unless another item is given (pass skill=None then)."""

    class Meta:
        model = "roadmap.PlanItem"

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    stage_title = "Foundations"
    skill = factory.SubFactory(SkillFactory)
    hours = 10


class ProgressFactory(DjangoModelFactory["Progress"]):
    """A learner's progress on a new skill unless another item is given (pass skill=None then)."""

    class Meta:
        model = "roadmap.Progress"

    learner = factory.SubFactory(UserFactory)
    skill = factory.SubFactory(SkillFactory)


class MentorshipFactory(DjangoModelFactory["Mentorship"]):
    """A pending e-mail invitation; ActiveMentorshipFactory for an accepted one."""

    class Meta:
        model = "mentoring.Mentorship"

    learner = factory.SubFactory(UserFactory)
    invited_email = factory.Sequence(lambda n: f"mentor{n}@example.com")
    key = factory.Sequence(lambda n: f"mentorship-key-{n:06d}-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")


class ActiveMentorshipFactory(MentorshipFactory):
    mentor = factory.SubFactory(UserFactory)
    status = "active"
    invited_email = factory.SelfAttribute("mentor.email")
    responded_at = factory.LazyFunction(timezone.now)


class StepCommentFactory(DjangoModelFactory["StepComment"]):
    class Meta:
        model = "mentoring.StepComment"

    progress = factory.SubFactory(ProgressFactory)
    author = factory.SubFactory(UserFactory)
    body = "Nice work, keep going."


class ProjectReviewFactory(DjangoModelFactory["ProjectReview"]):
    class Meta:
        model = "mentoring.ProjectReview"

    progress = factory.SubFactory(ProgressFactory, skill=None, project=factory.SubFactory(ProjectIdeaFactory))
    evidence_url = "https://github.com/example/project"
