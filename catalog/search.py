"""Catalog search and list filters: PostgreSQL full-text search, a plain substring match on SQLite."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from catalog.models import Category, Certification, Cost, Course, Level, ProjectIdea, Skill, SkillAlias, Tier

MAX_TERMS = 8


def catalog_search[M: models.Model](
    queryset: models.QuerySet[M], query: str, fields: dict[str, str], also: Q | None = None
) -> models.QuerySet[M]:
    """Rows of `queryset` matching `query`, best first; `fields` maps field name to weight (A to D);
    rows meeting `also` match too (a skill found by one of its aliases)."""
    query = query.strip()
    if not query:
        return queryset
    if settings.IS_POSTGRES:
        return _postgres_search(queryset, query, fields, also or Q(pk__in=[]))
    return _substring_search(queryset, query, fields, also or Q(pk__in=[]))


def _postgres_search(
    queryset: models.QuerySet[Any], query: str, fields: dict[str, str], also: Q
) -> models.QuerySet[Any]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    names = list(fields)
    vector: Any = SearchVector(names[0], weight=fields[names[0]], config="english")
    for name in names[1:]:
        vector += SearchVector(name, weight=fields[name], config="english")
    search_query = SearchQuery(query, search_type="websearch", config="english")
    tie_break = list(queryset.query.order_by) or list(queryset.model._meta.ordering or [])
    # Full-text search misses partial words ("pytor"), so the main field also matches as a substring.
    return (
        queryset.annotate(search_vector=vector, rank=SearchRank(vector, search_query))
        .filter(Q(search_vector=search_query) | Q(**{f"{names[0]}__icontains": query}) | also)
        .order_by("-rank", *tie_break)
    )


def _substring_search[M: models.Model](
    queryset: models.QuerySet[M], query: str, fields: dict[str, str], also: Q
) -> models.QuerySet[M]:
    """Every word must appear in at least one field (case-insensitive)."""
    condition = Q()
    for word in query.split()[:MAX_TERMS]:
        term = word.strip('"+-')
        if not term:
            continue
        term_matches = Q()
        for name in fields:
            term_matches |= Q(**{f"{name}__icontains": term})
        condition &= term_matches
    return queryset.filter(condition | also) if condition else queryset


# ---------------------------------------------------------------- list filters (GET forms)


def _choices(label: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", label), *choices]


class CatalogFilterForm(forms.Form):
    """A list's filters from the query string; an invalid value is ignored and reported, never a 500."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or topic"}),
    )
    # Weighted fields the search looks at, and fields matched exactly by the filter of the same name.
    search_fields: ClassVar[dict[str, str]] = {}
    exact_filters: ClassVar[tuple[str, ...]] = ()

    @property
    def valid_data(self) -> dict[str, Any]:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def ignored(self) -> list[str]:
        """Labels of the filters whose values were not understood."""
        self.is_valid()
        return [str(self[name].label) for name in self.errors if name in self.fields]

    @property
    def is_filtered(self) -> bool:
        return bool(self.valid_data)

    def filter(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        data = self.valid_data
        for name in self.exact_filters:
            if name in data:
                queryset = queryset.filter(**{name: data[name]})
        return catalog_search(
            queryset, data.get("q", ""), self.search_fields, self.also_match(data.get("q", ""))
        )

    def also_match(self, query: str) -> Q | None:
        """Rows that match `query` some other way than the search fields; none by default."""
        return None


class SkillFilterForm(CatalogFilterForm):
    category = forms.ChoiceField(choices=_choices("All categories", Category.choices), required=False)
    tier = forms.ChoiceField(choices=_choices("All tiers", Tier.choices), required=False)
    kind = forms.ChoiceField(label="Type", choices=_choices("All types", Skill.Kind.choices), required=False)
    search_fields: ClassVar[dict[str, str]] = {"name": "A", "description": "B"}
    exact_filters = ("category", "tier", "kind")

    def also_match(self, query: str) -> Q | None:
        # Older product names and job-ad wording ("Azure ML", "AI Platform") find the skill too.
        query = query.strip()
        return Q(pk__in=SkillAlias.objects.filter(name__icontains=query).values("skill")) if query else None


class CourseFilterForm(CatalogFilterForm):
    cost = forms.ChoiceField(choices=_choices("Free and paid", Cost.choices), required=False)
    level = forms.ChoiceField(choices=_choices("All levels", Level.choices), required=False)
    format = forms.ChoiceField(choices=_choices("All formats", Course.Format.choices), required=False)
    search_fields: ClassVar[dict[str, str]] = {"title": "A", "provider": "B", "description": "C"}
    exact_filters = ("cost", "level", "format")


class CertificationFilterForm(CatalogFilterForm):
    ACTIVE, RETIRED, ALL = "", "retired", "all"
    cost = forms.ChoiceField(choices=_choices("Free and paid", Cost.choices), required=False)
    level = forms.ChoiceField(choices=_choices("All levels", Level.choices), required=False)
    status = forms.ChoiceField(
        choices=[(ACTIVE, "Active only"), (RETIRED, "Retired only"), (ALL, "Active and retired")],
        required=False,
    )
    search_fields: ClassVar[dict[str, str]] = {
        "name": "A",
        "issuer": "B",
        "exam_code": "B",
        "description": "C",
    }
    exact_filters = ("cost", "level")

    def filter(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        # Retired exams are hidden unless asked for: a learner must not be sent to one by accident.
        status = self.valid_data.get("status", self.ACTIVE)
        if status == self.ACTIVE:
            queryset = queryset.filter(status=Certification.Status.ACTIVE)
        elif status == self.RETIRED:
            queryset = queryset.filter(status=Certification.Status.RETIRED)
        else:
            queryset = queryset.order_by("status", "name")
        return super().filter(queryset)


class ProjectFilterForm(CatalogFilterForm):
    difficulty = forms.ChoiceField(choices=_choices("All difficulties", Level.choices), required=False)
    skill_category = forms.ChoiceField(
        label="Skill area", choices=_choices("All skill areas", Category.choices), required=False
    )
    search_fields: ClassVar[dict[str, str]] = {"title": "A", "summary": "B"}
    exact_filters = ("difficulty",)

    def filter(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        category = self.valid_data.get("skill_category")
        if category:
            # EXISTS rather than a join: a project practising two such skills is listed once.
            practises = ProjectIdea.skills.through.objects.filter(
                projectidea_id=OuterRef("pk"), skill__category=category
            )
            queryset = queryset.filter(Exists(practises))
        return super().filter(queryset)
