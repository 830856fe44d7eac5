"""Structured logs: request ids on every response and log line, JSON access lines, Celery task ids."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from config.celery import app as celery_app
from config.logging import JsonFormatter


class Capture:
    """JSON lines written through the project's formatter by one logger."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines() if line]


def _capture(name: str) -> Iterator[Capture]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(name)
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield Capture(stream)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


@pytest.fixture
def access_log() -> Iterator[Capture]:
    yield from _capture("pathwise.access")


@pytest.fixture
def task_log() -> Iterator[Capture]:
    yield from _capture("tests.task")


@celery_app.task(name="tests.log_inside_a_task")
def log_inside_a_task() -> None:
    logging.getLogger("tests.task").info("working")


@pytest.mark.django_db
def test_every_response_carries_a_generated_request_id(client: Client) -> None:
    response = client.get(reverse("home"))

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept(client: Client) -> None:
    response = client.get(reverse("home"), HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")

    assert response["X-Request-ID"] == "lb-7f3a9c21-0001"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["short", "has space in it", "x" * 200, "newline\ninjected-id"])
def test_an_unsafe_incoming_request_id_is_replaced(client: Client, bad: str) -> None:
    response = client.get(reverse("home"), HTTP_X_REQUEST_ID=bad)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_access_log_line_is_json_with_method_path_status_duration_and_request_id(
    client: Client, access_log: Capture
) -> None:
    response = client.get(reverse("catalog:track_list"), HTTP_X_REQUEST_ID="trace-1234abcd")

    [line] = access_log.lines()
    assert line["logger"] == "pathwise.access"
    assert line["method"] == "GET"
    assert line["path"] == "/tracks/"
    assert line["status"] == response.status_code == 200
    assert line["request_id"] == "trace-1234abcd"
    assert isinstance(line["duration_ms"], float)
    assert line["user_id"] is None


@pytest.mark.django_db
def test_access_log_names_the_logged_in_user(client: Client, access_log: Capture) -> None:
    user = User.objects.create_user("logged@example.com", "correct-horse-battery-9")
    client.force_login(user)

    client.get(reverse("home"))

    assert access_log.lines()[-1]["user_id"] == user.pk


@pytest.mark.django_db
def test_access_log_records_not_found_responses(client: Client, access_log: Capture) -> None:
    client.get("/no-such-page/")

    assert access_log.lines()[-1]["status"] == 404


def test_log_lines_inside_a_celery_task_carry_the_task_id(task_log: Capture) -> None:
    result = log_inside_a_task.apply()

    [line] = task_log.lines()
    assert line["message"] == "working"
    assert line["task_id"] == result.id
    assert line["task"] == "tests.log_inside_a_task"


def test_task_id_is_cleared_after_the_task(task_log: Capture) -> None:
    log_inside_a_task.apply()
    logging.getLogger("tests.task").info("after")

    assert "task_id" not in task_log.lines()[-1]
