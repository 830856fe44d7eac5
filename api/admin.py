"""Tokens in the admin: what exists and when it was used; never the token (only its digest is stored)."""

from django.contrib import admin

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "scope", "created_at", "expires_at", "last_used_at"]
    list_filter = ["scope"]
    search_fields = ["name", "user__email", "hint"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["hint", "digest", "created_at", "last_used_at"]
