"""The learner's plan: the page, a stage's rows on demand, one-click status changes, readiness."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from roadmap.models import ITEM_FIELDS, Plan, PlanItem, Progress
from roadmap.selectors import (
    PlanRow,
    PlanSummary,
    certification_readiness,
    is_hidden,
    plan_stage_rows,
    plan_summary,
)
from roadmap.services import step_set_status

HIDE_CHOICES = ("done", "skipped")


class LearnerRequest(HttpRequest):
    """A request behind @login_required, with django-htmx's details."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


STATUS_CHOICES = Progress.Status.choices


def hide_options(params: QueryDict) -> list[str]:
    return [h for h in HIDE_CHOICES if h in params.getlist("hide")]


def plan_url(*, stage: int | None = None, hide: Collection[str] = (), anchor: str = "") -> str:
    query: list[tuple[str, Any]] = [("stage", stage)] if stage is not None else []
    query += [("hide", h) for h in hide]
    url = reverse("roadmap:plan") + (f"?{urlencode(query)}" if query else "")
    return f"{url}#{anchor}" if anchor else url


def learner_plan(request: LearnerRequest) -> Plan | None:
    """The requesting learner's plan with their user and profile, in one query."""
    return Plan.objects.select_related("learner__profile").filter(learner=request.user).first()


def base_context(plan: Plan, summary: PlanSummary, hide: list[str]) -> dict[str, Any]:
    return {
        "plan": plan,
        "summary": summary,
        "hide": hide,
        "hide_query": urlencode([("hide", h) for h in hide]),
        "statuses": STATUS_CHOICES,
    }


@login_required
@require_safe
def plan_page(request: LearnerRequest) -> HttpResponse:
    plan = learner_plan(request)
    if plan is None:
        return redirect("accounts:onboarding")
    hide = hide_options(request.GET)
    summary = plan_summary(plan=plan, profile=plan.learner.profile)
    stage_indexes = {stage.index for stage in summary.stages}
    requested = request.GET.get("stage", "")
    open_stage = (
        int(requested) if requested.isdigit() and int(requested) in stage_indexes else summary.current_stage
    )
    context = base_context(plan, summary, hide) | {
        "open_stage": open_stage,
        "rows": plan_stage_rows(plan=plan, stage_index=open_stage, hide=hide)
        if open_stage is not None
        else [],
        "readiness": certification_readiness(plan=plan),
    }
    return render(request, "roadmap/plan.html", context)


@login_required
@require_safe
def plan_stage(request: LearnerRequest, index: int) -> HttpResponse:
    """One stage's rows, loaded when the learner opens it; without htmx, the plan page with it open."""
    hide = hide_options(request.GET)
    if not request.htmx:
        return redirect(plan_url(stage=index, hide=hide, anchor=f"stage-{index}"))
    plan = learner_plan(request)
    if plan is None:
        raise Http404("You have no plan yet.")
    rows = plan_stage_rows(plan=plan, stage_index=index, hide=hide)
    context = {"rows": rows, "hide": hide, "statuses": STATUS_CHOICES}
    return render(request, "roadmap/plan.html#stage-rows", context)


@login_required
@require_safe
def plan_readiness(request: LearnerRequest) -> HttpResponse:
    plan = learner_plan(request)
    if plan is None:
        raise Http404("You have no plan yet.")
    return render(request, "roadmap/plan.html#readiness", {"readiness": certification_readiness(plan=plan)})


def status_redirect(request: LearnerRequest, item: PlanItem, row_id: str, hide: list[str]) -> HttpResponse:
    """Back where the learner came from (a safe `next`), else to the item's stage on the plan page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(plan_url(stage=item.stage_index, hide=hide, anchor=row_id))


@login_required
@require_POST
def step_status(request: LearnerRequest, kind: str, slug: str) -> HttpResponse:
    """Set one step's status: the changed parts for htmx, a redirect back (PRG) without JavaScript."""
    if kind not in ITEM_FIELDS:
        raise Http404("No such kind of step.")
    items = PlanItem.objects.select_related("plan__learner__profile", kind)
    item = get_object_or_404(items, plan__learner=request.user, **{f"{kind}__slug": slug})
    hide = hide_options(request.POST)
    status = request.POST.get("status", "")
    if status not in Progress.Status.values:
        message = "Choose a status: not started, in progress, done or skipped."
        if request.htmx:
            return HttpResponse(message, status=400, content_type="text/plain")
        messages.error(request, message)
        return status_redirect(request, item, f"item-{kind}-{slug}", hide)
    progress = step_set_status(
        learner=request.user, kind=kind, item_id=item.item_key[1], status=status, by=request.user
    )
    row = PlanRow(item, progress.status)
    if not request.htmx:
        return status_redirect(request, item, row.dom_id, hide)
    return status_fragments(request, row, hide)


def status_fragments(request: LearnerRequest, row: PlanRow, hide: list[str]) -> HttpResponse:
    """The row itself, plus out-of-band swaps of the bars, the stage's count and "next up"."""
    plan = row.item.plan
    summary = plan_summary(plan=plan, profile=plan.learner.profile)
    context = base_context(plan, summary, hide) | {"row": row, "oob": True}
    stage = next((s for s in summary.stages if s.index == row.item.stage_index), None)
    hidden = is_hidden(status=row.status, known=row.item.known, hide=hide)
    parts = [
        "" if hidden else render_to_string("roadmap/plan.html#row", context, request),
        render_to_string("roadmap/plan.html#progress", context, request),
        render_to_string("roadmap/plan.html#next-up", context, request),
        render_to_string("roadmap/plan.html#announce", context | {"status_label": row.status_label}, request),
    ]
    if stage is not None:
        parts.append(render_to_string("roadmap/plan.html#stage-count", context | {"stage": stage}, request))
    response = HttpResponse("".join(parts))
    # Panels that depend on the change but not on this response (readiness) refresh themselves.
    response["HX-Trigger"] = "plan-changed"
    return response
