"""Accounts: sign-up, log in and out, lockout after failed logins, password change and reset, profile."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Profile, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
GOOD_PASSWORD = "a-long-and-quiet-river-42"


def sign_up(
    client: Client, email: str = "new@example.com", password: str = GOOD_PASSWORD, **extra: str
) -> object:
    data = {"email": email, "display_name": "", "password1": password, "password2": password, **extra}
    return client.post(reverse("accounts:signup"), data)


def log_in(client: Client, email: str, password: str) -> object:
    return client.post(LOGIN, {"username": email, "password": password})


# ---------------------------------------------------------------- sign-up


def test_signing_up_creates_the_account_logs_in_and_starts_onboarding(client: Client) -> None:
    response = sign_up(client, "Ada@Example.com")
    assert response["Location"] == reverse("roadmap:onboarding")
    user = User.objects.get(email="ada@example.com")
    assert Profile.objects.filter(user=user).exists()
    assert client.get(reverse("roadmap:onboarding")).status_code == 200


@pytest.mark.parametrize("password", ["password", "12345678901", "short1"])
def test_signing_up_with_a_weak_password_is_refused(client: Client, password: str) -> None:
    response = sign_up(client, password=password)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not User.objects.exists()


def test_signing_up_with_a_taken_address_is_refused(client: Client) -> None:
    UserFactory(email="ada@example.com")
    response = sign_up(client, "ADA@example.com")
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_sign_up_returns_to_a_safe_next_page(client: Client) -> None:
    assert sign_up(client, next="/accounts/invitations/abc/")["Location"] == "/accounts/invitations/abc/"


def test_sign_up_ignores_a_next_page_on_another_site(client: Client) -> None:
    assert sign_up(client, next="https://evil.example/")["Location"] == reverse("roadmap:onboarding")


# ---------------------------------------------------------------- log in and out


def test_logging_in_leads_to_the_plan(client: Client) -> None:
    user = UserFactory()
    response = log_in(client, user.email, PASSWORD)
    assert response["Location"] == reverse("roadmap:plan")


def test_a_wrong_password_is_refused_with_a_message(client: Client) -> None:
    user = UserFactory()
    response = log_in(client, user.email, "not-the-password")
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()


def test_logging_out_ends_the_session(client: Client) -> None:
    client.force_login(UserFactory())
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("roadmap:plan")).status_code == 302


def test_repeated_failed_logins_lock_the_account_out_with_a_clear_message(
    client: Client, settings: object
) -> None:
    user = UserFactory()
    for _ in range(5):
        log_in(client, user.email, "guess")
    response = log_in(client, user.email, PASSWORD)  # even the right password now waits
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed log-in attempts" in html and "15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_lock_other_accounts(client: Client) -> None:
    victim, other = UserFactory(), UserFactory()
    for _ in range(5):
        log_in(client, victim.email, "guess")
    assert log_in(client, other.email, PASSWORD)["Location"] == reverse("roadmap:plan")


def test_a_successful_login_resets_the_failure_count(client: Client) -> None:
    user = UserFactory()
    for _ in range(4):
        log_in(client, user.email, "guess")
    log_in(client, user.email, PASSWORD)
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        log_in(client, user.email, "guess")
    assert log_in(client, user.email, PASSWORD).status_code == 302


# ---------------------------------------------------------------- passwords


def test_changing_the_password(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


def test_resetting_a_forgotten_password_by_email(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory(email="ada@example.com")
    with django_capture_on_commit_callbacks(execute=True):  # the mail is a task queued on commit
        response = client.post(reverse("accounts:password_reset"), {"email": "ada@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["ada@example.com"] and "Reset your Pathwise password" in message.subject
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body)
    assert link
    form_url = client.get(link.group(1))["Location"]  # Django swaps the token for a session marker
    client.post(form_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_used_reset_link_is_explained(client: Client) -> None:
    html = client.get("/accounts/password/reset/MQ/bad-token/").content.decode()
    assert "This link no longer works" in html


# ---------------------------------------------------------------- profile


def test_the_profile_page_needs_a_login(client: Client) -> None:
    assert client.get(reverse("accounts:profile"))["Location"].startswith(LOGIN)


def test_the_profile_page_shows_the_account_and_saves_the_name(client: Client) -> None:
    user = UserFactory(email="ada@example.com")
    client.force_login(user)
    assert "ada@example.com" in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:profile"), {"display_name": "Ada L."})
    user.refresh_from_db()
    assert user.display_name == "Ada L."


def test_the_navigation_offers_my_plan_and_settings_when_logged_in(client: Client) -> None:
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'href="/plan/">My plan<' in html and 'href="/accounts/settings/">Settings<' in html


def test_a_login_with_a_very_long_username_is_refused_not_a_server_error(client: Client) -> None:
    response = client.post(reverse("accounts:login"), {"username": "a" * 400 + "@x.io", "password": "x"})

    assert response.status_code == 200
