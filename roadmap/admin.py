"""Admin of plans, progress and its history (the catalog's is in catalog.admin, mentoring's and reminders' in their apps)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from catalog.admin import ITEM_SEARCH_FIELDS
from catalog.models import ITEM_FIELDS
from roadmap.models import (
    DeliverableCheck,
    EvidenceLink,
    Plan,
    PlanItem,
    Progress,
    ProgressEvent,
)

ITEM_RELATED = ITEM_FIELDS


# ---------------------------------------------------------------- learners' progress (read-mostly)


class ReadOnlyInline(admin.TabularInline):
    """Rows the learner's own actions write (history, checks, the built plan): shown, never added or
    edited here."""

    extra = 0
    can_delete = False
    # Relations the rows show, read with them.
    related: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related(*self.related)


class ItemLabel:
    @admin.display(description="item")
    def item_label(self, obj: Progress | PlanItem) -> str:
        return f"{obj.kind}: {obj.item}" if obj.kind else "—"


class ProgressEventInline(ReadOnlyInline):
    model = ProgressEvent
    fields = ("at", "from_status", "to_status", "by")
    related = ("by",)


class EvidenceLinkInline(admin.TabularInline):
    model = EvidenceLink
    fields = ("url", "label", "created_at")
    extra = 0


class DeliverableCheckInline(ReadOnlyInline):
    model = DeliverableCheck
    fields = ("deliverable", "checked_at")
    related = ("deliverable",)
    can_delete = True


@admin.register(Progress)
class ProgressAdmin(ItemLabel, admin.ModelAdmin):
    list_display = ("learner", "item_label", "status", "updated_at", "completed_at")
    list_filter = ("status",)
    search_fields = ("learner__email", *ITEM_SEARCH_FIELDS)
    list_select_related = ("learner", *ITEM_RELATED)
    autocomplete_fields = ("learner", *ITEM_RELATED)
    date_hierarchy = "updated_at"
    ordering = ("-updated_at",)
    inlines = (ProgressEventInline, EvidenceLinkInline, DeliverableCheckInline)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Whose record and which item it is are fixed once created; history lives in the events.
        return ("learner", *ITEM_RELATED) if obj is not None else ()


@admin.register(ProgressEvent)
class ProgressEventAdmin(admin.ModelAdmin):
    list_display = ("at", "progress", "from_status", "to_status", "by")
    list_filter = ("to_status", "from_status")
    search_fields = ("progress__learner__email", "by__email")
    list_select_related = ("progress__learner", *[f"progress__{f}" for f in ITEM_RELATED], "by")
    date_hierarchy = "at"
    readonly_fields = ("progress", "from_status", "to_status", "at", "by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PlanItemInline(ItemLabel, ReadOnlyInline):
    model = PlanItem
    fields = (
        "position",
        "week",
        "stage_title",
        "item_label",
        "hours",
        "optional",
        "known",
        "from_prerequisites",
    )
    related = ITEM_RELATED


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("learner", "built_at")
    search_fields = ("learner__email",)
    list_select_related = ("learner",)
    autocomplete_fields = ("learner",)
    ordering = ("-built_at",)
    inlines = (PlanItemInline,)
