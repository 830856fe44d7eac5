"""Public catalog pages: home, tracks, skills, courses, certifications and project ideas (no login)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from catalog.learning import skill_courses
from catalog.models import (
    Certification,
    ChoiceOption,
    Course,
    Pathway,
    ProjectIdea,
    Role,
    RolePairing,
    Skill,
    Stage,
    Step,
    Track,
)
from catalog.search import (
    CatalogFilterForm,
    CertificationFilterForm,
    CourseFilterForm,
    ProjectFilterForm,
    SkillFilterForm,
)
from catalog.versioning import content_cached
from config.http import HtmxHttpRequest

PER_PAGE = 20


def tracks_with_totals() -> QuerySet[Track]:
    """Tracks, core first, each with its number of stages, steps and total hours."""
    step_hours = Coalesce(
        "stages__steps__skill__estimated_hours",
        "stages__steps__course__hours",
        "stages__steps__certification__hours",
        "stages__steps__project__hours",
    )
    # A choice group's other options are alternatives to its default, not extra hours.
    counted = Q(stages__steps__option__isnull=True) | Q(stages__steps__option__is_default=True)
    return Track.objects.annotate(
        stage_count=Count("stages", distinct=True),
        step_count=Count("stages__steps", distinct=True),
        total_hours=Coalesce(Sum(step_hours, filter=counted), 0),
    ).order_by("-is_core", "order", "name")


def step_hours(step: Step) -> int:
    item = step.item
    return item.estimated_hours if isinstance(item, Skill) else item.hours


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    counts = {
        "skills": Skill.objects.count(),
        "courses": Course.objects.count(),
        "certifications": Certification.objects.filter(status=Certification.Status.ACTIVE).count(),
        "projects": ProjectIdea.objects.count(),
    }
    return render(request, "catalog/home.html", {"tracks": tracks_with_totals(), "counts": counts})


@require_safe
def track_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "catalog/track_list.html", {"tracks": tracks_with_totals()})


KIND_NAMES = {"skill": "Skill", "course": "Course", "certification": "Certification", "project": "Project"}


@dataclass(frozen=True)
class TrackStep:
    """A step of a track page, read off its prefetched item once (the template reads plain values)."""

    step: Step
    kind: str
    name: str
    url: str
    hours: int

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, "")

    @property
    def retired(self) -> Certification | None:
        certification = self.step.certification
        return certification if certification is not None and certification.is_retired else None


@dataclass(frozen=True)
class StageRow:
    """A stage of a track page with its steps and hours, summed from the prefetched items."""

    stage: Stage
    steps: list[TrackStep]
    hours: int
    optional_hours: int


def _track_step(step: Step) -> TrackStep:
    item = step.item
    return TrackStep(step, step.kind, str(item), item.get_absolute_url(), step_hours(step))


def track_stages(track_id: int) -> list[StageRow]:
    """A track's stages with their steps and hours (kept until the catalog changes: content_cached)."""
    # The columns the page shows: the items' long texts (descriptions, outcomes) tripled what one
    # query sent over the wire (26 ms for the core track's 184 steps, 3 of them in PostgreSQL).
    steps = Step.objects.select_related(
        "skill", "course", "certification__successor", "project", "option"
    ).only(
        *("stage_id", "order", "optional", "note", "skill", "course", "certification", "project", "option"),
        *("skill__name", "skill__slug", "skill__estimated_hours"),
        *("course__title", "course__slug", "course__hours"),
        *("certification__name", "certification__slug", "certification__hours", "certification__status"),
        *("certification__retired_on", "certification__successor__name", "certification__successor__slug"),
        *("project__title", "project__slug", "project__hours"),
        *("option__title", "option__is_default"),
    )
    stages = Stage.objects.filter(track_id=track_id).prefetch_related(
        Prefetch("steps", queryset=steps), Prefetch("choice_groups__options", ChoiceOption.objects.all())
    )
    rows = []
    for stage in stages:
        stage_steps = [_track_step(step) for step in stage.steps.all()]
        # Steps of an option other than its group's default are alternatives: shown, not summed.
        counted = [row for row in stage_steps if row.step.option is None or row.step.option.is_default]
        hours = sum(row.hours for row in counted)
        optional = sum(row.hours for row in counted if row.step.optional)
        rows.append(StageRow(stage, stage_steps, hours, optional))
    return rows


@require_safe
def track_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    track = get_object_or_404(Track, slug=slug)
    # Every visitor sees the same stages: their data (not the markup) is kept per catalog version;
    # reading and building the core track's 184 steps was half of the page's 30 ms of CPU.
    rows = content_cached(f"track-page:{track.pk}", lambda: track_stages(track.pk))
    context = {
        "track": track,
        "stages": rows,
        "step_count": sum(len(row.steps) for row in rows),
        "total_hours": sum(row.hours for row in rows),
        "optional_hours": sum(row.optional_hours for row in rows),
    }
    return render(request, "catalog/track.html", context)


@require_safe
def skill_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    certifications = Certification.objects.select_related("successor")
    skill = get_object_or_404(
        Skill.objects.prefetch_related(
            "aliases",
            "prerequisites",
            "unlocks",
            "projects",
            Prefetch("certifications", queryset=certifications),
            Prefetch(
                "recommended_before",
                queryset=certifications.filter(status=Certification.Status.ACTIVE),
            ),
        ),
        slug=slug,
    )
    validated = list(skill.certifications.all())
    context = {
        "skill": skill,
        "courses": skill_courses(skill),
        "active_certifications": [c for c in validated if not c.is_retired],
        "retired_certifications": [c for c in validated if c.is_retired],
        "tracks": Track.objects.filter(stages__steps__skill=skill).distinct().order_by("-is_core", "order"),
    }
    return render(request, "catalog/skill.html", context)


@require_safe
def course_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(Course.objects.prefetch_related("skills"), slug=slug)
    return render(request, "catalog/course_detail.html", {"course": course})


@require_safe
def certification_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    certification = get_object_or_404(
        Certification.objects.select_related("successor").prefetch_related(
            "skills_validated", "skills_recommended", "predecessors"
        ),
        slug=slug,
    )
    return render(request, "catalog/certification_detail.html", {"certification": certification})


@require_safe
def project_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(
        ProjectIdea.objects.prefetch_related("deliverables", "datasets", "skills"), slug=slug
    )
    return render(request, "catalog/project_detail.html", {"project": project})


def catalog_list(
    request: HtmxHttpRequest,
    form: CatalogFilterForm,
    queryset: QuerySet[Any],
    template: str,
    nouns: tuple[str, str, str],
    **extra: Any,
) -> HttpResponse:
    """A filtered, searched, paginated list; htmx requests get only the results partial.

    `nouns` is (page title, singular, plural), e.g. ("Courses", "course", "courses").
    """
    page = Paginator(form.filter(queryset), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "title": nouns[0],
        "noun": nouns[1],
        "nouns": nouns[2],
        **extra,
    }
    # A history restore needs the whole page, not the fragment.
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def skill_list(request: HtmxHttpRequest) -> HttpResponse:
    form = SkillFilterForm(request.GET)
    nouns = ("Skills", "skill", "skills")
    return catalog_list(request, form, Skill.objects.all(), "catalog/skill_list.html", nouns)


@require_safe
def course_list(request: HtmxHttpRequest) -> HttpResponse:
    courses = Course.objects.prefetch_related("skills")
    nouns = ("Courses", "course", "courses")
    return catalog_list(request, CourseFilterForm(request.GET), courses, "catalog/course_list.html", nouns)


@require_safe
def certification_list(request: HtmxHttpRequest) -> HttpResponse:
    form = CertificationFilterForm(request.GET)
    certifications = Certification.objects.select_related("successor")
    retired = Certification.objects.filter(status=Certification.Status.RETIRED).count()
    nouns = ("Certifications", "certification", "certifications")
    template = "catalog/certification_list.html"
    return catalog_list(request, form, certifications, template, nouns, retired_count=retired)


@require_safe
def project_list(request: HtmxHttpRequest) -> HttpResponse:
    projects = ProjectIdea.objects.prefetch_related("skills")
    nouns = ("Project ideas", "project idea", "project ideas")
    return catalog_list(request, ProjectFilterForm(request.GET), projects, "catalog/project_list.html", nouns)


@dataclass(frozen=True)
class RoleGroup:
    level: str
    heading: str
    roles: list[Role]


ROLE_HEADINGS = {
    Role.Level.ENTRY: "Entry roles: where to start",
    Role.Level.CORE: "The role this path trains for",
    Role.Level.GROWTH: "Roles to grow into",
}


@require_safe
def careers(request: HtmxHttpRequest) -> HttpResponse:
    roles = list(Role.objects.all())
    groups = [
        RoleGroup(level, heading, [r for r in roles if r.level == level])
        for level, heading in ROLE_HEADINGS.items()
    ]
    context = {
        "groups": [g for g in groups if g.roles],
        "pairings": RolePairing.objects.prefetch_related("skills"),
        "pathways": Pathway.objects.all(),
    }
    return render(request, "catalog/careers.html", context)
