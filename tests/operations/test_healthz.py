"""The health check (database and Redis) and the trivial ping view used as the load baseline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client, override_settings
from pytest_django import DjangoAssertNumQueries

from config import views


@pytest.fixture
def fresh_redis_clients() -> Iterator[None]:
    views._redis_client.cache_clear()
    yield
    views._redis_client.cache_clear()


@pytest.mark.django_db
def test_healthz_reports_database_ok(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["db"] == "ok"


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_healthz_without_redis_configured_is_healthy_and_says_so(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"db": "ok", "redis": "not configured"}


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reports_redis_ok(client: Client, fresh_redis_clients: None) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"db": "ok", "redis": "ok"}


@pytest.mark.django_db
@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_is_503_when_redis_is_unreachable(client: Client, fresh_redis_clients: None) -> None:
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["redis"].startswith("error")
    assert response.json()["db"] == "ok"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_is_unreachable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real connection failure: reconnect to a port where no PostgreSQL listens.
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        monkeypatch.undo()

    assert response.status_code == 503
    assert response.json()["db"].startswith("error")


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_answers_plain_http_when_https_redirect_is_on(client: Client) -> None:
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200


def test_healthz_is_never_cached(client: Client, db: None) -> None:
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_ping_answers_ok_without_touching_the_database(
    client: Client, db: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(0):
        response = client.get("/healthz/ping")

    assert response.status_code == 200
    assert response.content == b"ok"
