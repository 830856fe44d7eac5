"""How a skill is learnt, as the catalog lists it: its courses (free first, then a chosen level
first), the projects that practise it and the active certifications that validate it. The catalog's
skill page and the learner's step page both read them here, so they list the same things in the
same order."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from catalog.models import Certification, Cost, Course, ProjectIdea, Skill


def skill_courses(skill: Skill, *, level: str = "") -> QuerySet[Course]:
    """The skill's courses: free ones first, then (when a level is given) those at that level, then
    by title."""
    ranked = Course.objects.filter(skills=skill).alias(
        paid=Case(When(cost=Cost.FREE, then=Value(0)), default=Value(1), output_field=IntegerField()),
        off_level=Case(When(level=level, then=Value(0)), default=Value(1), output_field=IntegerField()),
    )
    return ranked.order_by("paid", "off_level", "title")


def skill_projects(skill: Skill) -> QuerySet[ProjectIdea]:
    return ProjectIdea.objects.filter(skills=skill).order_by("title")


def skill_certifications(skill: Skill) -> QuerySet[Certification]:
    """The exams that validate the skill and can still be booked (retired ones: the skill page's box)."""
    return Certification.objects.filter(skills_validated=skill, status=Certification.Status.ACTIVE).order_by(
        "name"
    )
