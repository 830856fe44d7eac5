"""The plan page's head (one statement on every plan view): the plan, the pace, a stamp that moves with
every status change (also when the clock of the server that wrote it is behind, and only with the
learner's own) and whether there are own steps to read. Run on SQLite by make test, PostgreSQL by CI."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from roadmap.models import OwnStep, Progress
from roadmap.selectors import Pace, plan_head
from tests.factories import PlanFactory, ProfileFactory, ProgressFactory, UserFactory

pytestmark = pytest.mark.django_db


def learner_with_plan():
    learner = UserFactory()
    ProfileFactory(user=learner, hours_per_week=7, target_date=dt.date(2028, 3, 1), time_zone="Europe/Paris")
    return learner, PlanFactory(learner=learner)


def stamp(learner) -> tuple:
    head = plan_head(learner.pk)
    assert head is not None
    return head.progress_stamp


def test_the_head_gives_the_plan_and_the_pace() -> None:
    learner, plan = learner_with_plan()
    head = plan_head(learner.pk)
    assert head is not None
    assert head.plan_id == plan.pk
    assert head.built_at == plan.built_at and timezone.is_aware(head.built_at)
    assert head.focused is False
    assert head.pace == Pace(7, dt.date(2028, 3, 1), "Europe/Paris")
    assert head.progress_stamp[0] == 0 and head.own_steps == 0


def test_no_plan_no_head() -> None:
    assert plan_head(UserFactory().pk) is None


def test_own_steps_are_counted() -> None:
    learner, _ = learner_with_plan()
    OwnStep.objects.create(learner=learner, title="A book")
    OwnStep.objects.create(learner=UserFactory(), title="Someone else's")
    head = plan_head(learner.pk)
    assert head is not None and head.own_steps == 1


def test_every_status_change_moves_the_stamp_even_with_a_clock_behind() -> None:
    learner, _ = learner_with_plan()
    step = ProgressFactory(learner=learner)
    ProgressFactory(learner=learner)
    seen = {stamp(learner)}
    first_update = step.updated_at
    for status in Progress.Status.values:
        if status == step.status:
            continue
        # The same row count and an older updated_at: only the checksum can tell.
        Progress.objects.filter(pk=step.pk).update(status=status, updated_at=first_update - timedelta(days=1))
        step.status = status
        moved = stamp(learner)
        assert moved not in seen, status
        seen.add(moved)


def test_another_learners_changes_leave_the_stamp_alone() -> None:
    learner, _ = learner_with_plan()
    ProgressFactory(learner=learner)
    before = stamp(learner)
    ProgressFactory(learner=UserFactory(), status=Progress.Status.DONE)
    assert stamp(learner) == before
