"""Fixtures shared by the roadmap tests."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tests.plans import Catalog, signed_in_learner


@pytest.fixture
def plan_learner(catalog: Catalog, client: Client) -> User:
    """A learner of the core and NLP tracks at 10 hours a week, logged in (the plan page tests)."""
    return signed_in_learner(client, catalog.core, catalog.nlp, hours=10)
