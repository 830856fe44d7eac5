"""NUL characters in a form field, anywhere in a request or in the session cookie: a 400 with a
message, never a 500, nothing saved (PostgreSQL itself refuses them in text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DataError
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.roles import LEARNER, MENTOR, World, changed_tables, rolled_back, snapshot
from tests.security.form_endpoints import ENDPOINTS, FUZZ, GET_ENDPOINTS, project_step, submit, text


@pytest.mark.django_db
def test_a_nul_in_a_form_field_is_refused_with_a_message_and_saves_nothing(world: World) -> None:
    client = world.client(LEARNER)
    before = snapshot()

    response = client.post(
        reverse("roadmap:step_notes", kwargs=project_step(world)), {"notes": "ok\x00not ok"}
    )

    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert changed_tables(before, snapshot()) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "request_with_nul",
    [
        pytest.param(lambda c, w: c.get(reverse("catalog:skill_list"), {"q": "py\x00"}), id="query"),
        pytest.param(lambda c, w: c.get("/mentor/%00/"), id="path"),
        pytest.param(
            lambda c, w: c.post(reverse("accounts:login"), {"username": "a\x00@b.c", "password": "x"}),
            id="log-in",
        ),
        pytest.param(
            lambda c, w: c.post(reverse("mentoring:mentor_invite"), {"e\x00mail": "x@example.com"}), id="key"
        ),
    ],
)
def test_a_nul_anywhere_in_a_request_gets_a_400_not_a_500(
    world: World, request_with_nul: Callable[[Client, World], Any]
) -> None:
    response = request_with_nul(world.client(LEARNER), world)

    assert response.status_code == 400


@pytest.mark.django_db
def test_a_session_cookie_with_a_nul_gets_a_400_not_a_500(world: World) -> None:
    client = Client()
    client.cookies["sessionid"] = "\x00" * 32

    assert client.get(reverse("roadmap:plan")).status_code == 400


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_itself_refuses_a_nul_which_is_why_requests_are_checked_first(
    world: World, settings: Any
) -> None:
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "config.middleware.RejectNulMiddleware"]
    client = world.client(MENTOR)

    with pytest.raises(DataError):
        client.get("/mentor/%00/")


@pytest.mark.postgres
@pytest.mark.django_db
@FUZZ
@given(value=st.builds("{}\x00{}".format, text, text))
def test_on_postgresql_a_nul_in_any_form_is_refused_not_a_500(world: World, value: str) -> None:
    for endpoint in (ENDPOINTS[1], ENDPOINTS[10], ENDPOINTS[13], GET_ENDPOINTS[0]):
        field_name = next(iter(endpoint.fields(world)))
        with rolled_back():
            client = world.client(endpoint.role)
            response = submit(
                client,
                endpoint,
                reverse(endpoint.name, kwargs=endpoint.kwargs(world)),
                {field_name: value},
                False,
            )
        assert response.status_code == 400, endpoint
