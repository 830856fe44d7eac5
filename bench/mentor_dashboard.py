"""The mentor dashboard's budget: the same query count for 1 and for 200 mentees; its median server
time at 200 mentees (each with a 120-step plan, a third done, reviews and comments) is printed, and so
are the figures of one mentee's page."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile, User
from bench.plans import synthetic_track
from bench.report import table, verdicts
from bench.timing import median_ms, queries
from catalog.models import ITEM_FIELDS
from mentoring.models import Mentorship, ProjectReview, StepComment
from mentoring.views.mentor import DASHBOARD_PAGE_SIZE
from reminders.models import ReminderPreference
from roadmap.models import Plan, PlanItem, Progress
from roadmap.services import plan_rebuild

MENTEES = 200
STEPS = 120
RUNS = 30
DONE_SHARE = 0.33


def mentees(mentor: User, count: int, template: Plan, *, prefix: str) -> list[Mentorship]:
    """`count` learners mentored by `mentor`, each a copy of the template plan with a share of it done."""
    now = timezone.now()
    password = make_password(None)
    learners = User.objects.bulk_create(
        User(email=f"{prefix}-{i}@bench.example", display_name=f"{prefix} mentee {i}", password=password)
        for i in range(count)
    )
    Profile.objects.bulk_create(
        Profile(user=u, hours_per_week=6 + i % 10, last_activity_at=now - timedelta(days=i % 30))
        for i, u in enumerate(learners)
    )
    ReminderPreference.objects.bulk_create(ReminderPreference(user=u) for u in learners)  # no post_save here
    plans = Plan.objects.bulk_create(Plan(learner=u) for u in learners)
    items = list(PlanItem.objects.filter(plan=template).order_by("position"))
    item_fields = ("position", "week", "stage_title", "stage_index", "optional", "hours", *ITEM_FIELDS)
    PlanItem.objects.bulk_create(
        PlanItem(plan=plan, needs=item.needs, **{f: getattr(item, f) for f in item_fields})
        for plan in plans
        for item in items
    )
    done_until = int(len(items) * DONE_SHARE)
    progress = Progress.objects.bulk_create(
        Progress(
            learner=u,
            status=Progress.Status.DONE if n < done_until else Progress.Status.IN_PROGRESS,
            completed_at=now - timedelta(days=(n + i) % 40) if n < done_until else None,
            updated_at=now - timedelta(days=(n + i) % 40),
            **{field: getattr(item, field) for field in ITEM_FIELDS},
        )
        for i, u in enumerate(learners)
        for n, item in enumerate(items[: done_until + 5])
    )
    projects = [p for p in progress if p.project_id is not None]
    ProjectReview.objects.bulk_create(
        ProjectReview(progress=p, evidence_url="https://example.com/repo") for p in projects[::2]
    )
    StepComment.objects.bulk_create(
        StepComment(progress=p, author_id=author, body="How is it going?")
        for p in progress[::7]
        for author in (p.learner_id, mentor.pk)
    )
    return Mentorship.objects.bulk_create(
        Mentorship(
            learner=u,
            mentor=mentor,
            status=Mentorship.Status.ACTIVE,
            key=secrets.token_urlsafe(32),
            responded_at=now,
        )
        for u in learners
    )


def measure() -> dict[str, dict[str, float]]:
    track = synthetic_track(STEPS, prefix="mentoring")
    template_learner = User.objects.create_user("template@bench.example", "bench-password-1")
    Profile.objects.create(user=template_learner).tracks.set([track])
    template = plan_rebuild(learner=template_learner).plan
    figures: dict[str, dict[str, float]] = {}
    for label, count in (("one", 1), ("many", MENTEES)):
        mentor = User.objects.create_user(f"mentor-{label}@bench.example", "bench-password-1")
        rows = mentees(mentor, count, template, prefix=label)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # planner statistics, as autovacuum keeps them in production
                cursor.execute("ANALYZE")
        client = Client()
        client.force_login(mentor)
        dashboard = reverse("mentoring:dashboard")

        def page(client: Client = client, url: str = dashboard, count: int = count) -> None:
            response = client.get(url)
            # Every mentee is read; one page of them is shown.
            assert response.status_code == 200 and response.context["page_obj"].paginator.count == count
            assert len(response.context["rows"]) == min(count, DASHBOARD_PAGE_SIZE)

        mentee_url = reverse("mentoring:mentee", args=[rows[0].key])

        def mentee(client: Client = client, url: str = mentee_url) -> None:
            assert client.get(url).status_code == 200

        def sorted_page(client: Client = client, url: str = dashboard) -> None:
            assert client.get(url, {"sort": "stalled", "show": "reviews"}).status_code == 200

        figures[label] = {
            "queries": queries(page),
            "ms": median_ms(page, RUNS),
            "sorted_queries": queries(sorted_page),
            "mentee_queries": queries(mentee),
            "mentee_ms": median_ms(mentee, RUNS),
            "plan_items": PlanItem.objects.filter(plan=template).count(),
        }
    return figures


def run() -> bool:
    f = measure()
    print(f"mentees' plans: {f['one']['plan_items']:.0f} items each, a third done")
    table(
        {"1 mentee": f["one"], f"{MENTEES} mentees": f["many"]},
        [
            ("dashboard: queries", "queries"),
            ("dashboard: median server time (ms)", "ms"),
            ("dashboard sorted + filtered: queries", "sorted_queries"),
            ("a mentee's page: queries", "mentee_queries"),
            ("a mentee's page: median server time (ms)", "mentee_ms"),
        ],
    )
    budgets = [
        (
            f"dashboard queries equal for 1 and {MENTEES} mentees",
            f["one"]["queries"] == f["many"]["queries"]
            and f["one"]["sorted_queries"] == f["many"]["sorted_queries"],
        ),
        (
            "a mentee's page needs the same queries whoever the mentor",
            f["one"]["mentee_queries"] == f["many"]["mentee_queries"],
        ),
    ]
    return verdicts(budgets)
