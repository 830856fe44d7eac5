"""The public catalog, read only: tracks with stages and steps, skills, courses, certifications and
project ideas, filtered by the catalog pages' own filter forms."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from api.auth import public
from api.pagination import Mapped, Pages
from api.schemas import (
    CertificationOut,
    CourseOut,
    ProjectOut,
    SkillOut,
    StageOut,
    StepOut,
    TrackOut,
    copied,
    item_of,
)
from catalog.models import ITEM_FIELDS, Certification, Course, ProjectIdea, Skill, Stage, Step, Track
from catalog.search import (
    CatalogFilterForm,
    CertificationFilterForm,
    CourseFilterForm,
    ProjectFilterForm,
    SkillFilterForm,
)

router = Router(tags=["catalog"], auth=public)


def filtered(form: type[CatalogFilterForm], filters: Schema, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The page's filter form over the query: values it does not understand are ignored, as there."""
    data = {name: value for name, value in filters.dict().items() if value is not None}
    return form(data).filter(queryset)


def _tracks() -> QuerySet[Track]:
    steps = Step.objects.select_related(*ITEM_FIELDS).order_by("order")
    stages = Stage.objects.order_by("order").prefetch_related(Prefetch("steps", queryset=steps))
    return Track.objects.order_by("order", "name").prefetch_related(Prefetch("stages", queryset=stages))


def _track_out(track: Track) -> TrackOut:
    return copied(
        TrackOut,
        track,
        stages=[
            copied(StageOut, stage, steps=[copied(StepOut, s, item=item_of(s)) for s in stage.steps.all()])
            for stage in track.stages.all()
        ],
    )


@router.get("/tracks", response=list[TrackOut], summary="Tracks with their stages and steps")
@paginate(Pages)
def track_list(request: HttpRequest) -> Any:
    return Mapped(_tracks(), _track_out)


@router.get("/tracks/{slug}", response=TrackOut, summary="One track with its stages and steps")
def track_detail(request: HttpRequest, slug: str) -> TrackOut:
    return _track_out(get_object_or_404(_tracks(), slug=slug))


class SkillFilters(Schema):
    q: str | None = None
    category: str | None = None
    tier: str | None = None
    kind: str | None = None


def _skill_out(skill: Skill) -> SkillOut:
    return copied(SkillOut, skill, prerequisites=[p.slug for p in skill.prerequisites.all()])


@router.get("/skills", response=list[SkillOut], summary="Skills with their prerequisites")
@paginate(Pages)
def skill_list(request: HttpRequest, filters: Query[SkillFilters]) -> Any:
    skills = filtered(SkillFilterForm, filters, Skill.objects.prefetch_related("prerequisites"))
    return Mapped(skills, _skill_out)


@router.get("/skills/{slug}", response=SkillOut)
def skill_detail(request: HttpRequest, slug: str) -> SkillOut:
    return _skill_out(get_object_or_404(Skill.objects.prefetch_related("prerequisites"), slug=slug))


class CourseFilters(Schema):
    q: str | None = None
    cost: str | None = None
    level: str | None = None
    format: str | None = None


def _course_out(course: Course) -> CourseOut:
    return copied(CourseOut, course, skills=[s.slug for s in course.skills.all()])


@router.get("/courses", response=list[CourseOut])
@paginate(Pages)
def course_list(request: HttpRequest, filters: Query[CourseFilters]) -> Any:
    return Mapped(filtered(CourseFilterForm, filters, Course.objects.prefetch_related("skills")), _course_out)


@router.get("/courses/{slug}", response=CourseOut)
def course_detail(request: HttpRequest, slug: str) -> CourseOut:
    return _course_out(get_object_or_404(Course.objects.prefetch_related("skills"), slug=slug))


class CertificationFilters(Schema):
    q: str | None = None
    cost: str | None = None
    level: str | None = None
    status: str | None = None


def _certification_out(c: Certification) -> CertificationOut:
    return copied(CertificationOut, c, successor=c.successor.slug if c.successor else None)


@router.get("/certifications", response=list[CertificationOut], summary="Certifications (active by default)")
@paginate(Pages)
def certification_list(request: HttpRequest, filters: Query[CertificationFilters]) -> Any:
    found = filtered(CertificationFilterForm, filters, Certification.objects.select_related("successor"))
    return Mapped(found, _certification_out)


@router.get("/certifications/{slug}", response=CertificationOut)
def certification_detail(request: HttpRequest, slug: str) -> CertificationOut:
    return _certification_out(get_object_or_404(Certification.objects.select_related("successor"), slug=slug))


class ProjectFilters(Schema):
    q: str | None = None
    difficulty: str | None = None
    skill_category: str | None = None


def _projects() -> QuerySet[ProjectIdea]:
    return ProjectIdea.objects.prefetch_related("skills", "deliverables")


def _project_out(p: ProjectIdea) -> ProjectOut:
    return copied(
        ProjectOut,
        p,
        skills=[s.slug for s in p.skills.all()],
        deliverables=[d.text for d in p.deliverables.all()],
    )


@router.get("/projects", response=list[ProjectOut], summary="Project ideas")
@paginate(Pages)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> Any:
    return Mapped(filtered(ProjectFilterForm, filters, _projects()), _project_out)


@router.get("/projects/{slug}", response=ProjectOut)
def project_detail(request: HttpRequest, slug: str) -> ProjectOut:
    return _project_out(get_object_or_404(_projects(), slug=slug))
