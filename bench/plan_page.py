"""The plan page's budgets: same query count at 150 and 1,000 steps (at most 12), median server time
at 1,000 steps at most 4x that at 150, and a status change in at most 8 queries."""

from __future__ import annotations

import time

from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User
from bench.plans import synthetic_learner
from bench.report import table, verdicts
from bench.timing import median_ms, queries
from roadmap.models import PlanItem

SIZES = (150, 1000)
RUNS = 40
MAX_PAGE_QUERIES = 12
MAX_STATUS_QUERIES = 8
MAX_TIME_RATIO = 4.0
HTMX = {"HX-Request": "true"}
# The plan page caches its data and layout per state of the plan: the budgets are about the work
# behind it, so they are measured with a cache that keeps nothing; "from the cache" is a reload.
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def measure(size: int) -> dict[str, float]:
    user: User = synthetic_learner(size, prefix=f"bench{size}")
    client = Client()
    client.force_login(user)
    item = (
        PlanItem.objects.filter(plan__learner=user, skill__isnull=False)
        .order_by("-position")
        .select_related("skill")
        .first()
    )
    assert item is not None and item.skill is not None
    status_url = reverse("roadmap:step_status", args=["skill", item.skill.slug])
    plan_url = reverse("roadmap:plan")
    statuses = iter(["done", "in_progress"] * (RUNS + 10))

    def page() -> None:
        assert client.get(plan_url).status_code == 200

    def uncached_page() -> None:
        with override_settings(CACHES=NO_CACHE):
            page()

    def change_htmx() -> None:
        assert client.post(status_url, {"status": next(statuses)}, headers=HTMX).status_code == 200

    def change_plain() -> None:
        assert client.post(status_url, {"status": next(statuses)}).status_code == 302

    def stage() -> None:
        assert client.get(reverse("roadmap:plan_stage", args=[2]), headers=HTMX).status_code == 200

    page()  # into the cache
    return {
        "items": PlanItem.objects.filter(plan__learner=user).count(),
        "page_queries": queries(uncached_page),
        "page_ms": median_ms(uncached_page, RUNS),
        "page_cpu_ms": median_ms(uncached_page, RUNS, time.process_time),
        "cached_page_queries": queries(page),
        "cached_page_ms": median_ms(page, RUNS),
        "cached_page_cpu_ms": median_ms(page, RUNS, time.process_time),
        "stage_queries": queries(stage),
        "htmx_change_queries": queries(change_htmx),
        "plain_change_queries": queries(change_plain),
        "htmx_change_ms": median_ms(change_htmx, RUNS),
        "htmx_change_cpu_ms": median_ms(change_htmx, RUNS, time.process_time),
    }


def run() -> bool:
    small, big = (measure(size) for size in SIZES)
    table(
        {f"{SIZES[0]} steps": small, f"{SIZES[1]} steps": big},
        [
            ("plan items", "items"),
            ("plan page: queries", "page_queries"),
            ("plan page: median server time (ms)", "page_ms"),
            ("  of which CPU time of the web process (ms)", "page_cpu_ms"),
            ("plan page from the cache: queries", "cached_page_queries"),
            ("plan page from the cache: median time (ms)", "cached_page_ms"),
            ("  of which CPU time of the web process (ms)", "cached_page_cpu_ms"),
            ("a stage loaded on demand: queries", "stage_queries"),
            ("status change with htmx: queries", "htmx_change_queries"),
            ("status change without JS (PRG): queries", "plain_change_queries"),
            ("status change with htmx: median time (ms)", "htmx_change_ms"),
            ("  of which CPU time of the web process (ms)", "htmx_change_cpu_ms"),
        ],
    )
    ratio = big["page_ms"] / small["page_ms"]
    budgets = [
        (
            f"plan page queries equal at both sizes and <= {MAX_PAGE_QUERIES}",
            small["page_queries"] == big["page_queries"] <= MAX_PAGE_QUERIES,
        ),
        (
            f"median time at {SIZES[1]} <= {MAX_TIME_RATIO:g}x that at {SIZES[0]} (is {ratio:.2f}x)",
            ratio <= MAX_TIME_RATIO,
        ),
        (
            f"a status change takes <= {MAX_STATUS_QUERIES} queries",
            max(
                small["htmx_change_queries"],
                small["plain_change_queries"],
                big["htmx_change_queries"],
                big["plain_change_queries"],
            )
            <= MAX_STATUS_QUERIES,
        ),
    ]
    return verdicts(budgets)
