"""Re-planning budgets: a re-plan (the plan page's pace button, which rebuilds the whole plan) and
onboarding's live preview each answer in at most 10 queries, and their median server time at 1,000
steps is at most 4x that at 150."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile, User
from bench.plans import synthetic_learner
from bench.timing import median_ms, queries

SIZES = (150, 1000)
RUNS = 15
MAX_QUERIES = 10
MAX_TIME_RATIO = 4.0


def measure(size: int) -> dict[str, float]:
    user: User = synthetic_learner(size, prefix=f"replan{size}")
    Profile.objects.filter(user=user).update(onboarded_at=timezone.now())
    client = Client()
    client.force_login(user)
    pace_url = reverse("roadmap:plan_pace")
    preview_url = reverse("roadmap:onboarding_preview")
    track = user.profile.tracks.get()
    hours = iter([9, 8] * (RUNS + 10))

    def replan() -> None:
        assert client.post(pace_url, {"hours_per_week": next(hours)}).status_code == 302

    def preview() -> None:
        params: dict[str, Any] = {"tracks": [track.pk], "hours_per_week": "10", "time_zone": "UTC"}
        assert client.get(preview_url, params, headers={"HX-Request": "true"}).status_code == 200

    replan()
    preview()  # the catalog's graph is cached from the first read on
    return {
        "replan_request_queries": queries(replan),
        "replan_queries": work_queries(replan),
        "preview_queries": queries(preview),
        "replan_ms": median_ms(replan, RUNS),
        "preview_ms": median_ms(preview, RUNS),
    }


def work_queries(request: Callable[[], object]) -> int:
    """The request's queries less those every logged-in request makes (the session, the user) and the
    transaction's BEGIN/COMMIT/SAVEPOINT lines: the re-plan's own work."""
    with CaptureQueriesContext(connection) as captured:
        request()
    overhead = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    work = [q["sql"] for q in captured if not q["sql"].startswith(overhead)]
    return len([sql for sql in work if '"django_session"' not in sql and 'FROM "accounts_user"' not in sql])


def run() -> bool:
    figures = {size: measure(size) for size in SIZES}
    small, large = figures[SIZES[0]], figures[SIZES[-1]]
    ok = True
    for name in ("replan", "preview"):
        counts = [figures[s][f"{name}_queries"] for s in SIZES]
        ratio = large[f"{name}_ms"] / small[f"{name}_ms"]
        holds = max(counts) <= MAX_QUERIES and ratio <= MAX_TIME_RATIO
        ok = ok and holds
        times = ", ".join(f"{figures[s][f'{name}_ms']:.1f} ms at {s}" for s in SIZES)
        if name == "replan":
            whole = [figures[s]["replan_request_queries"] for s in SIZES]
            print(f"replan: the whole request (session, user, transaction lines included) {whole} queries")
        print(
            f"{name}: queries {counts} at {list(SIZES)} steps (budget {MAX_QUERIES}); median {times}; "
            f"ratio {ratio:.2f}x (budget {MAX_TIME_RATIO}x) -> {'ok' if holds else 'NOT MET'}"
        )
    return ok
