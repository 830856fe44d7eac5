"""Admin of courses and certifications."""

from __future__ import annotations

from django.contrib import admin

from catalog.admin.base import CatalogAdmin
from catalog.models import (
    Certification,
    Course,
)

# ---------------------------------------------------------------- courses, certifications, datasets


@admin.register(Course)
class CourseAdmin(CatalogAdmin):
    list_display = ("title", "provider", "format", "cost", "level", "hours", "checked_on")
    list_filter = ("format", "cost", "level", "provider", "checked_on")
    search_fields = ("title", "slug", "provider", "description")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("skills",)
    ordering = ("title",)


@admin.register(Certification)
class CertificationAdmin(CatalogAdmin):
    list_display = ("name", "issuer", "exam_code", "level", "status", "retired_on", "checked_on")
    list_filter = ("status", "cost", "level", "issuer", "checked_on")
    search_fields = ("name", "slug", "issuer", "exam_code")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("successor", "skills_validated", "skills_recommended")
    list_select_related = ("successor",)
    ordering = ("name",)
