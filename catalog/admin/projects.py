"""Admin of data sets and project ideas with their deliverables."""

from __future__ import annotations

from django.contrib import admin

from catalog.admin.base import CatalogAdmin, counted
from catalog.models import (
    Dataset,
    Deliverable,
    ProjectIdea,
)


@admin.register(Dataset)
class DatasetAdmin(CatalogAdmin):
    list_display = ("name", "slug", "url", "checked_on")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)


class DeliverableInline(admin.TabularInline):
    # Deleting a row learners have ticked off is refused by Django's inline protection check.
    model = Deliverable
    fields = ("order", "text")
    extra = 1


@admin.register(ProjectIdea)
class ProjectIdeaAdmin(CatalogAdmin):
    list_display = ("title", "difficulty", "hours", "deliverable_count")
    list_filter = ("difficulty",)
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("skills", "datasets")
    ordering = ("title",)
    inlines = (DeliverableInline,)

    counts = ("deliverables",)
    deliverable_count = counted("deliverables")
