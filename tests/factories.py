"""factory_boy factories for tests; add yours at the end, keep them simple."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from roadmap.models import (
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
