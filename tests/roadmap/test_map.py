"""The map of the learner's roadmap: layout (pure) and the page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.test import Client
from django.urls import reverse

from accounts.models import User
from roadmap.visuals import (
    longest_path_layers,
    map_layout,
    map_status,
    map_svg,
)
from tests.factories import UserFactory
from tests.roadmap.visual_plans import learner, plan_of

__all__ = ["learner"]

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


# ---------------------------------------------------------------- pages


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
