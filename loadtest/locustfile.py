"""Load scenario: learners work through their plan, mentors open dashboards, visitors browse.

Run by `make load` against `make serve-prod` (see README "Operations"). One locust run, three phases:

1. mixed: LOAD_USERS (100) users — learners, mentors and visitors, each pausing 1-2 s — for
   LOAD_SECONDS (60); budget: p95 <= LOAD_P95_MS (150) and no errors;
2. capacity of a trivial view: LOAD_CAPACITY_USERS users hammer /healthz/ping without pausing;
3. capacity of the plan page: as many users hammer /plan/ the same way;
   budget: plan throughput >= LOAD_MIN_RATIO (15%) of the trivial view's.

Virtual users are logged in through sessions made by `manage.py seed_load --sessions-out`, so the
password hash (slow on purpose) does not dominate the figures. URLs are discovered from the pages
(links and forms), so the scenario follows the app as it grows. The verdict and figures are printed
at the end and written to LOAD_REPORT; the exit code is 1 when a budget is missed.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from http.cookiejar import Cookie
from typing import Any
from urllib.parse import urlsplit

from locust import FastHttpUser, LoadTestShape, User, between, constant, events, task
from locust.env import Environment
from requests.cookies import create_cookie  # locust's own dependency

USERS = int(os.environ.get("LOAD_USERS", "100"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "20"))
MIXED_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
CAPACITY_USERS = int(os.environ.get("LOAD_CAPACITY_USERS", "8"))
CAPACITY_SECONDS = int(os.environ.get("LOAD_CAPACITY_SECONDS", "20"))
P95_BUDGET_MS = float(os.environ.get("LOAD_P95_MS", "150"))
MIN_RATIO = float(os.environ.get("LOAD_MIN_RATIO", "0.15"))
SESSIONS_FILE = os.environ.get("LOAD_SESSIONS", "var/load/sessions.json")
REPORT_FILE = os.environ.get("LOAD_REPORT", "var/load/report.json")
# Seconds at the start of a capacity phase left out of its throughput (users still starting).
WARMUP = 3.0

HREF = re.compile(r'href="(/[^"#?]*)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ACTION = re.compile(r'action="([^"]*)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')


def _sessions(role: str) -> itertools.cycle[dict[str, str]]:
    with open(SESSIONS_FILE) as f:
        data = json.load(f)
    rows = data[role]
    if not rows:
        raise RuntimeError(f"{SESSIONS_FILE} has no {role}: run manage.py seed_load first")
    return itertools.cycle(rows)


_learners: itertools.cycle[dict[str, str]] | None = None
_mentors: itertools.cycle[dict[str, str]] | None = None


def next_identity(role: str) -> dict[str, str]:
    global _learners, _mentors
    if role == "learners":
        _learners = _learners or _sessions("learners")
        return next(_learners)
    _mentors = _mentors or _sessions("mentors")
    return next(_mentors)


def links(body: str, prefix: str, exclude: tuple[str, ...] = ()) -> list[str]:
    """Distinct same-site paths under `prefix` found in a page."""
    found = {h for h in HREF.findall(body) if h.startswith(prefix) and h != prefix and h not in exclude}
    return sorted(found)


def csrf_token(body: str) -> str | None:
    match = CSRF_INPUT.search(body) or CSRF_HEADER.search(body)
    return html.unescape(match.group(1)) if match else None


def status_forms(body: str) -> list[str]:
    """Actions of the forms that change a step's status (those with a `status` field)."""
    actions = []
    for attrs, inner in FORM.findall(body):
        action = ACTION.search(attrs)
        if action and 'name="status"' in inner:
            actions.append(html.unescape(action.group(1)))
    return actions


def session_cookie(base_url: str, value: str) -> Cookie:
    """The session cookie seed_load made, for the host under test."""
    with open(SESSIONS_FILE) as f:
        name = json.load(f).get("session_cookie", "sessionid")
    host = str(urlsplit(base_url).hostname or "127.0.0.1")
    return create_cookie(name, value, domain=host)


class SessionUser(FastHttpUser):
    """A user logged in through a session cookie from seed_load."""

    abstract = True
    role = "learners"

    def on_start(self) -> None:
        identity = next_identity(self.role)
        self.client.cookiejar.set_cookie(session_cookie(self.host or "", identity["session"]))


class Learner(SessionUser):
    """Opens the plan, checks steps off (as htmx does), opens a step's page now and then."""

    weight = 6
    wait_time = between(1, 2)

    def on_start(self) -> None:
        super().on_start()
        self.status_actions: list[str] = []
        self.step_pages: list[str] = []
        self.token: str | None = None

    @task(4)
    def open_plan(self) -> None:
        response = self.client.get("/plan/", name="plan")
        body = response.text or ""
        if response.status_code == 200:
            self.status_actions = status_forms(body) or self.status_actions
            self.step_pages = links(body, "/plan/", exclude=("/plan/readiness/",)) or self.step_pages
            self.token = csrf_token(body) or self.token

    @task(3)
    def change_status(self) -> None:
        if not (self.status_actions and self.token):
            return self.open_plan()
        action = random.choice(self.status_actions)
        status = random.choice(["done", "done", "in_progress", "not_started"])
        self.client.post(
            action,
            data={"status": status, "csrfmiddlewaretoken": self.token},
            headers={"HX-Request": "true", "X-CSRFToken": self.token, "Referer": f"{self.host}/plan/"},
            name="step status (htmx)",
        )

    @task(1)
    def open_step(self) -> None:
        pages = [p for p in self.step_pages if not p.endswith("/status/")]
        if pages:
            self.client.get(random.choice(pages), name="step page")


class Mentor(SessionUser):
    """Opens the dashboard, then a mentee's roadmap."""

    weight = 1
    role = "mentors"
    wait_time = between(1, 2)

    def on_start(self) -> None:
        super().on_start()
        self.mentee_pages: list[str] = []

    @task(2)
    def dashboard(self) -> None:
        response = self.client.get("/mentor/", name="mentor dashboard")
        if response.status_code == 200:
            self.mentee_pages = links(response.text or "", "/mentor/") or self.mentee_pages

    @task(1)
    def mentee(self) -> None:
        if self.mentee_pages:
            self.client.get(random.choice(self.mentee_pages), name="mentee page")


class Visitor(FastHttpUser):
    """Browses the public catalog: home, tracks, skills, course search."""

    weight = 3
    wait_time = between(1, 2)
    tracks: list[str] = []
    skills: list[str] = []

    @task(2)
    def home(self) -> None:
        response = self.client.get("/", name="home")
        Visitor.tracks = links(response.text or "", "/tracks/") or Visitor.tracks

    @task(2)
    def track(self) -> None:
        if not Visitor.tracks:
            return self.home()
        response = self.client.get(random.choice(Visitor.tracks), name="track")
        Visitor.skills = links(response.text or "", "/skills/") or Visitor.skills

    @task(2)
    def skill(self) -> None:
        if Visitor.skills:
            self.client.get(random.choice(Visitor.skills), name="skill")

    @task(1)
    def course_search(self) -> None:
        query = random.choice(["python", "deep learning", "cloud", "llm", "statistics"])
        self.client.get("/courses/", params={"q": query}, name="course search")

    @task(1)
    def skill_list(self) -> None:
        self.client.get("/skills/", name="skill list")


class PingCapacity(FastHttpUser):
    """The trivial Django view (full middleware stack, no database), as fast as it answers."""

    wait_time = constant(0)

    @task
    def ping(self) -> None:
        self.client.get("/healthz/ping", name="capacity: ping")


class PlanCapacity(SessionUser):
    """The plan page, as fast as it answers."""

    wait_time = constant(0)

    @task
    def plan(self) -> None:
        self.client.get("/plan/", name="capacity: plan")


# Between phases every user is stopped (locust only tops up to a new count, it does not swap classes).
PHASES: list[tuple[str, int, int, float, list[type[User]] | None]] = [
    ("mixed", MIXED_SECONDS, USERS, SPAWN_RATE, [Learner, Mentor, Visitor]),
    ("drain", 3, 0, 1000, None),
    ("ping", CAPACITY_SECONDS, CAPACITY_USERS, CAPACITY_USERS, [PingCapacity]),
    ("drain", 3, 0, 1000, None),
    ("plan", CAPACITY_SECONDS, CAPACITY_USERS, CAPACITY_USERS, [PlanCapacity]),
]


class Phases(LoadTestShape):
    """Runs the phases one after the other, then stops."""

    def tick(self) -> tuple[int, float, list[type[User]] | None] | None:
        elapsed = self.get_run_time()
        for name, seconds, users, rate, classes in PHASES:
            if elapsed < seconds:
                record.enter(name)
                return users, rate, classes
            elapsed -= seconds
        return None


class Recorder:
    """Per-phase figures: response times of the mixed phase, completion times in capacity phases."""

    def __init__(self) -> None:
        self.phase = ""
        self.started: dict[str, float] = {}
        self.ended: dict[str, float] = {}
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.done_at: dict[str, list[float]] = defaultdict(list)
        self.by_name: dict[str, list[float]] = defaultdict(list)

    def enter(self, phase: str) -> None:
        if phase != self.phase:
            now = time.monotonic()
            if self.phase:
                self.ended[self.phase] = now
            self.phase = phase
            self.started[phase] = now

    def request(self, name: str, response_time: float, exception: Any) -> None:
        phase = self.phase
        if name.startswith("capacity: "):
            if exception is None:
                self.done_at[name].append(time.monotonic())
            else:
                self.errors[phase].append(f"{name}: {exception}")
            return
        if phase != "mixed":
            return  # stragglers of the mixed phase finishing while a capacity phase runs
        self.times[phase].append(response_time)
        self.by_name[name].append(response_time)
        if exception is not None:
            self.errors[phase].append(f"{name}: {exception}")

    def throughput(self, name: str, phase: str) -> float:
        start = self.started.get(phase, 0.0) + WARMUP
        end = self.ended.get(phase, time.monotonic())
        count = sum(1 for t in self.done_at[name] if start <= t <= end)
        return count / (end - start) if end > start else 0.0


record = Recorder()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@events.request.add_listener
def on_request(name: str, response_time: float, exception: Any = None, **kwargs: Any) -> None:
    record.request(name, response_time, exception)


@events.quitting.add_listener
def on_quitting(environment: Environment, **kwargs: Any) -> None:
    record.enter("done")
    mixed = record.times["mixed"]
    ping_rps = record.throughput("capacity: ping", "ping")
    plan_rps = record.throughput("capacity: plan", "plan")
    ratio = plan_rps / ping_rps if ping_rps else 0.0
    p95 = percentile(mixed, 0.95)
    errors = record.errors["mixed"] + record.errors["ping"] + record.errors["plan"]
    report: dict[str, Any] = {
        "users": USERS,
        "mixed_seconds": MIXED_SECONDS,
        "mixed_requests": len(mixed),
        "mixed_rps": round(len(mixed) / MIXED_SECONDS, 1) if MIXED_SECONDS else 0,
        "mixed_p50_ms": round(percentile(mixed, 0.50), 1),
        "mixed_p95_ms": round(p95, 1),
        "mixed_p99_ms": round(percentile(mixed, 0.99), 1),
        "mixed_max_ms": round(max(mixed, default=0.0), 1),
        "p95_ms_by_name": {n: round(percentile(t, 0.95), 1) for n, t in sorted(record.by_name.items())},
        "requests_by_name": {n: len(t) for n, t in sorted(record.by_name.items())},
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:10],
        "capacity_users": CAPACITY_USERS,
        "ping_rps": round(ping_rps, 1),
        "plan_rps": round(plan_rps, 1),
        "plan_to_ping_ratio": round(ratio, 3),
        "budgets": {"p95_ms": P95_BUDGET_MS, "errors": 0, "min_ratio": MIN_RATIO},
    }
    failures = []
    if not mixed:
        failures.append("no request in the mixed phase")
    if p95 > P95_BUDGET_MS:
        failures.append(f"p95 {p95:.0f} ms > {P95_BUDGET_MS:.0f} ms")
    if errors:
        failures.append(f"{len(errors)} errors")
    if ratio < MIN_RATIO:
        failures.append(f"plan/ping throughput {ratio:.1%} < {MIN_RATIO:.0%}")
    report["verdict"] = "pass" if not failures else "fail: " + "; ".join(failures)
    os.makedirs(os.path.dirname(REPORT_FILE) or ".", exist_ok=True)
    with open(REPORT_FILE, "w") as f:
        json.dump(report, f, indent=1)
    print("\nPathwise load report\n" + json.dumps(report, indent=1))
    environment.process_exit_code = 0 if not failures else 1
