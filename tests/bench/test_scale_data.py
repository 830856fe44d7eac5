"""The scale benchmark's loader (bench/scale_data.py) on a few hundred rows: what it COPYs is what the
app reads, within every constraint (the foreign keys checked row by row here)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from bench.scale_data import BIG_MENTEES, MEASURED, Population, Shape, population_load, template_create
from mentoring.models import Mentorship
from reminders import services
from roadmap.models import PlanItem, Progress

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]  # VACUUM needs no transaction


def test_loader_gives_each_learner_a_plan_progress_and_a_reminder_slot() -> None:
    shape = Shape.of(learners=240, progress=240 * 6)
    template = template_create(steps=shape.steps)
    population = Population(shape, template)

    first = population_load(shape, template, start=0, stop=220)
    rest = population_load(shape, template, start=220, stop=shape.learners)

    steps = population.steps
    assert first.rows["roadmap_progress"] + rest.rows["roadmap_progress"] == 240 * steps
    assert Progress.objects.filter(learner__email__endswith="@scale.invalid").count() == 240 * steps
    assert PlanItem.objects.filter(plan__learner__email__endswith="@scale.invalid").count() == 240 * steps
    mentor = User.objects.get(pk=population.mentor_id(0))
    assert Mentorship.objects.filter(mentor=mentor, status=Mentorship.Status.ACTIVE).count() == BIG_MENTEES
    assert len(list(services.due_rows(now=template.now))) == shape.due


def test_a_loaded_learner_sees_their_plan_and_a_loaded_mentor_their_mentees() -> None:
    shape = Shape.of(learners=210, progress=210 * 6)
    template = template_create(steps=shape.steps)
    population = Population(shape, template)
    population_load(shape, template, start=0, stop=shape.learners)

    learner, mentor = Client(), Client()
    learner.force_login(User.objects.get(pk=population.user_id(MEASURED)))
    mentor.force_login(User.objects.get(pk=population.mentor_id(0)))

    assert learner.get(reverse("roadmap:plan")).status_code == 200
    response = mentor.get(reverse("mentoring:dashboard"))
    assert response.status_code == 200 and response.context["page_obj"].paginator.count == BIG_MENTEES
