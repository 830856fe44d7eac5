"""The learner's visuals: the map of their roadmap, and their activity (steps done per week, calendar, streaks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from roadmap.activity import GoalError, activity_context, weekly_goal_set
from roadmap.forms import WeeklyGoalForm
from roadmap.models import Plan
from roadmap.selectors import Entry, plan_entries
from roadmap.visuals import MAP_STATUSES, STATUS_LABELS, map_layout, map_status, map_svg


@login_required
@require_safe
def roadmap_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = Plan.objects.filter(learner=request.user).first()
    if plan is None:
        messages.info(request, "Tell us your goals first: your map is drawn from your plan.")
        return redirect("roadmap:onboarding")
    entries = plan_entries(plan)
    layout = map_layout(entries)
    counts = Counter(node.status for node in layout.nodes)
    href = step_href()
    title = f"Map of your roadmap: {len(layout.nodes)} steps in {layout.layers} columns"
    context = {
        "layout": layout,
        "map_svg": mark_safe(map_svg(layout, href=href, title=title)),  # map_svg escapes every text
        "legend": [(status, STATUS_LABELS[status], counts[status]) for status in MAP_STATUSES],
        "stages": map_list(entries, href),
    }
    return render(request, "roadmap/map.html", context)


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
