"""The learner's visuals: the roadmap map, steps done per week, the activity calendar and streaks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile, User, zone_or_utc
from catalog.models import Skill, Tier
from roadmap.models import Plan, PlanItem, Progress, ProgressEvent
from roadmap.visuals import (
    activity_calendar,
    longest_path_layers,
    map_layout,
    map_status,
    map_svg,
    streaks,
    weekly_counts,
)
from tests.factories import UserFactory

MAP = "/plan/map/"
ACTIVITY = "/plan/activity/"
D = dt.date


@dataclass(frozen=True)
class FakeEntry:
    position: int
    needs: tuple[int, ...] = ()
    status: str = "not_started"
    known: bool = False
    kind: str = "skill"
    stage_index: int = 0
    name: str = ""
    slug: str = field(default="")


def entries(needs: dict[int, tuple[int, ...]]) -> list[FakeEntry]:
    return [FakeEntry(p, n, name=f"Step {p}", slug=f"step-{p}") for p, n in needs.items()]


# ---------------------------------------------------------------- map layout (pure)


def test_layers_follow_the_longest_chain_of_prerequisites() -> None:
    # 1 → 2 → 4 and 1 → 4 directly: 4 sits after 2, not beside it.
    assert longest_path_layers({1: (), 2: (1,), 3: (), 4: (1, 2)}) == {1: 0, 2: 1, 3: 0, 4: 2}


def test_prerequisites_outside_the_plan_are_ignored() -> None:
    assert longest_path_layers({5: (99,), 6: (5,)}) == {5: 0, 6: 1}


def test_a_cycle_does_not_hang_the_layout() -> None:
    layers = longest_path_layers({1: (2,), 2: (1,), 3: (2,)})
    assert set(layers) == {1, 2, 3}


def test_every_edge_of_the_map_runs_left_to_right() -> None:
    layout = map_layout(entries({1: (), 2: (1,), 3: (1,), 4: (2, 3), 5: (), 6: (5, 4)}))
    x = {n.position: n.x for n in layout.nodes}
    assert len(layout.edges) == 6
    assert all(x[e.source] < x[e.target] for e in layout.edges)


def test_no_two_nodes_of_the_map_overlap() -> None:
    needs = {p: tuple(q for q in (p - 1, p // 3) if q >= 1 and q != p) for p in range(1, 160)}
    layout = map_layout(entries(needs))
    assert len(layout.nodes) == 159
    assert len({(n.x, n.y) for n in layout.nodes}) == 159
    assert all(
        n.x + layout.node_width <= layout.width and n.y + layout.node_height <= layout.height
        for n in layout.nodes
    )


def test_an_empty_plan_gives_an_empty_map() -> None:
    layout = map_layout([])
    assert (layout.nodes, layout.edges, layout.layers) == ([], [], 0)


def test_long_names_are_drawn_whole_but_marked_as_cut() -> None:
    long = FakeEntry(1, name="Model selection and algorithm trade-offs", slug="m")
    short = FakeEntry(2, name="NumPy", slug="n")
    nodes = {n.position: n for n in map_layout([long, short]).nodes}
    assert nodes[1].truncated and not nodes[2].truncated
    assert nodes[1].name == "Model selection and algorithm trade-offs"


def test_the_map_svg_escapes_names_and_uses_no_inline_styles() -> None:
    entry = FakeEntry(1, name='<script>alert("x")</script> & co', slug="evil", status="done")
    svg = map_svg(map_layout([entry]), href=lambda kind, slug: f"/plan/{kind}/{slug}/", title="Map")
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg
    assert 'href="/plan/skill/evil/"' in svg
    assert "style=" not in svg


def test_known_skills_show_as_known_whatever_their_status() -> None:
    assert map_status(status="not_started", known=True) == "known"
    assert map_status(status="done", known=True) == "known"
    assert map_status(status="in_progress", known=False) == "in_progress"


# ---------------------------------------------------------------- streaks (pure)


def test_no_history_means_no_streak() -> None:
    assert streaks([], today=D(2026, 3, 10)) == (0, 0)


def test_a_streak_ending_today_is_current() -> None:
    days = [D(2026, 3, 8), D(2026, 3, 9), D(2026, 3, 10)]
    assert streaks(days, today=D(2026, 3, 10)) == (3, 3)


def test_today_not_yet_active_keeps_yesterdays_streak() -> None:
    days = [D(2026, 3, 7), D(2026, 3, 8), D(2026, 3, 9)]
    assert streaks(days, today=D(2026, 3, 10)) == (3, 3)


def test_a_missed_day_breaks_the_current_streak() -> None:
    days = [D(2026, 3, 6), D(2026, 3, 7), D(2026, 3, 8)]
    assert streaks(days, today=D(2026, 3, 10)) == (0, 3)


def test_streaks_run_across_month_and_year_ends() -> None:
    days = [D(2025, 12, 30), D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 2)]
    assert streaks(days, today=D(2026, 1, 2)) == (4, 4)
    february = [D(2028, 2, 28), D(2028, 2, 29), D(2028, 3, 1)]  # a leap year
    assert streaks(february, today=D(2028, 3, 2)) == (3, 3)


def test_the_longest_streak_can_be_an_old_one() -> None:
    old = [D(2026, 1, 1) + dt.timedelta(days=i) for i in range(10)]
    recent = [D(2026, 3, 9), D(2026, 3, 10)]
    assert streaks(old + recent, today=D(2026, 3, 10)) == (2, 10)


# ---------------------------------------------------------------- weekly chart and calendar (pure)


def test_steps_done_are_counted_per_monday_to_sunday_week() -> None:
    today = D(2026, 3, 11)  # a Wednesday
    done = [(D(2026, 3, 9), 1), (D(2026, 3, 8), 2), (D(2026, 3, 2), 3), (D(2026, 3, 11), 4)]
    assert weekly_counts(done, today=today, weeks=3) == [0, 2, 2]


def test_a_step_done_twice_in_one_week_counts_once() -> None:
    today = D(2026, 3, 11)
    assert weekly_counts([(D(2026, 3, 9), 7), (D(2026, 3, 10), 7)], today=today, weeks=1) == [1]


def test_older_weeks_are_left_out_of_the_chart() -> None:
    assert weekly_counts([(D(2025, 1, 1), 1)], today=D(2026, 3, 11), weeks=26) == [0] * 26


def test_the_calendar_ends_today_and_counts_active_days() -> None:
    today = D(2026, 3, 11)
    calendar = activity_calendar(
        {D(2026, 3, 11): 2, D(2026, 3, 1): 9, D(2025, 1, 1): 1}, today=today, weeks=4
    )
    assert calendar.days[-1].day == today
    assert calendar.days[0].day == D(2026, 2, 16)  # the Monday three weeks before this week's
    assert calendar.active_days == 2
    assert {d.level for d in calendar.days if d.count} == {2, 4}


def test_an_unknown_time_zone_falls_back_to_utc() -> None:
    assert zone_or_utc("Not/AZone") == ZoneInfo("UTC")
    assert zone_or_utc("Europe/Berlin") == ZoneInfo("Europe/Berlin")


# ---------------------------------------------------------------- pages

STATUSES = ["done", "in_progress", "not_started", "skipped"]


def plan_of(user: User, size: int) -> Plan:
    """A plan of `size` skills, each needing the one before, with statuses cycling through all four."""
    plan = Plan.objects.create(learner=user)
    skills = Skill.objects.bulk_create(
        Skill(
            name=f"Skill {user.pk}-{i}",
            slug=f"s{user.pk}-{i}",
            category="programming",
            tier=Tier.FOUNDATION,
            description="x",
        )
        for i in range(size)
    )
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            position=i + 1,
            skill=skill,
            stage_title=f"Stage {i // 10}",
            stage_index=i // 10,
            needs=[i] if i else [],
            known=i == 3,
        )
        for i, skill in enumerate(skills)
    )
    Progress.objects.bulk_create(
        Progress(learner=user, skill=skill, status=STATUSES[i % 4] if i != 3 else "not_started")
        for i, skill in enumerate(skills)
    )
    return plan


@pytest.fixture
def learner(db: None, client: Client) -> User:
    user = UserFactory()
    Profile.objects.create(user=user, time_zone="UTC")
    client.force_login(user)
    return user


def test_anonymous_visitors_are_sent_to_log_in(client: Client, db: None) -> None:
    for url in (MAP, ACTIVITY):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_map_has_one_linked_node_per_plan_item_coloured_by_status(client: Client, learner: User) -> None:
    plan_of(learner, 12)
    html = client.get(MAP).content.decode()
    nodes = re.findall(r'<a class="map-node node-(\w+)" href="([^"]+)" aria-label="([^"]+)"', html)
    assert len(nodes) == 12
    assert {href for _, href, _ in nodes} == {f"/plan/skill/s{learner.pk}-{i}/" for i in range(12)}
    statuses = dict((href, status) for status, href, _ in nodes)
    assert statuses[f"/plan/skill/s{learner.pk}-0/"] == "done"
    assert statuses[f"/plan/skill/s{learner.pk}-1/"] == "in_progress"
    assert statuses[f"/plan/skill/s{learner.pk}-2/"] == "not_started"
    assert statuses[f"/plan/skill/s{learner.pk}-3/"] == "known"
    assert statuses[f"/plan/skill/s{learner.pk}-7/"] == "skipped"
    edges = re.findall(r'<path class="edge[^"]*" d="([^"]+)"', html)
    assert sum(d.count("M") for d in edges) == 11


def test_each_map_node_names_its_step_and_status_for_screen_readers(client: Client, learner: User) -> None:
    plan_of(learner, 3)
    html = client.get(MAP).content.decode()
    assert f'aria-label="Skill {learner.pk}-0, skill: Done"' in html
    assert f"<title>Skill {learner.pk}-0</title>" in html
    # The text alternative lists every step with its status and what it needs first.
    assert re.search(
        rf"Skill {learner.pk}-1</a>\s*— <span[^>]*>In progress</span><span class=\"muted\">; needs Skill {learner.pk}-0",
        html,
    )


def test_the_map_shows_no_other_learners_steps(client: Client, learner: User) -> None:
    plan_of(learner, 2)
    plan_of(UserFactory(), 5)
    html = client.get(MAP).content.decode()
    assert html.count('class="map-node ') == 2


def test_the_map_asks_for_onboarding_without_a_plan(client: Client, learner: User) -> None:
    response = client.get(MAP)
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmap:onboarding")


@pytest.mark.parametrize("url", [MAP, ACTIVITY])
def test_visual_pages_keep_their_query_count_from_20_to_200_steps(client: Client, db: None, url: str) -> None:
    counts = []
    for size in (20, 200):
        user = UserFactory()
        Profile.objects.create(user=user)
        plan = plan_of(user, size)
        progress = list(Progress.objects.filter(learner=user))
        ProgressEvent.objects.bulk_create(
            ProgressEvent(
                progress=p,
                from_status="not_started",
                to_status="done",
                at=timezone.now() - dt.timedelta(days=i % 90),
            )
            for i, p in enumerate(progress)
        )
        assert plan.items.count() == size
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 8


def done_at(user: User, moment: dt.datetime, status: str = "done") -> None:
    skill = Skill.objects.create(
        name=f"S {moment.isoformat()} {status}",
        slug=f"s-{moment:%Y%m%d%H%M%S}-{status}",
        category="programming",
        tier=Tier.FOUNDATION,
        description="x",
    )
    progress = Progress.objects.create(learner=user, skill=skill, status=status)
    ProgressEvent.objects.create(
        progress=progress, from_status="not_started", to_status=status, at=moment, by=user
    )


def test_activity_shows_the_current_and_longest_streak(client: Client, learner: User) -> None:
    now = timezone.now()
    for days_ago in (0, 1, 2, 10, 11, 12, 13):
        done_at(learner, now - dt.timedelta(days=days_ago))
    html = client.get(ACTIVITY).content.decode()
    assert '<dd id="current-streak">3 days</dd>' in html
    assert '<dd id="longest-streak">4 days</dd>' in html


def test_activity_days_follow_the_learners_time_zone(client: Client, learner: User) -> None:
    Profile.objects.filter(user=learner).update(time_zone="Pacific/Auckland")
    zone = ZoneInfo("Pacific/Auckland")
    local_today = timezone.now().astimezone(zone).date()
    # 09:00 in Auckland today is still yesterday in UTC: the calendar must show it on today.
    morning = dt.datetime.combine(local_today, dt.time(9), tzinfo=zone)
    if morning > timezone.now():
        morning -= dt.timedelta(days=1)
        local_today -= dt.timedelta(days=1)
    done_at(learner, morning)
    html = client.get(ACTIVITY).content.decode()
    assert f"<title>{local_today:%a} {local_today.day} {local_today:%b %Y}: 1 change</title>" in html


def test_the_weekly_chart_counts_steps_done(client: Client, learner: User) -> None:
    now = timezone.now()
    done_at(learner, now)
    done_at(learner, now - dt.timedelta(minutes=1))
    done_at(learner, now - dt.timedelta(minutes=2), status="in_progress")
    response = client.get(ACTIVITY)
    chart = response.context["chart"]
    assert chart.bars[-1].count == 2
    assert chart.total == 2
    assert "2 steps done</title>" in response.content.decode()


def test_an_unknown_time_zone_on_the_profile_still_shows_activity_in_utc(
    client: Client, learner: User
) -> None:
    Profile.objects.filter(user=learner).update(time_zone="Mars/Olympus_Mons")
    done_at(learner, timezone.now())
    response = client.get(ACTIVITY)
    assert response.status_code == 200
    assert response.context["current_streak"] == 1
