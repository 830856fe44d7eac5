"""A step of the learner's plan: its page, notes, evidence links and the project's deliverables."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Profile, zone_or_utc
from accounts.throttling import limit_reached
from catalog.models import ITEM_FIELDS, Course, Deliverable, ItemKind
from roadmap.forms import EvidenceForm, NotesForm
from roadmap.learning import skill_learning
from roadmap.markdown import render_markdown
from roadmap.models import DeliverableCheck, EvidenceLink, PlanItem, Progress
from roadmap.services import (
    EVIDENCE_LIMIT,
    PlanError,
    StepError,
    deliverable_set,
    evidence_add,
    evidence_remove,
    note_save,
)
from roadmap.services.learning import course_add
from roadmap.signals import step_viewed

TEMPLATE = "roadmap/step.html"
HISTORY_LIMIT = 100
WHY_NEEDED_BY = 8


def plan_item_or_404(request: AuthenticatedHttpRequest, kind: str, slug: str) -> PlanItem:
    """The requesting learner's plan item for this catalog item; 404 for anything not in their plan."""
    if kind not in ITEM_FIELDS:
        raise Http404("No such kind of step.")
    items = PlanItem.objects.select_related(kind)
    return get_object_or_404(items, plan__learner=request.user, **{f"{kind}__slug": slug})


def progress_of(request: AuthenticatedHttpRequest, item: PlanItem) -> Progress | None:
    kind, item_id = item.item_key
    return Progress.objects.filter(learner=request.user, **{f"{kind}_id": item_id}).first()


def step_url(item: PlanItem, anchor: str = "") -> str:
    kind = item.kind
    url = reverse("roadmap:step", kwargs={"kind": kind, "slug": getattr(item, kind).slug})
    return f"{url}#{anchor}" if anchor else url


def evidence_of(request: AuthenticatedHttpRequest, item: PlanItem) -> QuerySet[EvidenceLink]:
    """The learner's links on this step, read without loading their Progress row first."""
    kind, item_id = item.item_key
    return EvidenceLink.objects.filter(progress__learner=request.user, **{f"progress__{kind}_id": item_id})


def notes_context(item: PlanItem, progress: Progress | None) -> dict[str, Any]:
    """What the notes panel shows: the saved notes rendered, and the form to edit them."""
    return {
        "item": item,
        "progress": progress,
        "notes_form": NotesForm(
            initial={"notes": progress.notes, "notes_shared": progress.notes_shared} if progress else None
        ),
        "notes_html": render_markdown(progress.notes) if progress and progress.notes else "",
    }


def deliverable_rows(item: PlanItem, progress: Progress | None) -> QuerySet[Deliverable]:
    """The project's deliverables, each annotated with whether (and when) the learner ticked it."""
    checks = DeliverableCheck.objects.filter(progress=progress, deliverable=OuterRef("pk"))
    return Deliverable.objects.filter(project_id=item.project_id).annotate(
        checked=Exists(checks), checked_at=Subquery(checks.values("checked_at")[:1])
    )


def deliverables_context(item: PlanItem, progress: Progress | None) -> dict[str, Any]:
    rows = list(deliverable_rows(item, progress)) if item.project_id else []
    done = sum(1 for row in rows if getattr(row, "checked", False))
    return {"deliverables": rows, "deliverables_done": done}


def prerequisites(request: AuthenticatedHttpRequest, item: PlanItem) -> QuerySet[PlanItem]:
    """The plan items this one needs first, with the learner's status of each."""
    return (
        PlanItem.objects.filter(plan_id=item.plan_id, position__in=item.needs or [])
        .with_status()
        .select_related(*ITEM_FIELDS)
        .order_by("position")
    )


def related_skills(item: PlanItem) -> list[Any]:
    """The skills a course teaches, a project practises or a certification validates."""
    catalog_item = item.item
    if item.kind in ("course", "project"):
        return list(catalog_item.skills.all())
    if item.kind == "certification":
        return list(catalog_item.skills_validated.all())
    return []


def step_context(request: AuthenticatedHttpRequest, item: PlanItem, **extra: Any) -> dict[str, Any]:
    progress = extra.pop("progress", None) or progress_of(request, item)
    status = progress.status if progress else Progress.Status.NOT_STARTED
    profile = Profile.objects.filter(user=request.user).values_list("time_zone", "background").first()
    time_zone, background = profile if profile else (None, "")
    context = {
        **notes_context(item, progress),
        "kind": item.kind,
        "kind_label": ItemKind(item.kind).label,
        "catalog_item": item.item,
        "status": status,
        "status_label": Progress.Status(status).label,
        "statuses": Progress.Status.choices,
        "evidence_form": EvidenceForm(),
        "evidence": list(progress.evidence.all()) if progress else [],
        "evidence_limit": EVIDENCE_LIMIT,
        **deliverables_context(item, progress),
        "time_zone": zone_or_utc(time_zone),
        "events": list(progress.events.select_related("by")[:HISTORY_LIMIT]) if progress else [],
        "history_limit": HISTORY_LIMIT,
        "prerequisites": list(prerequisites(request, item)) if item.needs else [],
        "skills": related_skills(item),
        "step_url": step_url(item),
        "why": step_why(item),
        "learning": (
            skill_learning(learner=request.user, skill=item.skill, background=background)
            if item.skill
            else None
        ),
    }
    context.update(extra)
    return context


def step_why(item: PlanItem) -> dict[str, Any]:
    """Why the step is in the plan: its tier and share of job postings, the track or choice that put
    it there, the later steps that need it (names: one query, only when some do)."""
    skill = item.skill if item.kind == "skill" else None
    later = (
        PlanItem.objects.filter(plan_id=item.plan_id, position__in=item.needed_by[:WHY_NEEDED_BY])
        .select_related(*ITEM_FIELDS)
        .order_by("position")
        if item.needed_by
        else []
    )
    return {
        "tier": skill.get_tier_display() if skill else "",
        "share": skill.share_label if skill else "",
        "source": item.source,
        "needed_by": [other.item for other in later],
        "more_needed_by": max(0, len(item.needed_by) - WHY_NEEDED_BY),
        "unlocks": item.unlocks,
        "lane": item.lane,
        "cut_reason": item.cut_reason,
    }


@login_required
@require_safe
def step_page(request: AuthenticatedHttpRequest, kind: str, slug: str) -> HttpResponse:
    item = plan_item_or_404(request, kind, slug)
    return render_page(request, step_context(request, item))


def render_page(
    request: AuthenticatedHttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The whole step page. What it showed (new comments, say) counts as seen once it is rendered,
    never while: the step_viewed signal carries the moment before rendering."""
    viewed_at = timezone.now()
    response = render(request, TEMPLATE, context, status=status)
    if context["progress"] is not None:
        step_viewed.send(
            sender=render_page, learner=request.user, progress=context["progress"], viewed_at=viewed_at
        )
    return response


# ---------------------------------------------------------------- notes


@login_required
@require_POST
def step_notes(request: AuthenticatedHttpRequest, kind: str, slug: str) -> HttpResponse:
    """Save the notes, or with action=preview show them rendered without saving."""
    item = plan_item_or_404(request, kind, slug)
    form = NotesForm(request.POST)
    preview = request.POST.get("action") == "preview"
    if not form.is_valid():
        # htmx swaps only 2xx answers: the form with its errors comes back as 200 there, 400 otherwise.
        return notes_response(request, item, form=form, status=200 if request.htmx else 400)
    notes = form.cleaned_data["notes"]
    if preview:
        html = render_markdown(notes)
        if request.htmx:
            return render(request, f"{TEMPLATE}#notes-preview", {"preview_html": html, "previewing": True})
        return notes_response(request, item, form=form, preview_html=html, previewing=True)
    progress = note_save(
        learner=request.user, item=item, notes=notes, shared=form.cleaned_data["notes_shared"]
    )
    shared = " and shared with your mentors" if progress.notes_shared else ""
    notice = f"Notes saved{shared}." if notes else "Notes cleared."
    if request.htmx:
        return notes_response(request, item, progress=progress, notice=notice)
    messages.success(request, notice)
    return redirect(step_url(item, "notes"))


def notes_response(
    request: AuthenticatedHttpRequest,
    item: PlanItem,
    *,
    form: NotesForm | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The notes panel for htmx, or the whole page (a bound form keeps what the learner typed)."""
    if request.htmx:
        progress = extra.pop("progress", None) or progress_of(request, item)
        context = {**notes_context(item, progress), **extra}
    else:
        context = step_context(request, item, **extra)
    if form is not None:
        context["notes_form"] = form
    if request.htmx:
        return render(request, f"{TEMPLATE}#notes", context, status=status)
    return render_page(request, context, status=status)


# ---------------------------------------------------------------- evidence links


@login_required
@require_POST
def step_evidence_add(request: AuthenticatedHttpRequest, kind: str, slug: str) -> HttpResponse:
    item = plan_item_or_404(request, kind, slug)
    form = EvidenceForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            evidence_add(
                learner=request.user,
                item=item,
                url=form.cleaned_data["url"],
                label=form.cleaned_data["label"],
                kind=form.cleaned_data["kind"] or EvidenceLink.Kind.EVIDENCE,
            )
        except StepError as exc:
            error = str(exc)
            form.add_error("url", error)
    else:
        error = "The link was not added: " + " ".join(
            str(e) for errors in form.errors.values() for e in errors
        )
    if error:
        if request.htmx:
            return evidence_response(request, item, evidence_form=form)
        messages.error(request, error)
        return render_page(request, step_context(request, item, evidence_form=form), status=400)
    notice = "Link added."
    if request.htmx:
        return evidence_response(request, item, notice=notice)
    messages.success(request, notice)
    return redirect(step_url(item, "evidence"))


@login_required
@require_POST
def step_evidence_remove(request: AuthenticatedHttpRequest, kind: str, slug: str, pk: int) -> HttpResponse:
    item = plan_item_or_404(request, kind, slug)
    deleted = evidence_remove(learner=request.user, item=item, evidence_id=pk)
    notice = "Link removed." if deleted else "That link had already been removed."
    if request.htmx:
        return evidence_response(request, item, notice=notice)
    messages.success(request, notice)
    return redirect(step_url(item, "evidence"))


def evidence_response(request: AuthenticatedHttpRequest, item: PlanItem, **extra: Any) -> HttpResponse:
    """The evidence panel alone: its links in one query, whatever else the step holds."""
    context = {
        "item": item,
        "evidence": list(evidence_of(request, item)),
        "evidence_form": EvidenceForm(),
        **extra,
    }
    return render(request, f"{TEMPLATE}#evidence", context)


# ---------------------------------------------------------------- deliverables


@login_required
@require_POST
def step_deliverable(request: AuthenticatedHttpRequest, kind: str, slug: str, pk: int) -> HttpResponse:
    """Tick (checked=1) or untick (checked=0) one deliverable: idempotent, so double clicks are harmless."""
    item = plan_item_or_404(request, kind, slug)
    deliverable = get_object_or_404(Deliverable, pk=pk, project_id=item.project_id)
    checked = request.POST.get("checked")
    if checked not in ("0", "1"):
        notice = "Choose whether this deliverable is done."
        if request.htmx:
            return HttpResponse(notice, status=400, content_type="text/plain")
        messages.error(request, notice)
        return redirect(step_url(item, "deliverables"))
    progress = deliverable_set(learner=request.user, item=item, deliverable=deliverable, done=checked == "1")
    notice = f"Ticked off: {deliverable.text}" if checked == "1" else f"Not done yet: {deliverable.text}"
    if request.htmx:
        context = {"item": item, "notice": notice, **deliverables_context(item, progress)}
        return render(request, f"{TEMPLATE}#deliverables", context)
    messages.success(request, notice)
    return redirect(step_url(item, "deliverables"))


# ---------------------------------------------------------------- how to learn it


@login_required
@require_POST
def step_course_add(request: AuthenticatedHttpRequest, slug: str, course: str) -> HttpResponse:
    """Add one of the skill's courses to the plan (course_add says how); the "how to learn it"
    panel comes back with htmx, the step page without."""
    skill = plan_item_or_404(request, "skill", slug).skill
    assert skill is not None  # a skill step's item is a skill
    chosen = get_object_or_404(Course, slug=course, skills=skill)
    if limit_reached(request, group="plan-change", rate=settings.PLAN_CHANGE_RATE, key="user"):
        message = "Too many changes to your plan in a short time. Wait a minute, then try again."
        return render(request, "roadmap/status_limited.html", {"message": message}, status=429)
    try:
        notice, ok = course_add(learner=request.user, course=chosen, skill=skill), True
    except PlanError as error:
        notice, ok = str(error), False
    item = plan_item_or_404(request, "skill", slug)  # a re-plan writes the plan's items anew
    if request.htmx:
        learning = skill_learning(learner=request.user, skill=skill)
        context = {"item": item, "learning": learning, "learn_notice": notice}
        return render(request, f"{TEMPLATE}#learn", context)
    (messages.success if ok else messages.error)(request, notice)
    return redirect(step_url(item, "learn"))
