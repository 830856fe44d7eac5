"""The map page: one linked step per plan item, zoom to a stage, focus without JavaScript, its query count."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory
from tests.roadmap.visual_plans import MAP, learner, plan_of

__all__ = ["learner"]


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
    # Lines run within a stage (a band): 10 of the 11 prerequisites; the stage order shows the other.
    assert sum(d.count("M") for d in edges) == 10
    assert html.count('<g class="band') == 2


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


def test_zoom_to_a_stage_shows_only_its_band(client: Client, learner: User) -> None:
    plan_of(learner, 25)
    html = client.get(MAP + "?stage=1").content.decode()
    assert html.count('<g class="band') == 1
    assert html.count('class="map-node ') == 10
    assert f"Skill {learner.pk}-10" in html and f'aria-label="Skill {learner.pk}-0,' not in html
    assert '<a href="?stage=1" aria-current="page">' in html


def test_focus_without_javascript_lights_what_a_step_needs_and_unlocks(client: Client, learner: User) -> None:
    plan_of(learner, 6)  # a chain: each skill needs the one before
    focus = f"skill:s{learner.pk}-2"
    html = client.get(MAP, {"focus": focus}).content.decode()
    assert f"Focus on <strong>Skill {learner.pk}-2</strong>" in html
    assert f'<option value="{focus}" selected>' in html
    assert 'class="roadmap-map has-focus"' in html
    assert "is-faded" not in html.split('class="map-nodes"')[1]  # a chain: everything is related


def test_unknown_stage_or_focus_values_show_the_whole_map(client: Client, learner: User) -> None:
    plan_of(learner, 12)
    for query in ("?stage=99", "?stage=-1", "?stage=x", "?focus=skill:nope", "?focus=" + "x" * 5000):
        response = client.get(MAP + query)
        assert response.status_code == 200
        assert response.content.decode().count('<g class="band') == 2
        assert "has-focus" not in response.content.decode()
