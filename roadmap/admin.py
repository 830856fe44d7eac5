"""Admin for the catalog (with content import/export pages), plans, progress, reviews and reminders."""

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
from django.db.models import Count, Prefetch, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_http_methods

from roadmap.content_io import (
    CSV_MODELS,
    ContentImportError,
    content_export_csv,
    content_export_json,
    content_import_text,
)
from roadmap.graph import find_cycle
from roadmap.models import (
    Certification,
    Course,
    Dataset,
    Deliverable,
    DeliverableCheck,
    EvidenceLink,
    Plan,
    PlanItem,
    Progress,
    ProgressEvent,
    ProjectIdea,
    ProjectReview,
    Skill,
    SkillPrerequisite,
    Stage,
    Step,
    StepComment,
    Track,
)

CATALOG_MODELS = ("skill", "course", "certification", "dataset", "projectidea", "track", "stage", "step")
IMPORT_PERMS = [f"roadmap.{action}_{name}" for name in CATALOG_MODELS for action in ("add", "change")]
EXPORT_PERMS = [f"roadmap.view_{name}" for name in CATALOG_MODELS]
ITEM_RELATED = ("skill", "course", "certification", "project")


class CatalogAdmin(admin.ModelAdmin):
    """Catalog changelists carry the "Import content" / "Export content" buttons."""

    change_list_template = "admin/roadmap/catalog_change_list.html"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra = {
            "can_import_content": request.user.has_perms(IMPORT_PERMS),
            "can_export_content": request.user.has_perms(EXPORT_PERMS),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=extra)


# ---------------------------------------------------------------- skills


class PrerequisiteFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """Refuse the whole resulting prerequisite set if it holds a cycle, naming it."""
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return  # a skill being added has no dependants yet, so it cannot close a cycle
        skill = self.instance
        chosen = [
            form.cleaned_data["requires"]
            for form in self.forms
            if form.cleaned_data.get("requires") and not form.cleaned_data.get("DELETE")
        ]
        edges = list(
            SkillPrerequisite.objects.exclude(skill=skill).values_list("skill__name", "requires__name")
        )
        edges += [(skill.name, requires.name) for requires in chosen]
        cycle = find_cycle(edges)
        if cycle:
            raise ValidationError(f"These prerequisites would create a cycle: {' → '.join(cycle)}.")


class PrerequisiteInline(admin.TabularInline):
    model = SkillPrerequisite
    fk_name = "skill"
    formset = PrerequisiteFormSet
    autocomplete_fields = ("requires",)
    extra = 1
    verbose_name = "prerequisite"
    verbose_name_plural = "prerequisites (skills to learn first)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[SkillPrerequisite]:
        return super().get_queryset(request).select_related("requires")


@admin.register(Skill)
class SkillAdmin(CatalogAdmin):
    list_display = ("name", "category", "tier", "kind", "estimated_hours", "market_share")
    list_filter = ("category", "tier", "kind")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)
    inlines = (PrerequisiteInline,)
    fieldsets = (
        (None, {"fields": ("name", "slug", "category", "tier", "kind", "description")}),
        ("Effort and demand", {"fields": ("estimated_hours", "market_share")}),
    )


# ---------------------------------------------------------------- courses, certifications, datasets


@admin.register(Course)
class CourseAdmin(CatalogAdmin):
    list_display = ("title", "provider", "format", "cost", "level", "hours")
    list_filter = ("format", "cost", "level", "provider")
    search_fields = ("title", "slug", "provider", "description")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("skills",)
    ordering = ("title",)


@admin.register(Certification)
class CertificationAdmin(CatalogAdmin):
    list_display = ("name", "issuer", "exam_code", "level", "cost", "price_usd", "status", "retired_on")
    list_filter = ("status", "cost", "level", "issuer")
    search_fields = ("name", "slug", "issuer", "exam_code")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("successor", "skills_validated", "skills_recommended")
    list_select_related = ("successor",)
    ordering = ("name",)


@admin.register(Dataset)
class DatasetAdmin(CatalogAdmin):
    list_display = ("name", "slug", "url")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)


# ---------------------------------------------------------------- project ideas


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

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProjectIdea]:
        return super().get_queryset(request).annotate(n_deliverables=Count("deliverables"))

    @admin.display(description="deliverables", ordering="n_deliverables")
    def deliverable_count(self, obj: Any) -> int:
        return int(obj.n_deliverables)


# ---------------------------------------------------------------- tracks → stages → steps


class OrderedRowsForm(forms.ModelForm):
    """A stage or step row whose order number may move to one a sibling frees in the same save."""

    def validate_constraints(self) -> None:
        # The (parent, order) uniqueness is checked across the submitted rows by the formset and
        # enforced at save time; checking each row against the database would refuse a swap.
        exclude = self._get_validation_exclusions() | {"order"}  # type: ignore[attr-defined]
        if self.has_error(NON_FIELD_ERRORS):
            exclude |= set(ITEM_RELATED)  # the model's clean() already said "choose exactly one"
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]


class OrderedRowsFormSetMixin:
    """Saves rows whose order changes (or which go) via free numbers, so swaps never collide."""

    def save(self, commit: bool = True) -> list[Any]:
        if commit:
            self._free_order_numbers()
        return super().save(commit)  # type: ignore[misc]

    def _free_order_numbers(self) -> None:
        moving = [
            form.instance
            for form in self.initial_forms  # type: ignore[attr-defined]
            if form.instance.pk is not None
            and ("order" in form.changed_data or self._should_delete_form(form))  # type: ignore[attr-defined]
        ]
        if not moving:
            return
        manager = type(moving[0])._default_manager
        siblings = manager.filter(**{self.fk.name: self.instance})  # type: ignore[attr-defined]
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
        for name in ITEM_RELATED:
            widget = getattr(self.fields[name].widget, "widget", None)
            relation = Step._meta.get_field(name)
            if isinstance(widget, LoadedAutocompleteSelect) and relation.is_cached(self.instance):  # type: ignore[union-attr]
                widget.loaded = relation.get_cached_value(self.instance)  # type: ignore[union-attr]


class StepRowsInline(admin.options.InlineModelAdmin):
    """Base of the step rows on the track and stage pages: order, one item by autocomplete, note."""

    model = Step
    form = OrderedStepForm
    fields = ("order", "skill", "course", "certification", "project", "optional", "note")
    autocomplete_fields = ITEM_RELATED
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 24})}}

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in ITEM_RELATED:
            kwargs["widget"] = LoadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Step]:
        return super().get_queryset(request).select_related("stage__track", *ITEM_RELATED)


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
        steps = Step.objects.select_related(*ITEM_RELATED).order_by("order")
        stages = super().get_queryset(request).select_related("track")
        return stages.prefetch_related(Prefetch("steps", steps))

    @admin.display(description="overview")
    def steps_link(self, obj: Any) -> str:
        if obj.pk is None:
            return "Add its steps below."
        steps = list(obj.steps.all())
        url = reverse("admin:roadmap_stage_change", args=[obj.pk])
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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Track]:
        return super().get_queryset(request).annotate(n_stages=Count("stages"))

    @admin.display(description="stages", ordering="n_stages")
    def stage_count(self, obj: Any) -> int:
        return int(obj.n_stages)


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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Stage]:
        return super().get_queryset(request).annotate(n_steps=Count("steps"))

    @admin.display(description="steps", ordering="n_steps")
    def step_count(self, obj: Any) -> int:
        return int(obj.n_steps)

    def response_change(self, request: HttpRequest, obj: Stage) -> HttpResponse:
        # Back to the track the editor came from, unless they asked to stay on this page.
        if not {"_continue", "_addanother", "_saveasnew", "_popup"} & set(request.POST):
            self.message_user(request, f"Saved the steps of “{obj.title}”.", messages.SUCCESS)
            return redirect("admin:roadmap_track_change", obj.track_id)
        return super().response_change(request, obj)


@admin.register(Step)
class StepAdmin(CatalogAdmin):
    list_display = ("__str__", "track_name", "stage_title", "order", "optional")
    list_filter = ("stage__track", "optional")
    search_fields = (
        "stage__title",
        "stage__track__name",
        "skill__name",
        "course__title",
        "certification__name",
        "project__title",
    )
    list_select_related = ("stage__track", *ITEM_RELATED)
    autocomplete_fields = ("stage", *ITEM_RELATED)
    ordering = ("stage__track__order", "stage__track__name", "stage__order", "order")

    @admin.display(description="track", ordering="stage__track__name")
    def track_name(self, obj: Step) -> str:
        return obj.stage.track.name

    @admin.display(description="stage", ordering="stage__order")
    def stage_title(self, obj: Step) -> str:
        return obj.stage.title


# ---------------------------------------------------------------- learners' progress (read-mostly)


class ProgressEventInline(admin.TabularInline):
    model = ProgressEvent
    fields = ("at", "from_status", "to_status", "by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProgressEvent]:
        return super().get_queryset(request).select_related("by")


class EvidenceLinkInline(admin.TabularInline):
    model = EvidenceLink
    fields = ("url", "label", "created_at")
    extra = 0


class DeliverableCheckInline(admin.TabularInline):
    model = DeliverableCheck
    fields = ("deliverable", "checked_at")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[DeliverableCheck]:
        return super().get_queryset(request).select_related("deliverable")


@admin.register(Progress)
class ProgressAdmin(admin.ModelAdmin):
    list_display = ("learner", "item_label", "status", "updated_at", "completed_at")
    list_filter = ("status",)
    search_fields = (
        "learner__email",
        "skill__name",
        "course__title",
        "certification__name",
        "project__title",
    )
    list_select_related = ("learner", *ITEM_RELATED)
    autocomplete_fields = ("learner", *ITEM_RELATED)
    date_hierarchy = "updated_at"
    ordering = ("-updated_at",)
    inlines = (ProgressEventInline, EvidenceLinkInline, DeliverableCheckInline)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Whose record and which item it is are fixed once created; history lives in the events.
        return ("learner", *ITEM_RELATED) if obj is not None else ()

    @admin.display(description="item")
    def item_label(self, obj: Progress) -> str:
        return f"{obj.kind}: {obj.item}" if obj.kind else "—"


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


class PlanItemInline(admin.TabularInline):
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
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[PlanItem]:
        return super().get_queryset(request).select_related(*ITEM_RELATED)

    @admin.display(description="item")
    def item_label(self, obj: PlanItem) -> str:
        return f"{obj.kind}: {obj.item}" if obj.kind else "—"


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("learner", "built_at", "total_hours", "projected_finish")
    search_fields = ("learner__email",)
    list_select_related = ("learner",)
    autocomplete_fields = ("learner",)
    ordering = ("-built_at",)
    inlines = (PlanItemInline,)


@admin.register(StepComment)
class StepCommentAdmin(admin.ModelAdmin):
    list_display = ("author", "progress", "created_at")
    search_fields = ("body", "author__email", "progress__learner__email")
    list_select_related = ("author", "progress__learner", *[f"progress__{f}" for f in ITEM_RELATED])
    autocomplete_fields = ("author", "progress")
    date_hierarchy = "created_at"


@admin.register(ProjectReview)
class ProjectReviewAdmin(admin.ModelAdmin):
    list_display = ("progress", "status", "reviewer", "requested_at", "responded_at")
    list_filter = ("status",)
    search_fields = ("progress__learner__email", "reviewer__email", "evidence_url", "message")
    list_select_related = ("progress__learner", *[f"progress__{f}" for f in ITEM_RELATED], "reviewer")
    autocomplete_fields = ("progress", "reviewer")
    date_hierarchy = "requested_at"


# ---------------------------------------------------------------- content import / export pages


class ContentImportForm(forms.Form):
    file = forms.FileField(help_text="A pathwise-content/1 JSON file, or a CSV file holding one list.")
    model = forms.ChoiceField(
        label="CSV list",
        required=False,
        choices=[("", "Guess from the file name (e.g. skills.csv)"), *[(m, m) for m in CSV_MODELS]],
        help_text="Only for CSV files.",
    )

    # Measured on PostgreSQL on the shared 2-core box (new records, about 270 per 100 KB): with one
    # query per relation and record, 0.56 MB took 30 s and 2.2 MB 93 s, so the old 20 MB limit could
    # never finish inside gunicorn's 30 s timeout; with relations set per section, 0.28 MB takes
    # 3.7 s, 0.56 MB 5.4 s, 1.1 MB 16 s. 256 KB keeps the worst case (the tiniest records,
    # tests/test_content_io.py) well inside the timeout. The shipped catalog is 184 KB; bigger
    # files go through manage.py import_content, which has no request timeout.
    MAX_BYTES = 256 * 1024

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is None:
            return data
        name = upload.name or ""
        fmt = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if fmt not in {"json", "csv"}:
            raise ValidationError({"file": "Choose a .json or .csv file."})
        if upload.size > self.MAX_BYTES:
            raise ValidationError(
                {"file": "The file is larger than 256 KB: import it with manage.py import_content."}
            )
        try:
            data["text"] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": "The file is not UTF-8 text."}) from None
        data["fmt"] = fmt
        if fmt == "csv" and not data.get("model"):
            stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            if stem not in CSV_MODELS:
                raise ValidationError({"model": "Say which list this CSV file holds."})
            data["model"] = stem
        return data


@require_http_methods(["GET", "POST"])
def content_import_view(request: HttpRequest) -> HttpResponse:
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
            return redirect("admin_content_import")
    context = {
        **admin.site.each_context(request),
        "title": "Import content",
        "form": form,
        "problems": problems,
    }
    return TemplateResponse(request, "admin/roadmap/content_import.html", context)


@require_http_methods(["GET"])
def content_export_view(request: HttpRequest) -> HttpResponse:
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
        **admin.site.each_context(request),
        "title": "Export content",
        "csv_models": [(m, m.replace("_", " ").capitalize()) for m in CSV_MODELS],
    }
    return TemplateResponse(request, "admin/roadmap/content_export.html", context)


# Mounted under /admin/content/ in config/urls.py; admin_view requires an active staff login.
content_urlpatterns = [
    path("import/", admin.site.admin_view(content_import_view), name="admin_content_import"),
    path("export/", admin.site.admin_view(content_export_view), name="admin_content_export"),
]
