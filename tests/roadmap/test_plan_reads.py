"""The plan's reads: the page caches data, never markup; one rule for statuses, bars and the finish."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.data import learner_data
from accounts.models import User
from roadmap.models import Progress
from roadmap.selectors import plan_entries, plan_stage_rows, plan_summary
from roadmap.services import step_set_status
from tests.factories import UserFactory
from tests.plans import Catalog, onboard
from tests.roadmap.plan_page import get

Status = Progress.Status


def test_the_plan_page_caches_its_data_and_never_rendered_html(
    plan_learner: User, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored: list[Any] = []
    real_set = cache.set

    def recording_set(key: str, value: Any, *args: Any, **kwargs: Any) -> None:
        stored.append(value)
        real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    assert client.get("/plan/").status_code == 200
    assert stored
    assert not [value for value in stored if isinstance(value, str) and "<" in value]


def test_a_stage_hides_done_known_and_skipped_steps_as_asked(plan_learner: User) -> None:
    plan = plan_learner.plan
    rows = plan_stage_rows(plan=plan, stage_index=0)
    first, second = rows[0], rows[1]
    step_set_status(learner=plan_learner, kind=first.kind, item_id=first.item_id, status=Status.DONE)
    step_set_status(learner=plan_learner, kind=second.kind, item_id=second.item_id, status=Status.SKIPPED)
    shown = {row.position for row in plan_stage_rows(plan=plan, stage_index=0)}
    without_done = {row.position for row in plan_stage_rows(plan=plan, stage_index=0, hide=["done"])}
    without_both = {
        row.position for row in plan_stage_rows(plan=plan, stage_index=0, hide=["done", "skipped"])
    }
    assert {first.position, second.position} <= shown
    assert first.position not in without_done and second.position in without_done
    assert not {first.position, second.position} & without_both
    by_position = {row.position: row for row in plan_stage_rows(plan=plan, stage_index=0)}
    assert by_position[first.position].status == Status.DONE
    assert by_position[second.position].status == Status.SKIPPED


def test_the_export_gives_the_finish_the_plan_page_shows_after_a_step_is_done(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core, hours=10)  # 120 required hours at 10 a week: 12 weeks
    step_set_status(learner=user, kind="skill", item_id=catalog.python.pk, status=Status.DONE)
    summary = plan_summary(plan=user.plan, profile=user.profile)
    exported = learner_data(user=user)["plan"]
    assert summary.remaining_hours == 100
    assert exported["hours_left"] == 100
    assert exported["projected_finish"] == (summary.today + dt.timedelta(weeks=10)).isoformat()


def test_each_kind_of_step_shows_its_learners_status_and_never_another_learners(
    catalog: Catalog, plan_learner: User
) -> None:
    other = UserFactory()
    onboard(other, catalog.core)
    for kind, item in (
        ("skill", catalog.git),
        ("course", catalog.course),
        ("project", catalog.project),
        ("certification", catalog.successor),
    ):
        step_set_status(learner=other, kind=kind, item_id=item.pk, status=Status.SKIPPED)
    step_set_status(learner=plan_learner, kind="course", item_id=catalog.course.pk, status=Status.DONE)
    step_set_status(
        learner=plan_learner, kind="project", item_id=catalog.project.pk, status=Status.IN_PROGRESS
    )
    step_set_status(
        learner=plan_learner, kind="certification", item_id=catalog.successor.pk, status=Status.DONE
    )
    statuses = {(entry.kind, entry.slug): entry.status for entry in plan_entries(plan_learner.plan)}
    assert statuses[("course", "dl-pytorch")] == Status.DONE
    assert statuses[("project", "image-classifier")] == Status.IN_PROGRESS
    assert statuses[("certification", "ml-dev-2")] == Status.DONE
    assert statuses[("skill", "git")] == Status.NOT_STARTED


def test_the_filter_applies_to_a_stage_the_page_has_already_cached(
    plan_learner: User, client: Client
) -> None:
    entries = plan_entries(plan_learner.plan)
    last = max(entry.stage_index for entry in entries)
    row = next(entry for entry in entries if entry.stage_index == last)
    step_set_status(learner=plan_learner, kind=row.kind, item_id=row.item_id, status=Status.DONE)
    assert f'id="{row.dom_id}"' in get(client, stage=str(last))
    assert f'id="{row.dom_id}"' not in get(client, stage=str(last), hide="done")
    assert f'id="{row.dom_id}"' in get(client, stage=str(last), hide="skipped")
