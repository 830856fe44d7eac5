"""Failed log-ins behind the proxy: locked per account and client address, and per address across accounts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.throttling import client_ip
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PROXY = "172.18.0.2"  # every request reaches the app from the proxy


def log_in(client: Client, email: str, password: str, **meta: str) -> object:
    return client.post(LOGIN, {"username": email, "password": password}, **meta)


def from_client(address: str) -> dict[str, str]:
    """What the app sees of a client behind the proxy: the proxy's socket, the client in X-Forwarded-For."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1


@pytest.mark.usefixtures("behind_proxy")
def test_behind_the_proxy_one_clients_failures_do_not_lock_the_account_for_another(client: Client) -> None:
    user = UserFactory()
    for _ in range(5):
        log_in(client, user.email, "guess", **from_client("203.0.113.7"))

    assert log_in(client, user.email, PASSWORD, **from_client("203.0.113.7")).status_code == 429
    response = log_in(Client(), user.email, PASSWORD, **from_client("198.51.100.20"))
    assert response["Location"] == reverse("roadmap:plan")


@pytest.mark.usefixtures("behind_proxy")
def test_behind_the_proxy_a_client_cannot_dodge_the_lockout_by_writing_its_own_forwarded_for(
    client: Client,
) -> None:
    user = UserFactory()
    for n in range(5):
        # The proxy appends the address it saw; whatever stands left of it came from the client.
        log_in(client, user.email, "guess", **from_client(f"10.9.9.{n}, 203.0.113.7"))

    response = log_in(client, user.email, PASSWORD, **from_client("10.9.9.99, 203.0.113.7"))
    assert response.status_code == 429


def test_without_the_proxy_setting_a_forged_forwarded_for_is_ignored(client: Client) -> None:
    user = UserFactory()
    for n in range(5):
        log_in(client, user.email, "guess", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")

    response = log_in(
        client, user.email, PASSWORD, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.99"
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("forwarded_for", "proxy_count", "expected"),
    [
        ("203.0.113.7", 1, "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7, 10.0.0.3", 2, "203.0.113.7"),
        ("203.0.113.7", 2, PROXY),  # fewer hops than proxies: not from our proxies
        ("not-an-address", 1, PROXY),
        ("", 1, PROXY),
        ("2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_the_client_address_behind_trusted_proxies(
    settings: Any, forwarded_for: str, proxy_count: int, expected: str
) -> None:
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = proxy_count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip(request) == expected


@pytest.mark.usefixtures("behind_proxy")
def test_password_spraying_from_one_address_is_refused_across_accounts(client: Client) -> None:
    users = UserFactory.create_batch(12)
    statuses = [
        log_in(client, user.email, f"guess-{n}", **from_client("203.0.113.7")).status_code
        for user in users
        for n in range(4)  # under the per-account limit of 5
    ]

    assert statuses[:30] == [200] * 30
    assert set(statuses[30:]) == {429}
    refused = log_in(client, users[0].email, PASSWORD, **from_client("203.0.113.7"))
    assert refused.status_code == 429
    assert "too many wrong passwords from your network" in refused.content.decode()
    elsewhere = log_in(Client(), users[0].email, PASSWORD, **from_client("198.51.100.20"))
    assert elsewhere["Location"] == reverse("roadmap:plan")


def test_an_address_typed_in_capitals_logs_in(client: Client) -> None:
    UserFactory(email="ada@example.com")

    response = log_in(client, "  Ada@EXAMPLE.com ", PASSWORD)

    assert response["Location"] == reverse("roadmap:plan")


def test_failures_in_either_case_count_against_the_same_account(client: Client) -> None:
    UserFactory(email="ada@example.com")
    for email in (
        "ADA@example.com",
        "ada@example.com",
        "Ada@Example.com",
        "ADA@EXAMPLE.COM",
        "ada@example.com",
    ):
        log_in(client, email, "guess")

    assert log_in(client, "ada@example.com", PASSWORD).status_code == 429
