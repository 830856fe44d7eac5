"""Admin of the track tree (tracks → stages → steps, edited on one page) and the content import/export pages."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_http_methods

from catalog.admin.base import (
    EXPORT_PERMS,
    IMPORT_PERMS,
    ITEM_RELATED,
    ITEM_SEARCH_FIELDS,
    CatalogAdmin,
    counted,
)
from catalog.exporting import CSV_MODELS, content_export_csv, content_export_json
from catalog.forms import ContentImportForm
from catalog.importing import ContentImportError, content_import_text
from catalog.models import (
    Stage,
    Step,
    Track,
)

# ---------------------------------------------------------------- tracks → stages → steps


class OrderedRowsForm(forms.ModelForm):
    """A stage or step row whose order number may move to one a sibling frees in the same save."""

    def validate_constraints(self) -> None:
        # The (parent, order) uniqueness is checked across the submitted rows by the formset and
        # enforced at save time; checking each row against the database would refuse a swap.
        # Like ModelForm's own check, fields outside the form or already in error are left out.
        exclude = {f.name for f in self.instance._meta.fields if f.name not in self.fields}
        exclude |= set(self.errors) | {"order"}
        if self.has_error(NON_FIELD_ERRORS):
            exclude |= set(ITEM_RELATED)  # the model's clean() already said "choose exactly one"
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)


class OrderedRowsFormSetMixin(BaseInlineFormSet):
    """Saves rows whose order changes (or which go) via free numbers, so swaps never collide."""

    def save(self, commit: bool = True) -> list[Any]:
        if commit:
            self._free_order_numbers()
        return super().save(commit)

    def _free_order_numbers(self) -> None:
        deleted = self.deleted_forms
        moving = [
            form.instance
            for form in self.initial_forms
            if form.instance.pk is not None and ("order" in form.changed_data or form in deleted)
        ]
        if not moving:
            return
        manager = type(moving[0])._default_manager
        siblings = manager.filter(**{self.fk.name: self.instance})
        # Numbers nobody holds now or after the save (not above the top: 32767 is a valid order).
        taken = set(siblings.values_list("order", flat=True)) | {obj.order for obj in moving}
        free = (n for n in itertools.count() if n not in taken)
        for obj in moving:
            manager.filter(pk=obj.pk).update(order=next(free))


class LoadedAutocompleteSelect(AutocompleteSelect):
    """Shows a row's chosen item from the object its row already loaded: no query per row."""

    loaded: Any = None

    def optgroups(self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None) -> list[Any]:
        chosen = {str(v) for v in value if v not in (None, "")}
        if self.loaded is None or chosen != {str(self.loaded.pk)}:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(self.loaded)
        options.append(self.create_option(name, self.loaded.pk, label, True, len(options)))
        return [(None, options, 0)]


class OrderedStepForm(OrderedRowsForm):
    """A step row whose autocomplete widgets reuse the items the row's query selected."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in (*ITEM_RELATED, "option"):
            if name not in self.fields:
                continue
            widget = getattr(self.fields[name].widget, "widget", None)
            relation = Step._meta.get_field(name)
            if (
                isinstance(widget, LoadedAutocompleteSelect)
                and isinstance(relation, models.ForeignKey)
                and relation.is_cached(self.instance)
            ):
                widget.loaded = relation.get_cached_value(self.instance)


class StepRowsInline(admin.options.InlineModelAdmin):
    """Base of the step rows on the track and stage pages: order, one item by autocomplete, note."""

    model = Step
    form = OrderedStepForm
    fields = ("order", "skill", "course", "certification", "project", "optional", "option", "note")
    autocomplete_fields = (*ITEM_RELATED, "option")
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 24})}}

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in (*ITEM_RELATED, "option"):
            kwargs["widget"] = LoadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Step]:
        return super().get_queryset(request).select_related("stage__track", *ITEM_RELATED, "option__group")


class StepFormSet(OrderedRowsFormSetMixin, nested_admin.NestedInlineFormSet):
    def _should_delete_form(self, form: forms.Form) -> bool:
        # A deleted stage takes its steps with it. nested-admin's script ticks them too, but
        # without it they would be saved again as new steps of the deleted stage.
        stage_form = getattr(self, "parent_form", None)
        if stage_form is not None and stage_form.is_bound and not stage_form.prefix.endswith("__prefix__"):
            stage_form.errors  # noqa: B018 (cleans the stage form first, so its DELETE box is known)
            if stage_form.parent_formset._should_delete_form(stage_form):
                return True
        return bool(super()._should_delete_form(form))

    def get_queryset(self) -> Any:
        # The track page prefetched every stage's steps: reuse them rather than one query per stage.
        prefetched = getattr(self.instance, "_prefetched_objects_cache", {}).get("steps")
        if self.is_bound or prefetched is None:
            return super().get_queryset()
        return list(prefetched)


class PlainStepFormSet(OrderedRowsFormSetMixin, BaseInlineFormSet):
    pass


class StageFormSet(OrderedRowsFormSetMixin, nested_admin.NestedInlineFormSet):
    pass


class NestedStepInline(StepRowsInline, nested_admin.NestedTabularInline):
    """Steps of one stage, edited inside that stage on the track page."""

    formset = StepFormSet
    extra = 0


class StageInline(nested_admin.NestedStackedInline):
    """Stages in order on the track page, each with its steps: the whole tree is edited on one page."""

    model = Stage
    form = OrderedRowsForm
    formset = StageFormSet
    fields = (("order", "title"), "description", "steps_link")
    readonly_fields = ("steps_link",)
    inlines = (NestedStepInline,)
    extra = 0
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Stage]:
        steps = Step.objects.select_related(*ITEM_RELATED, "option__group").order_by("order")
        stages = super().get_queryset(request).select_related("track")
        return stages.prefetch_related(Prefetch("steps", steps))

    @admin.display(description="overview")
    def steps_link(self, obj: Any) -> str:
        if obj.pk is None:
            return "Add its steps below."
        steps = list(obj.steps.all())
        url = reverse("admin:catalog_stage_change", args=[obj.pk])
        items = format_html_join(
            "", "<li>{} ({}{})</li>", ((s.item, s.kind, ", optional" if s.optional else "") for s in steps)
        )
        return format_html(
            '<ol class="stage-steps">{}</ol><a href="{}">Edit the {} steps of “{}”</a>',
            items,
            url,
            len(steps),
            obj.title,
        )


@admin.register(Track)
class TrackAdmin(nested_admin.NestedModelAdminMixin, CatalogAdmin):
    list_display = ("name", "is_core", "order", "stage_count")
    list_filter = ("is_core",)
    list_editable = ("order",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("order", "name")
    inlines = (StageInline,)

    counts = ("stages",)
    stage_count = counted("stages")

    def get_urls(self) -> list[URLPattern]:
        # The content pages cover the whole catalog; they hang off the track admin, the tree's root.
        # admin_view requires an active staff login; each view checks its model permissions.
        import_view = require_http_methods(["GET", "POST"])(self.content_import_view)
        export_view = require_http_methods(["GET"])(self.content_export_view)
        site = self.admin_site
        return [
            path("import-content/", site.admin_view(import_view), name="catalog_content_import"),
            path("export-content/", site.admin_view(export_view), name="catalog_content_export"),
            *super().get_urls(),
        ]

    def content_import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perms(IMPORT_PERMS):
            raise PermissionDenied
        form = ContentImportForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                result = content_import_text(text=data["text"], fmt=data["fmt"], model=data["model"] or None)
            except ContentImportError as exc:
                messages.error(
                    request,
                    f"Nothing was imported from {data['file'].name}: {len(exc.messages)} problem(s), listed below.",
                )
                problems = exc.messages
            else:
                messages.success(request, f"Imported {data['file'].name}: {result.summary()}.")
                return redirect("admin:catalog_content_import")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import content",
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/catalog/content_import.html", context)

    def content_export_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perms(EXPORT_PERMS):
            raise PermissionDenied
        what = request.GET.get("download")
        if what == "json":
            response = HttpResponse(content_export_json(), content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="content.json"'
            return response
        if what in CSV_MODELS:
            response = HttpResponse(content_export_csv(model=what), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{what}.csv"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": "Export content",
            "csv_models": [(m, m.replace("_", " ").capitalize()) for m in CSV_MODELS],
        }
        return TemplateResponse(request, "admin/catalog/content_export.html", context)


class StepInline(StepRowsInline, admin.TabularInline):
    formset = PlainStepFormSet
    extra = 1


@admin.register(Stage)
class StageAdmin(CatalogAdmin):
    list_display = ("title", "track", "order", "step_count")
    list_filter = ("track",)
    search_fields = ("title", "track__name")
    list_select_related = ("track",)
    autocomplete_fields = ("track",)
    ordering = ("track__order", "track__name", "order")
    inlines = (StepInline,)

    counts = ("steps",)
    step_count = counted("steps")

    def response_change(self, request: HttpRequest, obj: Stage) -> HttpResponse:
        # Back to the track the editor came from, unless they asked to stay on this page.
        if not {"_continue", "_addanother", "_saveasnew", "_popup"} & set(request.POST):
            self.message_user(request, f"Saved the steps of “{obj.title}”.", messages.SUCCESS)
            return redirect("admin:catalog_track_change", obj.track_id)
        return super().response_change(request, obj)


@admin.register(Step)
class StepAdmin(CatalogAdmin):
    list_display = ("__str__", "track_name", "stage_title", "order", "optional")
    list_filter = ("stage__track", "optional")
    search_fields = ("stage__title", "stage__track__name", *ITEM_SEARCH_FIELDS)
    list_select_related = ("stage__track", *ITEM_RELATED)
    autocomplete_fields = ("stage", *ITEM_RELATED, "option")
    ordering = ("stage__track__order", "stage__track__name", "stage__order", "order")

    @admin.display(description="track", ordering="stage__track__name")
    def track_name(self, obj: Step) -> str:
        return obj.stage.track.name

    @admin.display(description="stage", ordering="stage__order")
    def stage_title(self, obj: Step) -> str:
        return obj.stage.title
