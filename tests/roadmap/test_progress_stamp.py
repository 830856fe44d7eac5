"""The plan page's cache stamp (one statement on every plan view): it moves with every status change,
also when the clock of the server that wrote the change is behind, and only with the learner's own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from roadmap.models import Progress
from roadmap.selectors import progress_stamp
from tests.factories import ProgressFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_status_change_moves_the_stamp_even_with_a_clock_behind() -> None:
    learner = UserFactory()
    assert progress_stamp(learner.pk)[0] == 0
    step = ProgressFactory(learner=learner)
    ProgressFactory(learner=learner)
    seen = {progress_stamp(learner.pk)}
    first_update = step.updated_at
    for status in Progress.Status.values:
        if status == step.status:
            continue
        # The same row count and an older updated_at: only the checksum can tell.
        Progress.objects.filter(pk=step.pk).update(status=status, updated_at=first_update - timedelta(days=1))
        step.status = status
        stamp = progress_stamp(learner.pk)
        assert stamp not in seen, status
        seen.add(stamp)


def test_another_learners_changes_leave_the_stamp_alone() -> None:
    learner, other = UserFactory(), UserFactory()
    ProgressFactory(learner=learner)
    before = progress_stamp(learner.pk)
    ProgressFactory(learner=other, status=Progress.Status.DONE)
    assert progress_stamp(learner.pk) == before
