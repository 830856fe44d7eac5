"""Proved at scale (PostgreSQL only): the plan page, a status change, the mentor dashboard and the
reminder sweep timed on a small database, then again once 100,000 learners and 5 million progress
rows are loaded (COPY, bench/scale_data.py); each median at scale within 1.5x of its small figure,
with the EXPLAIN (ANALYZE, BUFFERS) of the hot queries at scale.

SCALE_LEARNERS and SCALE_PROGRESS override the size (e.g. 5000 and 250000 for a quick run),
SCALE_SMALL the small database's learners (1,000), SCALE_MENTORS the mentors (learners / 100),
SCALE_RUNS the timed runs per median (30, in 5 rounds alternating between the two databases).
"""

from __future__ import annotations

import itertools
import os
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from bench.report import verdicts
from bench.scale_data import (
    BIG_MENTEES,
    MEASURED,
    Load,
    Population,
    Shape,
    population_load,
    template_create,
)
from reminders.services import reminders_sweep
from roadmap.models import PlanItem

MAX_RATIO = 1.5
HTMX = {"HX-Request": "true"}
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# The tables whose size grows with the learners: a query reading one of them is a hot query.
HOT = (
    "roadmap_progress",
    "roadmap_planitem",
    "roadmap_plan",
    "roadmap_progressevent",
    "roadmap_stepcomment",
    "roadmap_projectreview",
    "roadmap_reminderlog",
    "accounts_mentorship",
    "accounts_profile",
    "reminders_reminderpreference",
    "accounts_user",
)
BIG_TABLE = 10_000  # rows: a sequential scan of a table this size is flagged
ROUNDS = 5  # alternating rounds of runs on the small and on the full database
HOT_TABLE = re.compile(rf"\b({'|'.join(HOT)})\b")
FULL_PLANS = 3  # per measurement, the slowest hot queries printed in full; the others in one line


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass
class Measurement:
    """One view's median time and the queries one request ran (SQL, seconds)."""

    label: str
    ms: float
    queries: list[tuple[str, float]] = field(default_factory=list)


def use(database: str) -> None:
    """Point the default connection at another database of the server (reconnects on next use)."""
    connection.close()
    connection.settings_dict["NAME"] = database


def server(statement: str) -> None:
    """Run CREATE/DROP DATABASE from the server's maintenance database (no session on the others)."""
    params = {**connection.get_connection_params(), "dbname": "postgres"}
    with psycopg.connect(autocommit=True, **params) as admin:
        admin.execute(statement)


def database_clone(source: str, target: str) -> None:
    connection.close()  # a template must have no other sessions
    server(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(target)} WITH (FORCE)")
    server(
        f"CREATE DATABASE {connection.ops.quote_name(target)} TEMPLATE {connection.ops.quote_name(source)}"
    )


def captured(request: Callable[[], object]) -> list[tuple[str, float]]:
    with CaptureQueriesContext(connection) as queries:
        request()
    return [(q["sql"], float(q["time"])) for q in queries.captured_queries]


def views(population: Population) -> list[tuple[str, Callable[[], None]]]:
    """The four measurements, on the measured learner, mentor 0 and the due set, in the current database."""
    learner = User.objects.get(pk=population.user_id(MEASURED))
    mentor = User.objects.get(pk=population.mentor_id(0))
    item = PlanItem.objects.filter(plan__learner=learner, skill__isnull=False).select_related("skill").last()
    assert item is not None and item.skill is not None
    learner_client, mentor_client = Client(), Client()
    learner_client.force_login(learner)
    mentor_client.force_login(mentor)
    plan_url, dashboard_url = reverse("roadmap:plan"), reverse("mentoring:dashboard")
    status_url = reverse("roadmap:step_status", args=["skill", item.skill.slug])
    statuses = itertools.cycle(["done", "in_progress"])

    def page() -> None:
        assert learner_client.get(plan_url).status_code == 200

    def change() -> None:
        response = learner_client.post(status_url, {"status": next(statuses)}, headers=HTMX)
        assert response.status_code == 200

    def dashboard() -> None:
        response = mentor_client.get(dashboard_url)
        assert response.status_code == 200 and response.context["page_obj"].paginator.count == BIG_MENTEES

    def sweep() -> None:
        # The sweep's own work (select, log, advance) is timed and rolled back, so each run finds
        # the same learners due; nothing reaches the broker (its enqueue waits for a commit).
        with transaction.atomic():
            due = reminders_sweep(now=population.t.now).due
            transaction.set_rollback(True)
        assert due == population.shape.due, due

    return [
        ("plan page (uncached)", page),
        ("status change (htmx)", change),
        (f"mentor dashboard ({BIG_MENTEES} mentees)", dashboard),
        (f"reminder sweep ({population.shape.due:,} due)", sweep),
    ]


@override_settings(
    CACHES=NO_CACHE
)  # the work behind each page, never a cached copy (nor the other database's)
def measure(
    population: Population, databases: dict[str, str], *, runs: int, rounds: int
) -> dict[str, list[Measurement]]:
    """Median times of the four views in each database, in `rounds` alternating rounds, so that
    the other load on the machine weighs on both sizes alike; the queries of one request each."""
    prepared = {}
    for key, name in databases.items():
        use(name)
        prepared[key] = views(population)
    times: dict[str, dict[str, list[float]]] = {key: defaultdict(list) for key in databases}
    for _ in range(rounds):
        for key, name in databases.items():
            use(name)
            for label, view in prepared[key]:
                view()  # warm the new connection and the database's caches first
                for _ in range(max(runs // rounds, 1)):
                    started = time.perf_counter()
                    view()
                    times[key][label].append((time.perf_counter() - started) * 1000)
    results = {}
    for key, name in databases.items():
        use(name)
        results[key] = [
            Measurement(label, statistics.median(times[key][label]), captured(view))
            for label, view in prepared[key]
        ]
    return results


def explain(query: str) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of one captured statement; writes are run and rolled back."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query)
        lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return "\n".join(lines)


def shape_of(query: str) -> str:
    """The statement without its literals: the sweep's one UPDATE per schedule is one shape."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", query)


def scans(plan: str) -> list[str]:
    """The plan's table reads, e.g. 'Index Scan using x on roadmap_progress'."""
    found = re.findall(
        r"((?:Parallel )?(?:Seq|Index Only|Index|Bitmap Heap|Bitmap Index) Scan (?:using \S+ )?on \S+)", plan
    )
    return sorted(set(found))  # without the aliases: one line per index and table


def print_explains(measurement: Measurement) -> list[str]:
    """Print the hot queries' plans; return the sequential scans of hot tables found."""
    shapes: dict[str, tuple[str, float, int]] = {}
    for query, seconds in measurement.queries:
        if not query.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT", "DELETE", "WITH")):
            continue
        if not HOT_TABLE.search(query):
            continue
        shape = shape_of(query)
        _, total, count = shapes.get(shape, (query, 0.0, 0))
        shapes[shape] = (query, total + seconds, count + 1)
    ranked = sorted(shapes.values(), key=lambda s: -s[1])
    print(f"\n-- {measurement.label}: {len(measurement.queries)} queries, {len(ranked)} hot --")
    seq = []
    for n, (query, _, count) in enumerate(ranked):
        plan = explain(query)
        reads = scans(plan)
        seq += [
            f"{measurement.label}, query [{n + 1}]: {s} ({rows:,.0f} rows)"
            for s in reads
            if s.startswith(("Seq", "Parallel Seq"))
            and (rows := table_rows(s.rsplit(" ", 1)[-1])) >= BIG_TABLE
        ]
        times = f" x{count}" if count > 1 else ""
        executed = re.search(r"Execution Time: ([\d.]+) ms", plan)
        took = f"{float(executed.group(1)):.2f} ms" if executed else "?"
        print(f"[{n + 1}] {took}{times}: {'; '.join(reads) or 'no table scan'}")
        if n < FULL_PLANS:
            print("    " + query[:600] + (" ..." if len(query) > 600 else ""))
            print("    " + plan.replace("\n", "\n    "))
    return seq


def table_rows(table: str) -> float:
    """The planner's row count of a table (ANALYZE keeps it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        row = cursor.fetchone()
    return float(row[0]) if row else 0.0


def superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def print_load(label: str, load: Load) -> None:
    print(f"{label}: {load.total_rows:,} rows in {load.total_seconds:.1f} s")
    for table, rows in load.rows.items():
        print(f"  {table:34}{rows:>12,}{load.seconds[table]:>9.1f} s")


def run() -> bool:
    if not settings.IS_POSTGRES:
        print("Not run: needs PostgreSQL (DATABASE_URL).")
        return True
    learners = env_int("SCALE_LEARNERS", 100_000)
    shape = Shape.of(
        learners=learners,
        progress=env_int("SCALE_PROGRESS", 5_000_000),
        mentors=env_int("SCALE_MENTORS", 0) or None,
    )
    small = min(max(env_int("SCALE_SMALL", 1_000), BIG_MENTEES + 1, shape.due), shape.learners - 1)
    runs = env_int("SCALE_RUNS", 30)
    template = template_create(steps=shape.steps)
    population = Population(shape, template)
    print(
        f"{shape.learners:,} learners, {population.steps} plan items and progress rows each, "
        f"{shape.mentors:,} mentors (mentor 0 with {BIG_MENTEES} mentees), {shape.due:,} due at the sweep"
    )

    main = connection.settings_dict["NAME"]
    small_db = f"{main}_small"
    loaded = population_load(shape, template, start=0, stop=small)
    print_load(f"Small database ({small:,} learners)", loaded)
    database_clone(main, small_db)  # the small database stays, to be measured beside the full one
    try:
        use(main)
        rest = population_load(shape, template, start=small, stop=shape.learners, trust_keys=superuser())
        print_load(f"Then the other {shape.learners - small:,} learners", rest)
        loaded.add(rest)
        print(
            f"Loaded in all: {loaded.rows['roadmap_progress']:,} progress rows, "
            f"{loaded.rows['roadmap_planitem']:,} plan items, {loaded.total_rows:,} rows "
            f"in {loaded.total_seconds:.0f} s"
        )
        results = measure(population, {"small": small_db, "scale": main}, runs=runs, rounds=ROUNDS)
    finally:
        use(main)
        server(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(small_db)} WITH (FORCE)")
    before, after = results["small"], results["scale"]

    print(f"\nEXPLAIN (ANALYZE, BUFFERS) at {shape.learners:,} learners, the slowest hot queries in full:")
    seq_scans = [s for m in after for s in print_explains(m)]

    print(
        f"\nMedian of {runs} runs (ms){'':14}{f'{small:,} learners':>16}{f'{shape.learners:,}':>12}{'ratio':>8}"
    )
    budgets = []
    for b, a in zip(before, after, strict=True):
        ratio = a.ms / b.ms
        print(f"{b.label:40}{b.ms:>16.1f}{a.ms:>12.1f}{ratio:>7.2f}x")
        budgets.append(
            (
                f"{b.label} at scale <= {MAX_RATIO:g}x its small-database time (is {ratio:.2f}x)",
                ratio <= MAX_RATIO,
            )
        )
    for scan in seq_scans:
        print(f"  sequential scan of a big table at scale: {scan}")
    return verdicts(budgets)
