"""The plan's PDF through the real stack: the web request only records the request and publishes a
task to Redis; a Celery worker process renders the PDF and stores it; the page then offers it, and
only to the one who asked.

Data is committed (transaction=True) so that the worker, on the same test database, sees it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from sharing.models import PlanPdf
from tests.celery_utils import CeleryWorker, database_url, own_queue, wait_for
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(180),
]


@pytest.fixture
def queue(settings: Any) -> Iterator[str]:
    yield from own_queue(settings, "pdf-test")


def start_worker(queue: str, log_path: Path) -> CeleryWorker:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DB_CONN_MAX_AGE": "0",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "LOG_FORMAT": "plain",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    worker = CeleryWorker(env=env, log_path=log_path, queue=queue)
    worker.start()
    return worker


def status() -> str:
    return str(PlanPdf.objects.values_list("status", flat=True).get())


def test_a_worker_makes_the_pdf_and_only_its_owner_downloads_it(
    learner: User, queue: str, tmp_path: Path
) -> None:
    client = Client()
    client.force_login(learner)
    url = reverse("sharing:plan_pdf")

    # No worker yet: the request returns having rendered nothing, and the page says so.
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "being prepared" in response.content.decode()
    assert status() == PlanPdf.Status.PENDING
    assert client.get(reverse("sharing:plan_pdf_download")).status_code == 404

    worker = start_worker(queue, tmp_path / "worker.log")
    try:
        wait_for(
            lambda: status() != PlanPdf.Status.PENDING or worker.process_ended(),
            timeout=90,
            what="the worker to make the PDF",
            poll=0.2,
        )
    finally:
        worker.stop()
    assert status() == PlanPdf.Status.READY, worker.log().decode(errors="replace")[-3000:]

    assert "Download the PDF" in client.get(url).content.decode()
    download = client.get(reverse("sharing:plan_pdf_download"))
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF-")

    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(reverse("sharing:plan_pdf_download")).status_code == 404
    assert Client().get(reverse("sharing:plan_pdf_download")).status_code == 302
