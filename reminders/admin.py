"""Admin of the reminder preferences and of the log (written by the tasks, filtered to find failures)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from reminders.models import ReminderLog, ReminderPreference


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "frequency", "weekday", "hour", "next_reminder_at", "last_reminded_at")
    list_filter = ("frequency", "weekday")
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    ordering = ("user__email",)
    readonly_fields = ("next_reminder_at", "last_reminded_at")


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """Written by the reminder tasks; the filters make failures easy to find."""

    list_display = ("user", "kind", "period", "status", "attempts", "created_at", "sent_at", "short_error")
    list_filter = ("status", "kind")
    search_fields = ("user__email", "period", "error")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    readonly_fields = ("user", "kind", "period", "attempts", "error", "created_at", "sent_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="error")
    def short_error(self, obj: ReminderLog) -> str:
        return obj.error[:80]
