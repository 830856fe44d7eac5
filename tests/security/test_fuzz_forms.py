"""Hypothesis fuzzing of every form: no input ends in a 500, bad input gets a message and writes nothing.

The endpoints and payloads are in tests/security/form_endpoints.py; what the fuzzing found is kept
here as examples.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Profile
from tests.factories import PASSWORD
from tests.roles import ANONYMOUS, LEARNER, UNRELATED, World, changed_tables, rolled_back, snapshot
from tests.security.form_endpoints import (
    ENDPOINTS,
    FUZZ,
    GET_ENDPOINTS,
    Clients,
    Endpoint,
    check_answer,
    huge,
    payloads,
    project_step,
    text,
)


@pytest.fixture
def clients(world: World) -> Clients:
    return Clients(world)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS + GET_ENDPOINTS, ids=str)
@FUZZ
@given(data=st.data())
def test_form_never_errors_and_refused_input_writes_nothing(
    endpoint: Endpoint, clients: Clients, data: Any
) -> None:
    payload = data.draw(payloads(endpoint.fields(clients.world)), label="payload")
    htmx = endpoint.htmx and data.draw(st.booleans(), label="htmx")
    check_answer(clients, endpoint, payload, htmx)


@pytest.mark.django_db
@FUZZ
@given(
    token=st.one_of(
        text.filter(lambda t: "/" not in t and t.strip()), huge.map(lambda t: t.replace("/", "-"))
    )
)
def test_unsubscribe_with_a_forged_token_is_refused_and_changes_nothing(world: World, token: str) -> None:
    with rolled_back():
        before = snapshot()
        response = Client().post(reverse("reminders:unsubscribe", kwargs={"token": token}))
        assert changed_tables(before, snapshot()) == []
    assert response.status_code in (400, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["roadmap:step_status", "accounts:signup"])
def test_a_next_that_looks_like_a_view_name_is_followed_as_a_path_not_a_500(world: World, name: str) -> None:
    role, kwargs = (LEARNER, project_step(world)) if name == "roadmap:step_status" else (ANONYMOUS, {})
    data = (
        {"status": "done"}
        if role == LEARNER
        else {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )

    response = world.client(role).post(reverse(name, kwargs=kwargs), data | {"next": "0"})

    assert (response.status_code, response["Location"]) == (302, "0")


@pytest.mark.django_db
def test_refused_onboarding_creates_no_profile(world: World) -> None:
    unrelated = world.users[UNRELATED]

    response = world.client(UNRELATED).post(reverse("roadmap:onboarding"), {"hours_per_week": "many"})

    assert response.status_code == 200
    assert not Profile.objects.filter(user=unrelated).exists()
