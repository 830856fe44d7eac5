"""The same step in two plans: another learner, a mentor who stepped down or an unrelated user
cannot touch the learner's evidence, deliverables, status, notes or mentorships.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentoring.models import Mentorship
from roadmap.models import DeliverableCheck, EvidenceLink, Progress
from tests.factories import PlanItemFactory
from tests.roles import MENTOR, OTHER_LEARNER, UNRELATED, World
from tests.security.url_rules import mentee_key, project_step


@pytest.mark.django_db
def test_another_learner_with_the_same_step_cannot_remove_the_learners_evidence(world: World) -> None:
    other = world.users[OTHER_LEARNER]
    PlanItemFactory(plan=other.plan, position=100, skill=None, project=world.catalog.project)
    url = reverse("roadmap:step_evidence_remove", kwargs=project_step(world) | {"pk": world.evidence.pk})

    world.client(OTHER_LEARNER).post(url)

    assert EvidenceLink.objects.filter(pk=world.evidence.pk).exists()


@pytest.mark.django_db
def test_another_learner_ticking_the_same_deliverable_ticks_only_their_own(world: World) -> None:
    other = world.users[OTHER_LEARNER]
    PlanItemFactory(plan=other.plan, position=100, skill=None, project=world.catalog.project)
    url = reverse("roadmap:step_deliverable", kwargs=project_step(world) | {"pk": world.deliverable.pk})

    world.client(OTHER_LEARNER).post(url, {"checked": "1"})

    assert not DeliverableCheck.objects.filter(progress=world.project_progress).exists()
    assert DeliverableCheck.objects.filter(progress__learner=other).count() == 1


@pytest.mark.django_db
def test_another_learner_with_the_same_step_cannot_change_the_learners_status_or_notes(world: World) -> None:
    other = world.users[OTHER_LEARNER]
    PlanItemFactory(plan=other.plan, position=100, skill=None, project=world.catalog.project)
    client = world.client(OTHER_LEARNER)

    client.post(reverse("roadmap:step_status", kwargs=project_step(world)), {"status": "done"})
    client.post(reverse("roadmap:step_notes", kwargs=project_step(world)), {"notes": "Overwritten"})

    progress = Progress.objects.get(pk=world.project_progress.pk)
    assert (progress.status, progress.notes) == (Progress.Status.NOT_STARTED, "My private notes.")


@pytest.mark.django_db
def test_a_mentor_who_stepped_down_is_refused_at_once(world: World) -> None:
    client = world.client(MENTOR)
    client.post(reverse("mentoring:step_down", kwargs=mentee_key(world)))

    response = client.get(reverse("mentoring:mentee", kwargs=mentee_key(world)))

    assert response.status_code == 403
    assert Mentorship.objects.get(pk=world.mentorship.pk).status == Mentorship.Status.ENDED


@pytest.mark.django_db
def test_an_unrelated_user_cannot_revoke_the_learners_mentor(world: World) -> None:
    response = world.client(UNRELATED).post(reverse("mentoring:mentor_revoke", kwargs=mentee_key(world)))

    assert response.status_code == 404
    assert Mentorship.objects.get(pk=world.mentorship.pk).status == Mentorship.Status.ACTIVE
