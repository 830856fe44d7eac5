"""Fixtures shared by the roadmap tests."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tests.factories import UserFactory
from tests.plans import Catalog, onboard


@pytest.fixture
def plan_learner(catalog: Catalog, client: Client) -> User:
    """A learner of the core and NLP tracks at 10 hours a week, logged in (the plan page tests)."""
    user = UserFactory()
    onboard(user, catalog.core, catalog.nlp, hours=10)
    client.force_login(user)
    return user
