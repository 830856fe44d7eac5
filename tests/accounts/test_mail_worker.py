"""Account mails through the real stack: the web request publishes to Redis, a Celery worker
process sends through a real SMTP server (aiosmtpd) that may refuse (451) or be down.

Data is committed (transaction=True) so that the worker, on the same test database, sees it.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from mentoring.models import Mentorship
from mentoring.tokens import invite_token_key
from tests.celery_utils import CeleryWorker, SmtpSink, database_url, free_port, own_queue, wait_for
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(180),
]
MS = Mentorship.Status
# A request that talked to the mail server would take at least its delay (SLOW_SERVER below);
# the margin is for a loaded machine (CI, 2 shared cores).
QUICK = 3.0
SLOW_SERVER = 8.0


@pytest.fixture
def queue(settings: Any) -> Iterator[str]:
    yield from own_queue(settings, "mail-test")


def worker_env(*, email_url: str, queue: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DB_CONN_MAX_AGE": "0",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "EMAIL_URL": email_url,
        "EMAIL_TIMEOUT": "15",  # longer than SLOW_SERVER: slow is not down
        # Retries about 1, 2, 4, 8 s apart (with jitter): a mail server back within seconds is caught.
        "REMINDER_MAX_RETRIES": "6",
        "REMINDER_RETRY_BACKOFF": "1",
        "SITE_URL": "http://testserver",
        "LOG_FORMAT": "plain",
        "SECRET_KEY": settings.SECRET_KEY,
    }


@pytest.fixture
def worker(transactional_db: None, smtp: SmtpSink, queue: str, tmp_path: Path) -> Iterator[CeleryWorker]:
    celery = CeleryWorker(
        env=worker_env(email_url=smtp.url, queue=queue), log_path=tmp_path / "worker.log", queue=queue
    )
    celery.start()
    try:
        yield celery
    finally:
        celery.stop()


@pytest.fixture
def learner_client() -> Client:
    client = Client()
    client.force_login(UserFactory(email="ada@example.com", display_name="Ada"))
    assert client.get(reverse("mentoring:mentors")).status_code == 200  # templates loaded: times compare
    return client


def invite(client: Client, email: str = "prof@university.example") -> tuple[int, str, float]:
    """Send an invitation as the user would: the status and text of the page they end on, and how long it took."""
    started = time.monotonic()
    response = client.post(reverse("mentoring:mentor_invite"), {"email": email}, follow=True)
    return response.status_code, response.content.decode(), time.monotonic() - started


def invitation_tokens(body: str) -> list[str]:
    """The tokens of the invitation links in a mail's text."""
    prefix = reverse("mentoring:invitation", args=["TOKEN"]).split("TOKEN")[0]
    return re.findall(re.escape(prefix) + r"([^/\s]+)/", body)


def pending() -> Mentorship:
    return Mentorship.objects.get(status=MS.PENDING)


def test_a_refusing_mail_server_neither_breaks_the_invitation_nor_uses_up_the_resend(
    worker: CeleryWorker, smtp: SmtpSink, learner_client: Client
) -> None:
    smtp.handler.reject = "451 4.3.0 Mailbox temporarily unavailable"

    status, page, took = invite(learner_client)

    assert status == 200 and took < QUICK
    assert "prof@university.example" in page
    # The worker tries, is refused, and tries again.
    wait_for(lambda: smtp.handler.attempts >= 2, timeout=60, what="a retry after the 451")
    assert smtp.handler.received == []
    assert pending().sent_at is None

    # No mail left, so "resend" is still possible: the resend limit counts mails actually sent.
    status, page, took = invite(learner_client)
    assert status == 200 and took < QUICK
    assert "less than an hour ago" not in page
    second = pending()
    attempts = smtp.handler.attempts
    wait_for(lambda: smtp.handler.attempts > attempts, timeout=60, what="the resent invitation's first try")

    smtp.handler.reject = None  # the mail server is back
    wait_for(lambda: pending().sent_at is not None, timeout=90, what="the invitation to be sent")
    bodies = [m.message.get_body(("plain",)).get_content() for m in smtp.handler.received]
    # The link's token is signed when the mail is made (a timestamp to the second): read it back.
    assert second.key in {invite_token_key(token) for body in bodies for token in invitation_tokens(body)}
    assert set(smtp.handler.recipients()) == {"prof@university.example"}

    # Now a mail went out: a resend within the hour is refused, and nothing more is sent.
    received = len(smtp.handler.received)
    status, page, _took = invite(learner_client)
    assert status == 200 and "less than an hour ago" in page
    assert pending().pk == second.pk
    assert len(smtp.handler.received) == received


def test_a_mail_server_that_is_down_is_retried_and_the_invitation_can_be_resent(
    transactional_db: None, queue: str, tmp_path: Path, learner_client: Client
) -> None:
    nobody_listens = f"smtp://127.0.0.1:{free_port()}"
    celery = CeleryWorker(
        env=worker_env(email_url=nobody_listens, queue=queue), log_path=tmp_path / "worker.log", queue=queue
    )
    celery.start()
    try:
        status, page, took = invite(learner_client)

        assert status == 200 and took < QUICK
        wait_for(
            lambda: (
                celery.log().count(b"mentoring.tasks.invitation_send") >= 2 and b"Retry in" in celery.log()
            ),
            timeout=60,
            what="the worker to retry the invitation",
        )
        assert pending().sent_at is None
        status, page, took = invite(learner_client)
        assert status == 200 and took < QUICK and "less than an hour ago" not in page
    finally:
        celery.stop()


def test_a_password_reset_request_does_not_wait_for_the_mail_server(
    worker: CeleryWorker, smtp: SmtpSink
) -> None:
    UserFactory(email="ada@example.com")
    smtp.handler.rcpt_delay = SLOW_SERVER
    assert Client().get(reverse("accounts:password_reset")).status_code == 200

    started = time.monotonic()
    response = Client().post(reverse("accounts:password_reset"), {"email": "ada@example.com"})
    took = time.monotonic() - started

    assert response.status_code == 302 and took < QUICK
    wait_for(lambda: len(smtp.handler.received) == 1, timeout=60, what="the reset mail")
    assert smtp.handler.recipients() == ["ada@example.com"]
    assert "/accounts/password/reset/" in smtp.handler.received[0].message.get_body(("plain",)).get_content()
