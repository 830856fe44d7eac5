"""Fixtures shared by the job-ad tests: the shipped catalog, loaded once per module."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from tests.factories import UserFactory

CONTENT = Path(__file__).resolve().parents[2] / "fixtures" / "content.json"


@pytest.fixture(scope="module")
def shipped(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The shipped content (skills, aliases, tracks) loaded for this module, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_content", str(CONTENT), stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def onboard(user: Any, *, known: tuple[str, ...] = ("python",)) -> None:
    """A learner on the shipped core track who knows `known` (their plan is built)."""
    from catalog.models import Skill, Track
    from roadmap.services import goals_save

    goals_save(
        user=user,
        background="software_engineer",
        tracks=[Track.objects.get(is_core=True)],
        known_skills=Skill.objects.filter(slug__in=known),
        hours_per_week=10,
        target_date=None,
        time_zone="UTC",
    )


@pytest.fixture
def learner(client: Client) -> Any:
    """A learner on the shipped core track who knows Python, logged in."""
    user = UserFactory()
    onboard(user)
    client.force_login(user)
    return user
