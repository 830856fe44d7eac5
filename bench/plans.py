"""Synthetic learners with big plans, created in bulk, for the plan-page benchmark and its tests."""

from __future__ import annotations

from accounts.models import Profile, User
from catalog.models import (
    Category,
    Certification,
    Course,
    ProjectIdea,
    Skill,
    SkillPrerequisite,
    Stage,
    Step,
    Tier,
    Track,
)
from roadmap.services import plan_rebuild

CATEGORIES = list(Category.values)
STAGE_SIZE = 25


def synthetic_track(steps: int, *, prefix: str, stage_size: int = STAGE_SIZE) -> Track:
    """A core track of `steps` steps (70% skills, then courses, projects and exams) in stages of `stage_size`.

    Every skill needs one or two earlier skills, so the plan has real prerequisite edges.
    """
    kinds = ["skill"] * 14 + ["course"] * 3 + ["project"] * 2 + ["certification"]
    plan = [kinds[i % len(kinds)] for i in range(steps)]
    n_skills = plan.count("skill")
    skills = Skill.objects.bulk_create(
        Skill(
            name=f"{prefix} skill {i}",
            slug=f"{prefix}-skill-{i}",
            category=CATEGORIES[i % len(CATEGORIES)],
            tier=Tier.ESSENTIAL,
            description="A synthetic skill.",
            estimated_hours=4 + i % 12,
        )
        for i in range(n_skills)
    )
    SkillPrerequisite.objects.bulk_create(
        SkillPrerequisite(skill=skills[i], requires=skills[j])
        for i in range(1, n_skills)
        for j in {i - 1, i // 2} - {i}
    )
    courses = Course.objects.bulk_create(
        Course(
            title=f"{prefix} course {i}",
            slug=f"{prefix}-course-{i}",
            provider="Bench",
            url="https://example.com/c",
            hours=12,
        )
        for i in range(plan.count("course"))
    )
    projects = ProjectIdea.objects.bulk_create(
        ProjectIdea(
            title=f"{prefix} project {i}", slug=f"{prefix}-project-{i}", summary="Build it.", hours=20
        )
        for i in range(plan.count("project"))
    )
    exams = Certification.objects.bulk_create(
        Certification(
            name=f"{prefix} exam {i}",
            slug=f"{prefix}-exam-{i}",
            issuer="Bench",
            url="https://example.com/e",
            hours=30,
        )
        for i in range(plan.count("certification"))
    )
    # Each course teaches, each project practises and each exam validates skills from its own part of the track.
    Course.skills.through.objects.bulk_create(
        Course.skills.through(course_id=c.pk, skill_id=skills[(k * 5 + d) % n_skills].pk)
        for k, c in enumerate(courses)
        for d in (0, 1)
    )
    ProjectIdea.skills.through.objects.bulk_create(
        ProjectIdea.skills.through(projectidea_id=p.pk, skill_id=skills[(k * 7 + d) % n_skills].pk)
        for k, p in enumerate(projects)
        for d in (0, 2)
    )
    Certification.skills_validated.through.objects.bulk_create(
        Certification.skills_validated.through(
            certification_id=e.pk, skill_id=skills[(k * 14 + d) % n_skills].pk
        )
        for k, e in enumerate(exams)
        for d in (0, 3, 6)
    )
    track = Track.objects.create(name=f"{prefix} track", slug=f"{prefix}-track", is_core=True)
    stages = Stage.objects.bulk_create(
        Stage(track=track, order=s + 1, title=f"{prefix} stage {s + 1}")
        for s in range(-(-steps // stage_size))
    )
    pools = {
        "skill": iter(skills),
        "course": iter(courses),
        "project": iter(projects),
        "certification": iter(exams),
    }
    Step.objects.bulk_create(
        Step(stage=stages[i // stage_size], order=i % stage_size + 1, **{kind: next(pools[kind])})
        for i, kind in enumerate(plan)
    )
    return track


def synthetic_learner(steps: int, *, prefix: str, done_share: float = 0.3) -> User:
    """A learner following a synthetic track of `steps` steps, the first `done_share` of the plan done."""
    from roadmap.models import PlanItem, Progress

    track = synthetic_track(steps, prefix=prefix)
    user = User.objects.create_user(f"{prefix}@bench.example", "bench-password-1")
    profile = Profile.objects.create(user=user, hours_per_week=8)
    profile.tracks.set([track])
    plan = plan_rebuild(learner=user).plan
    done_until = int(plan.items.count() * done_share)
    for kind in ("skill", "course", "certification", "project"):
        done_ids = PlanItem.objects.filter(
            plan=plan, position__lte=done_until, **{f"{kind}__isnull": False}
        ).values(f"{kind}_id")
        Progress.objects.filter(learner=user, **{f"{kind}__in": done_ids}).update(status=Progress.Status.DONE)
    return user
