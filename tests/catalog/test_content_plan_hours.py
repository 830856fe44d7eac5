"""The shipped content measured the planner's way: hours a learner can plan with, a sound graph, real choices."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.catalog.content_hours import (
    background_skills,
    catalog_graph,
    closure,
    longest_chain,
    plan_hours,
    track_steps,
)

CONTENT: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[2] / "fixtures" / "content.json").read_text(encoding="utf-8")
)
CORE = "ml-engineer"
SPECIALISATIONS = ["nlp-llms", "computer-vision", "mlops-deployment", "model-optimisation-edge"]


def core_stages() -> list[dict[str, Any]]:
    return next(t for t in CONTENT["tracks"] if t["slug"] == CORE)["stages"]


def test_a_newcomer_needs_about_1000_required_hours_for_the_core() -> None:
    assert 1000 <= plan_hours(CONTENT, [CORE]).required <= 1100


def test_a_software_engineer_needs_about_850_required_hours_for_the_core() -> None:
    known = background_skills(CONTENT, "software_engineer")

    assert 800 <= plan_hours(CONTENT, [CORE], known=known).required <= 900


@pytest.mark.parametrize("background", ["", "software_engineer"])
@pytest.mark.parametrize("track", SPECIALISATIONS)
def test_each_specialisation_adds_150_to_250_hours_to_the_core(track: str, background: str) -> None:
    known = background_skills(CONTENT, background) if background else []
    core = plan_hours(CONTENT, [CORE], known=known).required

    added = plan_hours(CONTENT, [CORE, track], known=known).required - core

    assert 150 <= added <= 250


@pytest.mark.parametrize(
    ("group", "option"), [("framework", "tensorflow"), ("cloud", "google-cloud"), ("cloud", "azure")]
)
def test_every_option_keeps_the_core_in_the_band(group: str, option: str) -> None:
    assert 1000 <= plan_hours(CONTENT, [CORE], chosen={group: option}).required <= 1100


def test_optional_steps_do_not_count_in_the_required_hours() -> None:
    hours = plan_hours(CONTENT, [CORE])

    assert hours.optional > 0
    assert ("course", "deep-learning-specialization") not in hours.items


def test_every_skill_is_on_some_track() -> None:
    on_tracks = {s["ref"] for t in CONTENT["tracks"] for stage in t["stages"] for s in stage["steps"]}

    assert [s["slug"] for s in CONTENT["skills"] if s["slug"] not in on_tracks] == []


def test_every_active_certification_and_every_course_is_on_some_track() -> None:
    on_tracks = {s["ref"] for t in CONTENT["tracks"] for stage in t["stages"] for s in stage["steps"]}
    active = [c["slug"] for c in CONTENT["certifications"] if c["status"] == "active"]

    assert [c for c in active if c not in on_tracks] == []
    assert [c["slug"] for c in CONTENT["courses"] if c["slug"] not in on_tracks] == []


def option_items(group: dict[str, Any], stage: dict[str, Any]) -> dict[str, set[tuple[str, str]]]:
    items: dict[str, set[tuple[str, str]]] = {o["slug"]: set() for o in group["options"]}
    for step in stage["steps"]:
        if step.get("option", "").startswith(group["slug"] + "/"):
            items[step["option"].split("/")[1]].add((step["kind"], step["ref"]))
    return items


@pytest.mark.parametrize("group_slug", ["framework", "cloud", "second-language"])
def test_no_unchosen_option_is_in_the_closure_of_a_chosen_one(group_slug: str) -> None:
    _, needs, _ = catalog_graph(CONTENT)
    stage, group = next((s, g) for s in core_stages() for g in s["choices"] if g["slug"] == group_slug)
    items = option_items(group, stage)
    for option in items:
        steps, _ = track_steps(CONTENT, [CORE], {group_slug: option})
        # Every step of the core, optional ones too, followed without the planner's protection.
        reached = closure([key for key, _ in steps], needs, set(), set())
        others = set().union(*(v for k, v in items.items() if k != option)) - items[option]
        assert reached & others == set(), option


def test_the_choice_groups_are_framework_cloud_and_second_language() -> None:
    groups = {g["slug"]: g for stage in core_stages() for g in stage["choices"]}

    assert {o["slug"]: o["default"] for o in groups["framework"]["options"]} == {
        "pytorch": True,
        "tensorflow": False,
    }
    assert [o["slug"] for o in groups["cloud"]["options"] if o["default"]] == ["aws"]
    assert {o["slug"] for o in groups["second-language"]["options"]} == {"java", "cpp", "scala", "r"}
    language_steps = [
        s
        for stage in core_stages()
        for s in stage["steps"]
        if s.get("option", "").startswith("second-language/")
    ]
    assert language_steps and all(s["optional"] for s in language_steps)


def test_each_cloud_option_holds_the_cloud_its_ml_platform_and_its_exam() -> None:
    stage, group = next((s, g) for s in core_stages() for g in s["choices"] if g["slug"] == "cloud")
    items = option_items(group, stage)
    kinds = {option: sorted({kind for kind, _ in found}) for option, found in items.items()}

    assert kinds == {o: ["certification", "course", "skill"] for o in ("aws", "google-cloud", "azure")}
    assert {("skill", "sagemaker"), ("skill", "aws")} <= items["aws"]
    assert {("skill", "vertex-ai"), ("skill", "gcp")} <= items["google-cloud"]
    assert {("skill", "azure-ml"), ("skill", "azure")} <= items["azure"]


def test_no_course_is_scheduled_after_a_skill_it_teaches() -> None:
    # A course needs the prerequisites of the skills it teaches; if those lead back to a taught
    # skill, the course would have to wait for a skill it is meant to teach.
    _, needs, teaches = catalog_graph(CONTENT)
    late = {
        slug: sorted(
            {s for kind, s in closure(needs["course", slug], needs, set(), set()) if kind == "skill"} & taught
        )
        for slug, taught in teaches.items()
    }

    assert {slug: skills for slug, skills in late.items() if skills} == {}


def test_the_longest_prerequisite_chain_of_the_core_is_under_10() -> None:
    _, needs, _ = catalog_graph(CONTENT)

    assert len(longest_chain(plan_hours(CONTENT, [CORE]).items, needs)) < 10


def test_the_core_has_a_required_llm_essentials_stage() -> None:
    stage = next(s for s in core_stages() if s["title"] == "LLM essentials")
    required = {s["ref"] for s in stage["steps"] if not s["optional"]}

    assert {"llm-app-development", "rag", "llm-evaluation"} <= required


@pytest.mark.parametrize(
    ("slug", "track"),
    [
        ("llm-evaluation", CORE),
        ("hyperparameter-search", CORE),
        ("llm-observability", "nlp-llms"),
        ("llm-inference-serving", "nlp-llms"),
        ("llm-agents", "nlp-llms"),
        ("distributed-training", "model-optimisation-edge"),
        ("mixed-precision-training", "model-optimisation-edge"),
        ("data-versioning", "mlops-deployment"),
        ("data-validation", "mlops-deployment"),
        ("drift-detection", "mlops-deployment"),
        ("workflow-orchestrators", "mlops-deployment"),
        ("infrastructure-as-code", "mlops-deployment"),
    ],
)
def test_late_2026_skills_have_prerequisites_hours_a_course_and_a_required_step(
    slug: str, track: str
) -> None:
    skill = next(s for s in CONTENT["skills"] if s["slug"] == slug)
    steps = next(t for t in CONTENT["tracks"] if t["slug"] == track)["stages"]

    assert skill["prerequisites"] and skill["estimated_hours"] > 0
    assert any(slug in c["skills"] for c in CONTENT["courses"])
    assert any(s["ref"] == slug and not s["optional"] for stage in steps for s in stage["steps"])


@pytest.mark.parametrize("track", SPECIALISATIONS)
def test_a_specialisations_required_steps_need_no_particular_framework_or_cloud(track: str) -> None:
    _, needs, _ = catalog_graph(CONTENT)
    tied = set()
    for stage in core_stages():
        for group in stage["choices"]:
            if group["slug"] in ("framework", "cloud"):
                tied |= set().union(*option_items(group, stage).values())
    steps, _ = track_steps(CONTENT, [track])

    reached = closure([key for key, optional in steps if not optional], needs, set(), set())

    assert reached & tied == set()


def test_there_is_a_background_for_every_answer_of_the_profile() -> None:
    from accounts.models import Profile

    assert {b["slug"] for b in CONTENT["backgrounds"]} == set(Profile.Background.values)


def test_a_software_engineer_is_proposed_the_programming_and_tooling_basics() -> None:
    proposed = set(background_skills(CONTENT, "software_engineer"))

    assert {"python", "git", "sql", "testing", "command-line", "api-design", "docker"} <= proposed
