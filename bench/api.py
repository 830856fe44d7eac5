"""API budgets: every list endpoint answers in the same number of queries whatever the page size or
the plan's size, and the plan endpoint's median time at 1,000 steps is at most 4x that at 150."""

from __future__ import annotations

import time

from django.conf import settings
from django.test import Client

from accounts.models import User
from api.services import token_create
from bench.plans import synthetic_learner
from bench.timing import median_ms, queries
from roadmap.models import PlanItem, Progress, ProgressEvent

SIZES = (150, 1000)
PAGE_SIZES = (1, 100)
RUNS = 25
MAX_TIME_RATIO = 4.0
# Every paginated list of the API (tests/api checks each answers in the same queries at any page size).
LISTS = (
    "/api/v1/catalog/tracks",
    "/api/v1/catalog/skills",
    "/api/v1/catalog/courses",
    "/api/v1/catalog/certifications?status=all",
    "/api/v1/catalog/projects",
    "/api/v1/me/progress",
    "/api/v1/me/notes",
    "/api/v1/me/evidence",
    "/api/v1/me/deliverables",
    "/api/v1/me/activity",
    "/api/v1/mentees",
)


def _history(user: User) -> None:
    """Notes and status history on every tenth step, so the lists have pages to fill."""
    rows = Progress.objects.filter(learner=user).order_by("pk")[::10]
    for progress in rows:
        Progress.objects.filter(pk=progress.pk).update(notes="Bench note.", notes_shared=True)
        ProgressEvent.objects.create(progress=progress, from_status="not_started", to_status="in_progress")


def measure(size: int) -> tuple[dict[str, list[int]], int, float]:
    user = synthetic_learner(size, prefix=f"api{size}")
    _history(user)
    _, raw = token_create(user=user, name="bench", scope="read")
    client = Client(headers={"Authorization": f"Bearer {raw}"})

    def get(url: str) -> None:
        assert client.get(url).status_code == 200, url

    get("/api/v1/me")  # the token's last-used time is written once a minute: not in the counts
    counts = {}
    for url in LISTS:
        sep = "&" if "?" in url else "?"
        counts[url] = [queries(lambda u=f"{url}{sep}page_size={s}": get(u)) for s in PAGE_SIZES]  # type: ignore[misc]
    plan_queries = queries(lambda: get("/api/v1/me/plan"))
    assert PlanItem.objects.filter(plan__learner=user).count() >= size * 0.9
    # CPU time of this process (the server's work, SQLite's included): steadier than the wall clock
    # on a machine other programs share.
    return counts, plan_queries, median_ms(lambda: get("/api/v1/me/plan"), RUNS, clock=time.process_time)


def run() -> bool:
    settings.API_RATE = "1000000/m"  # one busy client on purpose
    figures = {size: measure(size) for size in SIZES}
    ok = True
    for url in LISTS:
        per_size = [figures[size][0][url] for size in SIZES]
        flat = {count for counts in per_size for count in counts}
        holds = len(flat) == 1
        ok = ok and holds
        shown = ", ".join(f"{counts} at {size} steps" for size, counts in zip(SIZES, per_size, strict=True))
        print(f"{url}: queries at page sizes {list(PAGE_SIZES)}: {shown} -> {'ok' if holds else 'NOT MET'}")
    plan_counts = [figures[size][1] for size in SIZES]
    times = [figures[size][2] for size in SIZES]
    ratio = times[-1] / times[0]
    holds = len(set(plan_counts)) == 1 and ratio <= MAX_TIME_RATIO
    ok = ok and holds
    print(
        f"/api/v1/me/plan: queries {plan_counts} at {list(SIZES)} steps; median "
        + ", ".join(f"{t:.1f} ms at {s}" for s, t in zip(SIZES, times, strict=True))
        + f"; ratio {ratio:.2f}x (budget {MAX_TIME_RATIO}x) -> {'ok' if holds else 'NOT MET'}"
    )
    return ok
