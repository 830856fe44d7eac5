"""Admin of careers: roles, the pairings with a neighbouring discipline, and the ways in."""

from __future__ import annotations

from django.contrib import admin

from catalog.admin.base import CatalogAdmin
from catalog.models import Pathway, Role, RolePairing


@admin.register(Role)
class RoleAdmin(CatalogAdmin):
    list_display = ("name", "level", "order")
    list_filter = ("level",)
    list_editable = ("order",)
    search_fields = ("name", "slug", "summary", "adds")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("skills",)


@admin.register(RolePairing)
class RolePairingAdmin(CatalogAdmin):
    list_display = ("__str__", "order")
    list_editable = ("order",)
    search_fields = ("partner", "slug", "together")
    prepopulated_fields = {"slug": ("partner",)}
    autocomplete_fields = ("skills",)


@admin.register(Pathway)
class PathwayAdmin(CatalogAdmin):
    list_display = ("title", "kind", "order")
    list_filter = ("kind",)
    list_editable = ("order",)
    search_fields = ("title", "slug", "description")
    prepopulated_fields = {"slug": ("title",)}
