"""Fixtures of the sharing tests: a learner with a plan on the sample catalog."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import User
from tests.factories import UserFactory
from tests.plans import Catalog, onboard


@pytest.fixture
def learner(catalog: Catalog) -> User:
    user = UserFactory(display_name="Ada Lovelace")
    onboard(user, catalog.core, hours=5, target=dt.date.today() + dt.timedelta(days=200))
    user.profile.time_zone = "Europe/Paris"
    user.profile.save(update_fields=["time_zone"])
    return user
