"""The site's mails cannot be turned into a spam relay: display names stay plain text out of
subjects, control characters never get in, and sign-up, password reset and invitations are
rate-limited per client IP and per address."""

from __future__ import annotations

from smtplib import SMTPDataError
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from mentoring.models import Mentorship
from mentoring.services import mentorship_invite
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def allowed(rate: str) -> int:
    return int(rate.split("/")[0])


def signup_data(email: str, display_name: str = "Ada") -> dict[str, str]:
    return {"email": email, "display_name": display_name, "password1": PASSWORD, "password2": PASSWORD}


# ---------------------------------------------------------------- display names


@pytest.mark.parametrize("name", ["Ada\r\nBcc: victim@example.com", "Ada\nLovelace", "Ada\rX", "Ada\tX"])
def test_sign_up_refuses_a_display_name_with_a_line_break(client: Client, name: str) -> None:
    response = client.post(reverse("accounts:signup"), signup_data("ada@example.com", name))

    assert response.status_code == 200
    assert "cannot contain line breaks" in response.content.decode()
    assert not User.objects.exists()


def test_the_profile_page_refuses_a_display_name_with_a_line_break(client: Client) -> None:
    user = UserFactory(display_name="Ada")
    client.force_login(user)

    response = client.post(reverse("accounts:profile"), {"display_name": "Ada\r\nLovelace"})

    assert response.status_code == 200
    assert "cannot contain line breaks" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Ada"


def test_the_database_never_stores_a_display_name_with_a_control_character() -> None:
    user = UserFactory()
    user.display_name = "Ada\nLovelace"
    with pytest.raises(IntegrityError):
        user.save()


# ---------------------------------------------------------------- what the invitation mail says


def test_the_invitation_subject_does_not_carry_the_display_name(
    django_capture_on_commit_callbacks: Any,
) -> None:
    learner = UserFactory(display_name="CHEAP PILLS")
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_invite(learner=learner, email="victim@example.com")

    (message,) = mail.outbox
    assert "CHEAP PILLS" not in message.subject
    assert message.subject == "You are invited to mentor a learner on Pathwise"


def test_links_in_the_display_name_reach_neither_part_of_the_mail(
    django_capture_on_commit_callbacks: Any,
) -> None:
    learner = UserFactory(display_name="Win at https://spam.example/x or www.spam.example and spam.example")
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_invite(learner=learner, email="victim@example.com")

    (message,) = mail.outbox
    html = str(message.alternatives[0].content)
    for part in (str(message.body), html):
        assert "spam.example" not in part
        assert "Win at" in part  # the plain words of the name remain
        assert learner.email in part  # the verified sender address says who it is


def test_without_a_broker_a_failing_mail_server_still_gives_the_normal_page(
    client: Client, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts = []

    def refuse(message: Any, *args: Any, **kwargs: Any) -> int:
        attempts.append(message)
        raise SMTPDataError(451, b"4.3.0 Try again later")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mentoring:mentor_invite"), {"email": "m@example.com"}, follow=True)

    assert response.status_code == 200
    assert "Invitation on its way to m@example.com" in response.content.decode()
    assert len(attempts) == 1
    assert Mentorship.objects.get().sent_at is None


# ---------------------------------------------------------------- rate limits


def test_sign_ups_are_limited_per_client_ip(client: Client) -> None:
    limit = allowed(settings.RATE_SIGNUP)
    for n in range(limit):
        assert Client().post(reverse("accounts:signup"), signup_data(f"u{n}@example.com")).status_code == 302

    response = client.post(reverse("accounts:signup"), signup_data("one-more@example.com"))

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "<form" in response.content.decode()  # the page in the site's layout, not an error page
    assert User.objects.count() == limit
    # Another client address is not affected.
    other = Client(REMOTE_ADDR="203.0.113.9").post(
        reverse("accounts:signup"), signup_data("other@example.com")
    )
    assert other.status_code == 302


def test_sign_up_attempts_for_one_address_are_limited_from_any_ip() -> None:
    limit = allowed(settings.RATE_SIGNUP_PER_ADDRESS)
    for n in range(limit):
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(
            reverse("accounts:signup"), signup_data("x@example.com", "A\nB")
        )

    response = Client(REMOTE_ADDR="198.51.100.1").post(
        reverse("accounts:signup"), signup_data("X@Example.com ")
    )

    assert response.status_code == 429
    assert not User.objects.exists()


def test_password_reset_requests_are_limited_per_address_from_any_ip(
    django_capture_on_commit_callbacks: Any,
) -> None:
    UserFactory(email="ada@example.com")
    limit = allowed(settings.RATE_PASSWORD_RESET_PER_ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(limit + 1):
            response = Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(
                reverse("accounts:password_reset"), {"email": "ada@example.com"}
            )

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert len(mail.outbox) == limit


def test_password_reset_requests_are_limited_per_client_ip(client: Client) -> None:
    limit = allowed(settings.RATE_PASSWORD_RESET)
    for n in range(limit):
        assert (
            client.post(reverse("accounts:password_reset"), {"email": f"u{n}@example.com"}).status_code == 302
        )

    response = client.post(reverse("accounts:password_reset"), {"email": "last@example.com"})

    assert response.status_code == 429


def test_invitations_are_limited_per_invited_address(client: Client) -> None:
    limit = allowed(settings.RATE_INVITE_PER_ADDRESS)
    for _ in range(limit):
        sender = Client(REMOTE_ADDR="203.0.113.7")
        sender.force_login(UserFactory())
        sender.post(reverse("mentoring:mentor_invite"), {"email": "prof@university.example"})
    client.force_login(UserFactory())

    response = client.post(reverse("mentoring:mentor_invite"), {"email": "Prof@University.example"})

    assert response.status_code == 429
    assert "You sent many invitations in a short time" in response.content.decode()
    assert Mentorship.objects.count() == limit


def test_invitations_are_limited_per_sender(client: Client, settings: Any) -> None:
    settings.RATE_INVITE_PER_USER = "2/h"
    client.force_login(UserFactory())
    for n in range(2):
        client.post(reverse("mentoring:mentor_invite"), {"email": f"m{n}@example.com"})

    response = client.post(reverse("mentoring:mentor_invite"), {"email": "m9@example.com"})

    assert response.status_code == 429
    assert Mentorship.objects.count() == 2


def test_invitations_are_limited_per_client_ip(settings: Any) -> None:
    settings.RATE_INVITE = "2/h"
    for n in range(2):
        sender = Client(REMOTE_ADDR="203.0.113.5")
        sender.force_login(UserFactory())
        sender.post(reverse("mentoring:mentor_invite"), {"email": f"m{n}@example.com"})
    throwaway = Client(REMOTE_ADDR="203.0.113.5")
    throwaway.force_login(UserFactory())

    response = throwaway.post(reverse("mentoring:mentor_invite"), {"email": "m9@example.com"})

    assert response.status_code == 429
    assert Mentorship.objects.count() == 2
