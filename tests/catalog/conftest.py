"""Fixtures shared by the catalog tests."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from catalog.importing import content_import
from catalog.models import Deliverable, Skill
from roadmap.models import DeliverableCheck
from roadmap.services import progress_get_or_create
from tests.catalog.fuzzing import BASE
from tests.factories import StaffUserFactory, UserFactory


@pytest.fixture(scope="module")
def imported_base(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The base file imported, with a learner who has started a skill and ticked a deliverable
    (both PROTECT the catalog rows they point at)."""
    with django_db_blocker.unblock(), transaction.atomic():
        content_import(data=copy.deepcopy(BASE))
        learner = UserFactory()
        progress_get_or_create(learner=learner, kind="skill", item_id=Skill.objects.get(slug="numpy").pk)
        project = progress_get_or_create(
            learner=learner,
            kind="project",
            item_id=Deliverable.objects.first().project_id,
        )
        DeliverableCheck.objects.create(
            progress=project, deliverable=Deliverable.objects.order_by("order").last()
        )
        yield
        transaction.set_rollback(True)


@pytest.fixture
def admin_client_(imported_base: None) -> Any:
    client = Client()
    client.force_login(StaffUserFactory())
    return client


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(StaffUserFactory())
    return client
