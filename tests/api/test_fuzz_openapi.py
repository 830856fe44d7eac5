"""schemathesis against the live app (in-process, through its WSGI handler), on the API's own OpenAPI
description, with a learner's read-write token: no server error, every answer as its schema says
(status, media type, body), and nothing of another learner's in any answer.

Figures (recorded in the commit that made this test): the description's operations, the cases run
per operation (positive and negative data), the failures found and fixed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import token_create
from roadmap.models import EvidenceLink, Progress
from roadmap.services import progress_get_or_create
from tests.roles import OTHER_LEARNER, World

# Per operation and mode: the whole tests/api directory stays well under a minute (API_FUZZ_EXAMPLES=200
# for a deeper run by hand).
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SECRET_NOTE = "Otto's private note 7f3c"
SECRET_URL = "https://example.org/otto-evidence-7f3c"


def _seed_other_learner(world: World) -> list[str]:
    """The other learner's private things, each a string no answer to our learner may contain."""
    other = world.users[OTHER_LEARNER]
    assert other is not None
    progress = progress_get_or_create(learner=other, kind="skill", item_id=_first_skill_of(other))
    Progress.objects.filter(pk=progress.pk).update(notes=SECRET_NOTE, notes_shared=True)
    EvidenceLink.objects.create(progress=progress, url=SECRET_URL, label="Otto's work")
    return [SECRET_NOTE, SECRET_URL, other.email, "Otto Other"]


def _first_skill_of(user: Any) -> int:
    return int(user.plan.items.filter(skill__isnull=False).values_list("skill_id", flat=True)[0])


@pytest.fixture
def connections_kept() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request, which would close the
    test's transaction on PostgreSQL; Django's test client unhooks the same signals."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("connections_kept")
def test_fuzzing_the_api_finds_no_error_no_schema_break_and_no_other_learners_data(
    world: World, settings: Any
) -> None:
    settings.API_RATE = "100000/m"  # the fuzzer is one busy client; the limit has its own test
    secrets = _seed_other_learner(world)
    _, token = token_create(user=world.learner, name="fuzzer", scope="write")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    leaks: list[str] = []
    cases = 0

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                nonlocal cases
                cases += 1
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)
                body = response.text
                leaks.extend(f"{case.method} {case.formatted_path}: {s!r}" for s in secrets if s in body)

            try:
                run()
            except Unsatisfiable:
                # Nothing to break: an operation without parameters or body has no invalid input.
                assert mode == GenerationMode.NEGATIVE, operation.label

    print(f"schemathesis: {len(operations)} operations, {cases} cases")
    assert len(operations) >= 25
    assert leaks == []
