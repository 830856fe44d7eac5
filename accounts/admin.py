"""Admin for users (e-mail login) and profiles."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest

from accounts.models import Profile, User


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ("tracks", "known_skills")
    fields = ("background", "tracks", "hours_per_week", "target_date", "time_zone")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("display_name", "email_verified_at")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")},
        ),
    )
    list_display = ("email", "display_name", "is_staff", "is_active", "date_joined", "last_login")
    list_filter = (
        "is_staff",
        "is_superuser",
        "is_active",
        ("email_verified_at", admin.EmptyFieldListFilter),
        "groups",
    )
    search_fields = ("email", "display_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    inlines = (ProfileInline,)

    def get_inlines(
        self, request: HttpRequest, obj: User | None
    ) -> tuple[type[InlineModelAdmin[Any, Any]], ...]:
        # The profile is edited once the user exists (the add page only sets e-mail and password).
        return tuple(self.inlines) if obj is not None else ()


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "background",
        "hours_per_week",
        "target_date",
        "onboarded_at",
        "last_activity_at",
    )
    list_filter = ("background", "onboarded_at")
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user",)
    autocomplete_fields = ("user", "tracks", "known_skills")
    ordering = ("user__email",)
    readonly_fields = ("last_activity_at",)
