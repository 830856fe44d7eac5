"""The learner's plan: the page, a stage's rows on demand, one-click status changes, readiness."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest, safe_next
from accounts.throttling import limit_reached
from catalog.models import ITEM_FIELDS
from catalog.versioning import content_cached
from config import caching, jinja
from roadmap.choices import StageRow
from roadmap.models import OwnStep, Plan, Progress
from roadmap.selectors import (
    Entry,
    PlanHead,
    PlanPage,
    PlanSummary,
    StageBar,
    certification_readiness,
    is_hidden,
    learner_entries,
    plan_head,
    plan_page_data,
    plan_shape,
    plan_stage_rows,
    shown,
    summarise,
)
from roadmap.services import step_set_status

HIDE_CHOICES = ("done", "skipped")
STAGE_INDEX_MAX = 32767  # PlanItem.stage_index is a PositiveSmallIntegerField
STATUS_LIMITED = "Too many status changes in a short time. Wait a minute, then try again."
# The plan page's data and its open stage's rows are cached under a key that changes with all
# they show (page_key); catalog edits (names, the skills an exam validates) show within this.
PAGE_CACHE_SECONDS = 300
# The page's content and its fragments (Jinja2: config/jinja.py), in the frame of roadmap/plan.html.
PAGE = "roadmap/plan.jinja"


def fragment(
    request: AuthenticatedHttpRequest, block: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """One block of the plan page's content, for htmx."""
    return HttpResponse(jinja.render_block(request, PAGE, block, context), status=status)


def hide_options(params: QueryDict) -> list[str]:
    return [h for h in HIDE_CHOICES if h in params.getlist("hide")]


def plan_url(*, stage: int | None = None, hide: Collection[str] = (), anchor: str = "") -> str:
    query: list[tuple[str, Any]] = [("stage", stage)] if stage is not None else []
    query += [("hide", h) for h in hide]
    url = reverse("roadmap:plan") + (f"?{urlencode(query)}" if query else "")
    return f"{url}#{anchor}" if anchor else url


def own_steps(request: AuthenticatedHttpRequest) -> list[OwnStep]:
    return list(OwnStep.objects.filter(learner=request.user).select_related("stage"))


def base_context(summary: PlanSummary, hide: list[str]) -> dict[str, Any]:
    return {
        "summary": summary,
        "hide": hide,
        "hide_query": urlencode([("hide", h) for h in hide]),
    }


def page_key(head: PlanHead) -> str:
    return f"plan-page:{head.state_key}"


def cached[T](key: str, make: Callable[[], T]) -> T:
    """The plan page's data, kept for PAGE_CACHE_SECONDS, and copied in this process (config.caching)."""
    return caching.cached_with_copy(key, make, PAGE_CACHE_SECONDS)


def stages_current_first(
    summary: PlanSummary, shapes: dict[int, StageRow]
) -> list[tuple[StageBar, StageRow | None, bool]]:
    """(stage, its shape, finished) with the current stage first, then the later stages, then the
    finished ones: the order a learner on a phone reads them in (the desktop CSS shows plan order)."""
    current = summary.current_stage
    rows = [
        (stage, shapes.get(stage.index), current is not None and stage.index < current)
        for stage in summary.stages
    ]
    return [row for row in rows if not row[2]] + [row for row in rows if row[2]]


@login_required
@require_safe
def plan_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    head = plan_head(request.user.pk)
    if head is None:
        return redirect("roadmap:onboarding")
    hide = hide_options(request.GET)
    key = page_key(head)

    @functools.cache
    def plan() -> Plan:  # read only when the cache has not the page's data
        return Plan.objects.select_related("learner").get(pk=head.plan_id)

    def page_data() -> PlanPage:
        # Kept per build (tracks, choices and hidden stages all rebuild) and catalog version, not
        # per status like the page's data: a status change does not read them again.
        shape = content_cached(
            f"plan-shape:{head.plan_id}:{head.built_at.isoformat()}", lambda: plan_shape(learner=request.user)
        )
        return plan_page_data(plan=plan(), pace=head.pace, shape=shape)

    data = cached(key, page_data)
    summary = data.summary
    requested = request.GET.get("stage", "")
    open_stage = summary.current_stage
    if requested.isdigit() and summary.stage(int(requested)):
        open_stage = int(requested)
    # Only the open stage's rows are read and rendered; the others load when opened.
    rows = data.current_rows
    if open_stage != summary.current_stage and open_stage is not None:
        stage = open_stage
        rows = cached(f"{key}:{stage}", lambda: plan_stage_rows(plan=plan(), stage_index=stage))
    context = base_context(summary, hide) | {
        "plan": head,
        "open_stage": open_stage,
        "rows": shown(rows, hide),
        "readiness": data.readiness,
        "stage_list": stages_current_first(summary, data.shapes),
        "hidden_stages": [row for row in data.shapes.values() if row.hidden],
        "choice_groups": data.choice_groups,
        "later": data.later,
        "own_steps": own_steps(request) if head.own_steps else [],
        "statuses": Progress.Status.choices,
    }
    # The frame gets the context too: what the page shows stays readable in response.context.
    return render(request, "roadmap/plan.html", context | {"content": jinja.render(request, PAGE, context)})


@login_required
@require_safe
def plan_stage(request: AuthenticatedHttpRequest, index: int) -> HttpResponse:
    """One stage's rows, loaded when the learner opens it; without htmx, the plan page with it open."""
    hide = hide_options(request.GET)
    if not request.htmx:
        return redirect(plan_url(stage=index, hide=hide, anchor=f"stage-{index}"))
    # PlanItem.stage_index is a small integer: no stage lies past it (and SQLite's INTEGER would overflow).
    if index > STAGE_INDEX_MAX:
        raise Http404("No such stage.")
    plan = Plan.objects.filter(learner=request.user).first()
    if plan is None:
        raise Http404("You have no plan yet.")
    rows = plan_stage_rows(plan=plan, stage_index=index, hide=hide)
    return fragment(request, "stage_rows", {"rows": rows, "hide": hide})


@login_required
@require_safe
def plan_readiness(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = Plan.objects.filter(learner=request.user).first()
    if plan is None:
        raise Http404("You have no plan yet.")
    return fragment(request, "readiness", {"readiness": certification_readiness(plan=plan)})


def status_redirect(request: AuthenticatedHttpRequest, entry: Entry, hide: list[str]) -> HttpResponse:
    """Back where the learner came from (a safe `next`), else to the item's stage on the plan page."""
    target = safe_next(request, "")
    if target:
        # Not redirect(target): it would take a `next` such as "0" for a view name (NoReverseMatch).
        return HttpResponseRedirect(target)
    return redirect(plan_url(stage=entry.stage_index, hide=hide, anchor=entry.dom_id))


@login_required
@require_POST
def step_status(request: AuthenticatedHttpRequest, kind: str, slug: str) -> HttpResponse:
    """Set one step's status: the changed parts for htmx, a redirect back (PRG) without JavaScript."""
    if kind not in ITEM_FIELDS:
        raise Http404("No such kind of step.")
    if limit_reached(request, group="step-status", rate=settings.STEP_STATUS_RATE, key="user"):
        return status_limited(request)
    # The whole plan in one read: the step, its status as seen, and what the response shows.
    entries, pace = learner_entries(request.user)
    entry = next((e for e in entries if e.kind == kind and e.slug == slug), None)
    if entry is None or pace is None:
        raise Http404("This step is not in your plan.")
    hide = hide_options(request.POST)
    status = request.POST.get("status", "")
    if status not in Progress.Status.values:
        message = "Choose a status: not started, in progress, done or skipped."
        if request.htmx:
            return HttpResponse(message, status=400, content_type="text/plain")
        messages.error(request, message)
        return status_redirect(request, entry, hide)
    new_status = step_set_status(
        learner=request.user,
        kind=kind,
        item_id=entry.item_id,
        status=status,
        seen=entry.status,
        progress_id=entry.progress_id,
        by=request.user,
    )
    if not request.htmx:
        return status_redirect(request, entry, hide)
    changed = dataclasses.replace(entry, status=new_status)
    entries = [changed if e.position == entry.position else e for e in entries]
    return status_fragments(request, changed, summarise(entries, pace), hide)


def status_limited(request: AuthenticatedHttpRequest) -> HttpResponse:
    """429: for htmx, the message in the page's announcement area, shown (base.html lets 429 swap)."""
    if request.htmx:
        response = fragment(request, "announce", {"message": STATUS_LIMITED}, status=429)
        response["HX-Retarget"] = "#plan-announce"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "roadmap/status_limited.html", {"message": STATUS_LIMITED}, status=429)


def status_fragments(
    request: AuthenticatedHttpRequest, row: Entry, summary: PlanSummary, hide: list[str]
) -> HttpResponse:
    """The row itself, plus out-of-band swaps of the bars, the stage's count, "next up" and an announcement."""
    context = base_context(summary, hide) | {"row": row, "oob": True, "stage": summary.stage(row.stage_index)}
    names = ([] if is_hidden(row, hide) else ["row"]) + ["progress", "next_up", "announce"]
    names += ["stage_count"] if context["stage"] else []
    response = HttpResponse(jinja.render_blocks(request, PAGE, names, context))
    # Panels that depend on the change but are not in this response (readiness) refresh themselves.
    response["HX-Trigger"] = "plan-changed"
    return response
