"""Admin of choice groups with their options, and of backgrounds with the skills they propose as known."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from catalog.admin.base import CatalogAdmin, counted
from catalog.models import Background, ChoiceGroup, ChoiceOption


class ChoiceOptionFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """One default per group across the submitted rows (the database would refuse a second)."""
        super().clean()
        defaults = [
            form.cleaned_data.get("title") or form.cleaned_data.get("slug")
            for form in self.forms
            if form.cleaned_data.get("is_default") and not form.cleaned_data.get("DELETE")
        ]
        if len(defaults) > 1:
            raise ValidationError(
                f"Only one option can be the default; ticked: {', '.join(map(str, defaults))}."
            )


class ChoiceOptionInline(admin.TabularInline):
    model = ChoiceOption
    formset = ChoiceOptionFormSet
    fields = ("order", "slug", "title", "is_default")
    extra = 1


@admin.register(ChoiceGroup)
class ChoiceGroupAdmin(CatalogAdmin):
    list_display = ("title", "stage", "order", "option_count")
    list_filter = ("stage__track",)
    search_fields = ("title", "slug", "stage__title", "stage__track__name")
    list_select_related = ("stage__track",)
    autocomplete_fields = ("stage",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ChoiceOptionInline,)

    counts = ("options",)
    option_count = counted("options")


@admin.register(ChoiceOption)
class ChoiceOptionAdmin(CatalogAdmin):
    """Mostly edited inline on its group; registered so a step's option is picked by autocomplete."""

    list_display = ("title", "group", "is_default", "order")
    list_filter = ("group__stage__track", "is_default")
    search_fields = ("title", "slug", "group__title", "group__stage__title")
    list_select_related = ("group__stage__track",)
    autocomplete_fields = ("group",)


@admin.register(Background)
class BackgroundAdmin(CatalogAdmin):
    list_display = ("name", "slug", "order", "proposed_count")
    search_fields = ("name", "slug", "description")
    autocomplete_fields = ("proposed_skills",)
    ordering = ("order", "name")

    counts = ("proposed_skills",)
    proposed_count = counted("proposed_skills", "skills proposed as known")
