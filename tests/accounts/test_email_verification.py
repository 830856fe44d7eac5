"""E-mail addresses are verified before anything depends on them: invitations to an address, and
invitations sent from it, wait for the signed link mailed at sign-up."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.conf import settings
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from accounts.mail import verification_token
from accounts.models import User
from mentoring.models import Mentorship
from mentoring.tokens import invite_path
from tests.factories import PASSWORD, MentorshipFactory, UserFactory

pytestmark = pytest.mark.django_db
INVITED = "prof@university.example"


def sign_up(client: Client, email: str, capture: Any) -> User:
    with capture(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            {"email": email, "display_name": "Someone", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    return User.objects.get(email=email)


def verify_link(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", str(message.body))
    assert found, message.body
    return found.group(1)


def test_sign_up_mails_a_verification_link_and_the_account_starts_unverified(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user = sign_up(client, "new@example.com", django_capture_on_commit_callbacks)

    assert not user.email_verified
    (message,) = mail.outbox
    assert message.to == ["new@example.com"]
    assert "Confirm your e-mail address" in message.subject
    page = client.get(reverse("accounts:verify_status")).content.decode()
    assert "Check your inbox" in page and "Send the link again" in page


def test_an_unverified_account_with_the_invited_address_sees_nothing_until_it_opens_the_mailed_link(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    mentorship = MentorshipFactory(invited_email=INVITED, learner__display_name="Ada Lovelace")
    sign_up(client, INVITED, django_capture_on_commit_callbacks)
    # Anyone could sign up with the address: without the mailed link nothing of the invitation shows.
    assert "Ada Lovelace" not in client.get(reverse("mentoring:dashboard")).content.decode()

    # The signed link went to that mailbox only: opening it proves the address, as a verification link does.
    page = client.get(invite_path(mentorship))
    assert page.status_code == 200 and "Ada Lovelace" in page.content.decode()
    client.post(invite_path(mentorship), {"decision": "accept"})
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ACTIVE


def test_after_opening_the_signed_link_the_invitation_can_be_accepted(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    mentorship = MentorshipFactory(invited_email=INVITED, learner__display_name="Ada Lovelace")
    user = sign_up(client, INVITED, django_capture_on_commit_callbacks)

    response = client.get(verify_link(mail.outbox[-1]), follow=True)

    assert f"{INVITED} is verified" in response.content.decode()
    assert "Ada Lovelace" in client.get(reverse("mentoring:dashboard")).content.decode()
    client.post(invite_path(mentorship), {"decision": "accept"})
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ACTIVE and mentorship.mentor == user


def test_the_link_works_without_being_logged_in(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user = sign_up(client, "new@example.com", django_capture_on_commit_callbacks)
    response = Client().get(verify_link(mail.outbox[-1]))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified


def test_a_tampered_link_is_refused(client: Client) -> None:
    user = UserFactory(email_verified_at=None)
    token = verification_token(user)
    forged = signing.TimestampSigner(salt="pathwise.accounts.verify-email").sign_object(
        {"id": UserFactory(email_verified_at=None).pk, "email": user.email}
    )

    for bad in (token[:-2] + "xx", forged[:-1], "nonsense"):
        response = client.get(reverse("accounts:verify_email", args=[bad]))
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert not User.objects.filter(email_verified_at__isnull=False).exists()


def test_an_expired_link_is_refused(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    user = UserFactory(email_verified_at=None)
    days_ago = time.time() - (settings.EMAIL_VERIFY_MAX_AGE_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: days_ago)
    token = verification_token(user)
    monkeypatch.undo()

    response = client.get(reverse("accounts:verify_email", args=[token]))

    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    user.refresh_from_db()
    assert not user.email_verified


def test_a_link_for_an_address_that_changed_is_refused(client: Client) -> None:
    user = UserFactory(email="old@example.com", email_verified_at=None)
    token = verification_token(user)
    User.objects.filter(pk=user.pk).update(email="new@example.com")

    assert client.get(reverse("accounts:verify_email", args=[token])).status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_an_unverified_learner_cannot_send_invitations(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    learner = UserFactory(email_verified_at=None)
    client.force_login(learner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mentoring:mentor_invite"), {"email": INVITED}, follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Verify your e-mail address first" in page and "Send the link again" in page
    assert not Mentorship.objects.exists()
    assert mail.outbox == []


def test_resending_the_link_is_limited(client: Client, django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory(email_verified_at=None)
    client.force_login(user)
    allowed = int(settings.RATE_VERIFY_RESEND.split("/")[0])

    pages = []
    for _ in range(allowed + 1):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:verify_resend"), follow=True)
        pages.append(response.content.decode())

    assert all("A new link is on its way" in page for page in pages[:allowed])
    assert "We sent several links already" in pages[-1]
    assert len(mail.outbox) == allowed
    # Every link sent works (the newest and the older ones alike).
    assert Client().get(verify_link(mail.outbox[0])).status_code == 302


def test_demo_accounts_are_verified() -> None:
    from django.core.management import call_command

    call_command("create_demo_accounts", verbosity=0)
    assert User.objects.exists()
    assert not User.objects.filter(email_verified_at__isnull=True).exists()
