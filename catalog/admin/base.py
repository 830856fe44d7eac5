"""The base of every catalog admin: the import/export buttons, counted columns, the permissions they need."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse

from catalog.models import (
    ITEM_FIELDS,
)

CATALOG_MODELS = (
    "skill",
    "course",
    "certification",
    "dataset",
    "projectidea",
    "track",
    "stage",
    "step",
    "choicegroup",
    "choiceoption",
    "background",
    "role",
    "rolepairing",
    "pathway",
)
IMPORT_PERMS = [f"catalog.{action}_{name}" for name in CATALOG_MODELS for action in ("add", "change")]
EXPORT_PERMS = [f"catalog.view_{name}" for name in CATALOG_MODELS]
ITEM_RELATED = ITEM_FIELDS
# A step's (or a learner's progress's) item found by its name, whatever its kind.
ITEM_SEARCH_FIELDS = ("skill__name", "course__title", "certification__name", "project__title")


class CatalogAdmin(admin.ModelAdmin):
    """Catalog changelists carry the "Import content" / "Export content" buttons."""

    change_list_template = "admin/catalog/catalog_change_list.html"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra = {
            "can_import_content": request.user.has_perms(IMPORT_PERMS),
            "can_export_content": request.user.has_perms(EXPORT_PERMS),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=extra)

    # Relations the list counts (a counted() column each), annotated so the page stays one query.
    counts: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(**{f"n_{name}": Count(name) for name in self.counts})


def counted(relation: str, description: str = "") -> Any:
    """A list column: how many `relation` rows an object has (in CatalogAdmin.counts)."""

    @admin.display(description=description or relation, ordering=f"n_{relation}")
    def column(admin: CatalogAdmin, obj: Any) -> int:
        return int(getattr(obj, f"n_{relation}"))

    return column
