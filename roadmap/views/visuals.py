"""The learner's visuals: the map of their roadmap, and their activity (steps done per week, calendar, streaks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from roadmap.activity import activity_context
from roadmap.attachments import plan_map
from roadmap.forms import WeeklyGoalForm
from roadmap.models import Plan
from roadmap.selectors import Entry, plan_entries
from roadmap.services import GoalError, weekly_goal_set
from roadmap.visuals import MAP_STATUSES, STATUS_LABELS, map_status, map_svg


@login_required
@require_safe
def roadmap_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = Plan.objects.filter(learner=request.user).first()
    if plan is None:
        messages.info(request, "Tell us your goals first: your map is drawn from your plan.")
        return redirect("roadmap:onboarding")
    entries = plan_entries(plan)
    context = map_context(entries, request.GET, href=step_href(), whose="your")
    context["stages"] = map_list(entries, step_href())
    return render(request, "roadmap/map.html", context)


def map_context(
    entries: list[Entry], query: QueryDict, *, href: Callable[[str, str], str], whose: str
) -> dict[str, Any]:
    """The map of `entries` as the query asks: one stage (?stage=N) or all, one step in focus
    (?focus=kind:slug, lighting what it needs and unlocks) or none. Unknown values are ignored."""
    positions = {f"{e.kind}:{e.slug}": e.position for e in entries}
    focus = positions.get(query.get("focus", "")[:300])
    indexes = {e.stage_index for e in entries}
    stage = query.get("stage", "")
    shown = int(stage) if stage.isdigit() and int(stage) in indexes else None
    layout = plan_map(entries, stages=None if shown is None else {shown}, focus=focus)
    statuses = Counter(item.status for item in layout.nodes)
    kinds = Counter(item.kind for item in layout.nodes)
    stations = sum(len(band.stations) for band in layout.bands)
    where = f"stage {layout.bands[0].title}" if shown is not None and layout.bands else "roadmap"
    title = f"Map of {whose} {where}: {len(layout.nodes)} steps on {stations} stations"
    return {
        "layout": layout,
        "map_svg": mark_safe(map_svg(layout, href=href, title=title)),  # map_svg escapes every text
        "legend": [(status, STATUS_LABELS[status], statuses[status]) for status in MAP_STATUSES],
        "kinds": [
            (KIND_PLURALS[kind], kinds[kind]) for kind in KIND_PLURALS if kinds[kind] and kind != "skill"
        ],
        "skills": kinds["skill"],
        "stations": stations,
        "stage_links": _stage_links(entries, layout.current_stage),
        "shown_stage": shown,
        "focus": layout.focus,
        "focus_value": query.get("focus", "") if focus else "",
        "focus_choices": [
            {"value": f"{e.kind}:{e.slug}", "name": e.name, "stage": e.stage_title} for e in entries
        ],
    }


KIND_PLURALS = {
    "skill": "skills",
    "course": "courses",
    "certification": "certifications",
    "project": "projects",
}


def _stage_links(entries: list[Entry], current: int | None) -> list[dict[str, Any]]:
    stages: dict[int, dict[str, Any]] = {}
    for e in entries:
        row = stages.setdefault(
            e.stage_index, {"index": e.stage_index, "title": e.stage_title, "done": 0, "total": 0}
        )
        row["current"] = e.stage_index == current
        if e.status != "skipped" or e.known:
            row["total"] += 1
            row["done"] += e.complete
    return [stages[i] for i in sorted(stages)]


def step_href() -> Callable[[str, str], str]:
    """A step page's URL from kind and slug, reversing once rather than once per node."""
    pattern = reverse("roadmap:step", kwargs={"kind": "KIND", "slug": "SLUG"})
    return lambda kind, slug: pattern.replace("KIND", kind, 1).replace("SLUG", slug, 1)


def map_list(entries: list[Entry], href: Callable[[str, str], str]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The map's text alternative: each stage's steps with their status and what they need first."""
    names = {e.position: e.name for e in entries}
    stages: dict[int, tuple[str, list[dict[str, Any]]]] = {}
    for e in entries:
        status = map_status(status=e.status, known=e.known)
        stages.setdefault(e.stage_index, (e.stage_title, []))[1].append(
            {
                "entry": e,
                "href": href(e.kind, e.slug),
                "status": status,
                "status_label": STATUS_LABELS[status],
                "needs": ", ".join(names[n] for n in e.needs if n in names),
            }
        )
    return [stages[i] for i in sorted(stages)]


@login_required
@require_safe
def activity(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = activity_context(learner=request.user)
    context["goal_form"] = WeeklyGoalForm(
        initial={"unit": context["goal"].unit, "target": context["goal"].target}
    )
    return render(request, "roadmap/activity.html", context)


@login_required
@require_POST
def weekly_goal(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = WeeklyGoalForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, f"Your weekly goal was not saved: {errors}")
        return redirect(reverse("roadmap:activity") + "#goal")
    try:
        goal = weekly_goal_set(learner=request.user, **form.cleaned_data)
    except GoalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Your weekly goal: {goal.target} {goal.unit}.")
    return redirect(reverse("roadmap:activity") + "#goal")
