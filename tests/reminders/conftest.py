"""Fixtures shared by the reminder tests."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import Profile
from tests.factories import ProfileFactory


@pytest.fixture
def learner_profile(db: None) -> Profile:
    return ProfileFactory(onboarded_at=timezone.now())
