"""How to learn a skill step: the catalog's courses, projects and certifications for the skill
(catalog.learning's order, the learner's level first), each with where it stands in the learner's
plan. A constant number of queries, however many courses the skill has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse

from accounts.models import Profile, User
from catalog.learning import skill_certifications, skill_courses, skill_projects
from catalog.models import Level, Skill
from roadmap.models import OwnStep, PlanItem
from roadmap.planning import Lane

# The level of course a learner starts a skill at, from where they come from. Everyone meets the
# plan's skills for the first time (a skill they know is done already), so most start at the
# beginning; data scientists and researchers have seen the maths and the tools and skip ahead.
LEVEL_BY_BACKGROUND: dict[str, str] = {
    Profile.Background.DATA_SCIENTIST: Level.INTERMEDIATE,
    Profile.Background.RESEARCHER: Level.INTERMEDIATE,
}


@dataclass(frozen=True)
class CourseRow:
    course: Any  # catalog.Course
    lane: str  # the course's lane in the learner's plan, "" when it is not a step of it
    optional: bool
    own: bool  # one of the learner's own steps links to it

    @property
    def addable(self) -> bool:
        """An "add to my plan" button: not a step yet, an optional one, or one after the target."""
        if self.own:
            return False
        return not self.lane or self.lane in (Lane.OPTIONAL, Lane.LATER)

    @property
    def step_url(self) -> str:
        return reverse("roadmap:step", args=["course", self.course.slug]) if self.lane else ""


@dataclass(frozen=True)
class PlannedRow:
    item: Any  # catalog.ProjectIdea or catalog.Certification
    in_plan: bool
    step_url: str


@dataclass(frozen=True)
class Learning:
    level: str
    courses: list[CourseRow]
    projects: list[PlannedRow]
    certifications: list[PlannedRow]


def learner_level(learner: User, background: str | None = None) -> str:
    """The course level the learner starts a skill at; `background` when the caller has read it."""
    if background is None:
        background = Profile.objects.filter(user=learner).values_list("background", flat=True).first()
    return LEVEL_BY_BACKGROUND.get(background or "", Level.BEGINNER)


def skill_learning(*, learner: User, skill: Skill, background: str | None = None) -> Learning:
    """The skill's courses (free first, the learner's level first), projects and certifications,
    each marked with its place in the learner's plan: four queries (three when the caller passes
    the learner's background)."""
    level = learner_level(learner, background)
    steps = PlanItem.objects.filter(plan__learner=learner)
    courses = skill_courses(skill, level=level).annotate(
        plan_lane=Subquery(steps.filter(course=OuterRef("pk")).values("lane")[:1]),
        plan_optional=Subquery(steps.filter(course=OuterRef("pk")).values("optional")[:1]),
        own=Exists(OwnStep.objects.filter(learner=learner, url=OuterRef("url"))),
    )
    projects = skill_projects(skill).annotate(in_plan=Exists(steps.filter(project=OuterRef("pk"))))
    certifications = skill_certifications(skill).annotate(
        in_plan=Exists(steps.filter(certification=OuterRef("pk")))
    )
    return Learning(
        level=Level(level).label,
        courses=[
            CourseRow(course=c, lane=c.plan_lane or "", optional=bool(c.plan_optional), own=c.own)
            for c in courses
        ],
        projects=[
            PlannedRow(p, p.in_plan, reverse("roadmap:step", args=["project", p.slug]) if p.in_plan else "")
            for p in projects
        ],
        certifications=[
            PlannedRow(
                c, c.in_plan, reverse("roadmap:step", args=["certification", c.slug]) if c.in_plan else ""
            )
            for c in certifications
        ],
    )
