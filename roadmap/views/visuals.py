"""The learner's visuals: the map of their roadmap, and their activity (steps done per week, calendar, streaks)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Profile, today_in, zone_or_utc
from roadmap.models import Plan, Progress, ProgressEvent
from roadmap.selectors import Entry, plan_entries
from roadmap.visuals import (
    CALENDAR_WEEKS,
    CHART_WEEKS,
    MAP_STATUSES,
    STATUS_LABELS,
    activity_calendar,
    map_layout,
    map_status,
    map_svg,
    streaks,
    weekly_chart,
)


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
    learner = request.user
    time_zone = Profile.objects.filter(user=learner).values_list("time_zone", flat=True).first()
    zone, today = zone_or_utc(time_zone), today_in(time_zone)
    events = ProgressEvent.objects.filter(progress__learner=learner).order_by()
    local_day = TruncDate("at", tzinfo=zone)
    # Every day with a status change, for the calendar and both streaks (the longest may be old).
    per_day = dict(
        events.annotate(day=local_day).values("day").annotate(n=Count("id")).values_list("day", "n")
    )
    # A day of margin: the week's first local day may start before midnight UTC.
    since = dt.datetime.combine(today - dt.timedelta(weeks=CHART_WEEKS), dt.time(), tzinfo=dt.UTC)
    done = (
        events.filter(to_status=Progress.Status.DONE, at__gte=since - dt.timedelta(days=1))
        .annotate(day=local_day)
        .values_list("day", "progress_id")
    )
    current, longest = streaks(per_day, today=today)
    context = {
        "chart": weekly_chart(done, today=today),
        "calendar": activity_calendar(per_day, today=today),
        "current_streak": current,
        "longest_streak": longest,
        "today": today,
        "chart_weeks": CHART_WEEKS,
        "calendar_weeks": CALENDAR_WEEKS,
        "zone": zone,
    }
    return render(request, "roadmap/activity.html", context)
