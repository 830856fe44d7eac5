"""Track → stage → step editing on one admin page (django-nested-admin): saves, refusals, query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Stage, Step, Track
from tests.factories import (
    CertificationFactory,
    CourseFactory,
    SkillFactory,
    StageFactory,
    StepFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db


def track_url(track: Track) -> str:
    return reverse("admin:catalog_track_change", args=[track.pk])


def management(prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": sum(1 for row in rows if row.get("id")),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def step_row(step: Step | None = None, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    if step is not None:
        row = {"id": step.pk, "stage": step.stage_id, "order": step.order, "note": step.note}
        row |= {f: getattr(step, f"{f}_id") or "" for f in ("skill", "course", "certification", "project")}
        if step.optional:
            row["optional"] = "on"
    return row | changes


def stage_row(
    stage: Stage | None = None, steps: list[dict[str, Any]] | None = None, **changes: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {}
    if stage is not None:
        row = {"id": stage.pk, "track": stage.track_id, "order": stage.order, "title": stage.title}
        row["description"] = stage.description
        steps = steps if steps is not None else [step_row(step) for step in stage.steps.all()]
    return row | changes | {"steps": steps or []}


def track_form(track: Track, stages: list[dict[str, Any]], **changes: Any) -> dict[str, Any]:
    """The POST the one-page form sends: the track's fields, its stages, and each stage's steps."""
    data: dict[str, Any] = {
        "name": track.name,
        "slug": track.slug,
        "description": track.description,
        "order": track.order,
        **management("stages", stages),
    }
    if track.is_core:
        data["is_core"] = "on"
    for i, stage in enumerate(stages):
        steps = stage["steps"]
        data |= management(f"stages-{i}-steps", steps)
        data |= {f"stages-{i}-{key}": value for key, value in stage.items() if key != "steps"}
        for j, step in enumerate(steps):
            data |= {f"stages-{i}-steps-{j}-{key}": value for key, value in step.items()}
    return data | changes


def test_the_track_page_edits_every_stages_steps_in_place(staff_client: Client) -> None:
    stage = StageFactory(title="Foundations")
    StepFactory(stage=stage, skill=SkillFactory(name="Python"))

    html = staff_client.get(track_url(stage.track)).content.decode()

    assert 'name="stages-0-title"' in html
    assert 'name="stages-0-steps-0-skill"' in html
    assert f'<option value="{stage.steps.get().skill_id}" selected>Python</option>' in html
    assert "nested_admin/dist/nested_admin.min.js" in html


def test_the_track_page_needs_no_inline_styles_or_unnonced_scripts(staff_client: Client) -> None:
    StepFactory(stage=StageFactory())

    response = staff_client.get(track_url(Track.objects.get()))

    html = response.content.decode()
    assert "style-src 'self';" in response["Content-Security-Policy"]
    assert " style=" not in html
    assert "<style" not in html
    assert html.count("<script") == html.count("<script src=") + html.count("<script id=")


def test_saving_a_new_stage_with_two_steps_creates_them(staff_client: Client) -> None:
    track = TrackFactory()
    skill, course = SkillFactory(), CourseFactory()
    new_stage = stage_row(
        order=1,
        title="Foundations",
        steps=[step_row(order=1, skill=skill.pk), step_row(order=2, course=course.pk, optional="on")],
    )

    response = staff_client.post(track_url(track), track_form(track, [new_stage]))

    assert response.status_code == 302
    stage = track.stages.get()
    assert stage.title == "Foundations"
    assert [(s.order, s.item, s.optional) for s in stage.steps.all()] == [
        (1, skill, False),
        (2, course, True),
    ]


def test_a_step_added_to_an_existing_stage_is_saved_with_the_track(staff_client: Client) -> None:
    stage = StageFactory()
    first = StepFactory(stage=stage, order=1)
    certification = CertificationFactory()
    rows = [step_row(first), step_row(order=2, certification=certification.pk, note="Worth it")]

    response = staff_client.post(
        track_url(stage.track), track_form(stage.track, [stage_row(stage, rows)], name="Renamed")
    )

    assert response.status_code == 302
    assert [s.item for s in stage.steps.all()] == [first.skill, certification]
    assert Track.objects.get().name == "Renamed"


@pytest.mark.parametrize("low", [1, 32766], ids=["first-orders", "highest-orders"])
def test_swapping_two_steps_order_numbers_saves_the_new_order(staff_client: Client, low: int) -> None:
    stage = StageFactory()
    first, second = StepFactory(stage=stage, order=low), StepFactory(stage=stage, order=low + 1)
    rows = [step_row(first, order=low + 1), step_row(second, order=low)]

    response = staff_client.post(track_url(stage.track), track_form(stage.track, [stage_row(stage, rows)]))

    assert response.status_code == 302
    assert list(stage.steps.order_by("order")) == [second, first]


def test_swapping_two_stages_order_numbers_saves_the_new_order(staff_client: Client) -> None:
    track = TrackFactory()
    first, second = StageFactory(track=track, order=1), StageFactory(track=track, order=2)

    response = staff_client.post(
        track_url(track), track_form(track, [stage_row(first, order=2), stage_row(second, order=1)])
    )

    assert response.status_code == 302
    assert list(track.stages.order_by("order")) == [second, first]


def test_a_deleted_steps_number_can_be_taken_by_another_in_the_same_save(staff_client: Client) -> None:
    stage = StageFactory()
    gone, moved = StepFactory(stage=stage, order=1), StepFactory(stage=stage, order=2)
    rows = [step_row(gone, DELETE="on"), step_row(moved, order=1)]

    response = staff_client.post(track_url(stage.track), track_form(stage.track, [stage_row(stage, rows)]))

    assert response.status_code == 302
    assert [(s.pk, s.order) for s in stage.steps.all()] == [(moved.pk, 1)]


def test_deleting_a_stage_deletes_its_steps(staff_client: Client) -> None:
    stage = StageFactory()
    StepFactory(stage=stage)

    response = staff_client.post(
        track_url(stage.track), track_form(stage.track, [stage_row(stage, DELETE="on")])
    )

    assert response.status_code == 302
    assert not Stage.objects.exists()
    assert not Step.objects.exists()


@pytest.mark.parametrize(
    "items",
    [{}, {"skill": "skill", "course": "course"}],
    ids=["no item", "two items"],
)
def test_a_step_without_exactly_one_item_is_refused_and_nothing_is_written(
    staff_client: Client, items: dict[str, str]
) -> None:
    stage = StageFactory(title="Foundations")
    kept = StepFactory(stage=stage, order=1)
    chosen = {"skill": SkillFactory().pk, "course": CourseFactory().pk}
    bad = step_row(order=2, note="Needs an item", **{field: chosen[field] for field in items})
    new_stage = stage_row(order=9, title="Also new", steps=[step_row(order=1, skill=chosen["skill"])])
    data = track_form(
        stage.track, [stage_row(stage, [step_row(kept, order=5), bad], title="Renamed"), new_stage]
    )

    response = staff_client.post(track_url(stage.track), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Choose exactly one of: skill, course, certification or project.") == 1
    assert "is violated" not in html  # one plain message, not the database constraint's name as well
    assert [(s.pk, s.order) for s in Step.objects.all()] == [(kept.pk, 1)]
    assert list(Stage.objects.values_list("title", flat=True)) == ["Foundations"]


def test_two_steps_with_the_same_order_are_refused_with_a_message(staff_client: Client) -> None:
    stage = StageFactory()
    first = StepFactory(stage=stage, order=1)
    rows = [step_row(first), step_row(order=1, skill=SkillFactory().pk)]

    response = staff_client.post(track_url(stage.track), track_form(stage.track, [stage_row(stage, rows)]))

    assert response.status_code == 200
    assert "Please correct the duplicate data for order." in response.content.decode()
    assert stage.steps.count() == 1


def test_two_stages_with_the_same_order_are_refused_with_a_message(staff_client: Client) -> None:
    track = TrackFactory()
    first = StageFactory(track=track, order=1)

    response = staff_client.post(
        track_url(track), track_form(track, [stage_row(first), stage_row(order=1, title="Clash", steps=[])])
    )

    assert response.status_code == 200
    assert "Please correct the duplicate data for order." in response.content.decode()
    assert track.stages.count() == 1


def test_track_page_queries_do_not_grow_with_stages_or_steps(staff_client: Client) -> None:
    track = TrackFactory()
    StepFactory(stage=StageFactory(track=track), skill=None, course=CourseFactory())

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(track_url(track)).status_code == 200
        return len(ctx)

    few = count()
    for _ in range(5):
        stage = StageFactory(track=track)
        StepFactory(stage=stage)
        StepFactory(stage=stage, skill=None, certification=CertificationFactory())

    assert count() == few


def test_the_stage_page_still_edits_its_steps_and_swaps_orders(staff_client: Client) -> None:
    stage = StageFactory()
    first, second = StepFactory(stage=stage, order=1), StepFactory(stage=stage, order=2)
    data = {"track": stage.track_id, "order": stage.order, "title": stage.title, "description": ""}
    data |= management("steps", [{"id": 1}, {"id": 2}])
    for i, row in enumerate([step_row(first, order=2), step_row(second, order=1)]):
        data |= {f"steps-{i}-{key}": value for key, value in row.items()}

    response = staff_client.post(reverse("admin:catalog_stage_change", args=[stage.pk]), data)

    assert response.status_code == 302
    assert list(stage.steps.order_by("order")) == [second, first]


def test_a_deleted_stages_steps_are_not_checked(staff_client: Client) -> None:
    stage = StageFactory()
    step = StepFactory(stage=stage)
    rows = [step_row(step, course=CourseFactory().pk)]  # two items: would be refused if the stage stayed

    response = staff_client.post(
        track_url(stage.track), track_form(stage.track, [stage_row(stage, rows, DELETE="on")])
    )

    assert response.status_code == 302
    assert not Step.objects.exists()
