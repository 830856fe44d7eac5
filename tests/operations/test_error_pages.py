"""Error pages in the site's layout with a way back (DEBUG is 0 under pytest), and /favicon.ico."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.operations.test_error_pages")]


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("not yours")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("odd input")


def failing_context_processor(request: HttpRequest) -> dict[str, Any]:
    raise RuntimeError("the database is down")


urlpatterns = [
    path("test-errors/broken/", broken),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/suspicious/", suspicious),
    path("", include("config.urls")),
]


def assert_in_the_layout_with_a_way_home(html: str, heading: str) -> None:
    assert '<header class="site-header">' in html
    assert '<a class="brand" href="/">Pathwise</a>' in html
    assert heading in html
    assert 'href="/">Go to the home page</a>' in html


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/no/such/page/", 404, "<h1>Page not found</h1>"),
        ("/test-errors/broken/", 500, "Something went wrong on our side"),
        ("/test-errors/forbidden/", 403, "You have no access to this page"),
        ("/test-errors/suspicious/", 400, "This request could not be understood"),
    ],
    ids=["unknown-address", "server-error", "refusal", "bad-request"],
)
def test_an_error_answers_its_status_in_the_layout_with_a_link_home(
    path: str, status: int, heading: str
) -> None:
    response = Client(raise_request_exception=False).get(path)

    assert response.status_code == status
    assert_in_the_layout_with_a_way_home(response.content.decode(), heading)


def test_a_refusal_offers_to_log_in(client: Client) -> None:
    assert 'href="/accounts/login/">log in</a>' in client.get("/test-errors/forbidden/").content.decode()


def test_a_logged_in_user_is_offered_the_way_back_to_their_plan_on_a_404(client: Client) -> None:
    client.force_login(UserFactory())

    html = client.get("/no/such/page/").content.decode()

    assert 'href="/plan/">back to your plan</a>' in html
    assert "Log out" in html


def test_the_500_page_renders_when_context_processors_fail(settings: Any) -> None:
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                "context_processors": [
                    *processors,
                    "tests.operations.test_error_pages.failing_context_processor",
                ]
            },
        }
    ]

    response = Client(raise_request_exception=False).get("/test-errors/broken/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_an_unknown_host_answers_400_in_the_layout(client: Client) -> None:
    response = client.get("/", headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()


def test_favicon_ico_answers_with_the_sites_icon(client: Client) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert "public" in response["Cache-Control"]


def test_every_page_links_the_icon(client: Client) -> None:
    assert (
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
        in client.get("/").content.decode()
    )


def test_a_form_without_its_csrf_token_answers_403_in_the_layout() -> None:
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "a@b.c", "password": "x"}
    )

    assert response.status_code == 403
    assert_in_the_layout_with_a_way_home(response.content.decode(), "This form has expired")
