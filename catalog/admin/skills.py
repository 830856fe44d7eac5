"""Admin of skills: the prerequisite inline that refuses a cycle, and the aliases."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from catalog.admin.base import CatalogAdmin
from catalog.graph import find_cycle
from catalog.models import (
    Skill,
    SkillAlias,
    SkillPrerequisite,
)


class PrerequisiteFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """Refuse the whole resulting prerequisite set if it holds a cycle, naming it."""
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return  # a skill being added has no dependants yet, so it cannot close a cycle
        skill = self.instance
        chosen = [
            form.cleaned_data["requires"]
            for form in self.forms
            if form.cleaned_data.get("requires") and not form.cleaned_data.get("DELETE")
        ]
        edges = list(
            SkillPrerequisite.objects.exclude(skill=skill).values_list("skill__name", "requires__name")
        )
        edges += [(skill.name, requires.name) for requires in chosen]
        cycle = find_cycle(edges)
        if cycle:
            raise ValidationError(f"These prerequisites would create a cycle: {' → '.join(cycle)}.")


class PrerequisiteInline(admin.TabularInline):
    model = SkillPrerequisite
    fk_name = "skill"
    formset = PrerequisiteFormSet
    autocomplete_fields = ("requires",)
    extra = 1
    verbose_name = "prerequisite"
    verbose_name_plural = "prerequisites (skills to learn first)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[SkillPrerequisite]:
        return super().get_queryset(request).select_related("requires")


class SkillAliasInline(admin.TabularInline):
    model = SkillAlias
    fields = ("name",)
    extra = 1
    verbose_name = "alias"
    verbose_name_plural = "aliases (older product names, what job ads write)"


@admin.register(Skill)
class SkillAdmin(CatalogAdmin):
    list_display = ("name", "category", "tier", "kind", "estimated_hours", "share", "checked_on")
    list_filter = ("category", "tier", "kind", "checked_on")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)
    inlines = (PrerequisiteInline, SkillAliasInline)
    fieldsets = (
        (None, {"fields": ("name", "slug", "category", "tier", "kind", "description", "checked_on")}),
        (
            "Effort and demand",
            {
                "fields": (
                    "estimated_hours",
                    ("share_low", "share_high"),
                    ("entry_share_low", "entry_share_high"),
                ),
                "description": "Shares of job postings as the seeds give them: a range (from and up to), "
                "an estimate (both the same), or an upper bound (“under 5%”: only “up to”).",
            },
        ),
    )

    @admin.display(description="share of postings", ordering="share_high")
    def share(self, obj: Skill) -> str:
        return obj.share_label
