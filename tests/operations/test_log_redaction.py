"""Secret URL parts (feed and card tokens, signed links) never reach a log line.

Each test writes through the handlers settings.LOGGING configures (re-configured onto a StringIO, in
both formats): a filter on a handler is skipped by caplog, so only the real handler proves anything."""

from __future__ import annotations

import copy
import io
import logging
import logging.config
import runpy
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any, cast

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from config.gunicorn import RedactingLogger
from config.logging import redact_path
from sharing.services import public_page_set, token_regenerate
from tests.factories import UserFactory


def _logging_config() -> dict[str, Any]:
    return copy.deepcopy(cast(dict[str, Any], settings.LOGGING))


@pytest.fixture(params=["json", "plain"])
def log_output(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """settings.LOGGING as configured, every handler writing to one StringIO in the given format."""
    stream = io.StringIO()
    config = _logging_config()
    for handler in config["handlers"].values():
        handler["formatter"] = request.param
        handler["stream"] = stream
    logging.config.dictConfig(config)
    try:
        yield stream
    finally:
        logging.config.dictConfig(settings.LOGGING)


def test_every_configured_handler_redacts() -> None:
    for name, handler in _logging_config()["handlers"].items():
        assert "redact_secrets" in handler.get("filters", []), name


@pytest.mark.django_db
def test_feed_and_card_tokens_are_in_no_log_line(log_output: io.StringIO) -> None:
    learner: User = UserFactory()
    sharing = public_page_set(learner=learner, public=True, handle="redacted-logs")  # the card needs it
    feed, card = sharing.feed_token, sharing.card_token
    client = Client()

    assert client.get(f"/share/feed/{feed}.ics").status_code == 200
    assert client.get(f"/share/card/{card}.svg?v=2").status_code == 200
    token_regenerate(learner=learner, which="feed")
    token_regenerate(learner=learner, which="card")
    assert client.get(f"/share/feed/{feed}.ics").status_code == 404  # revoked: Django logs "Not Found"
    assert client.get(f"/share/card/{card}.svg").status_code == 404
    assert client.get("/share/feed/unknown-token-guess").status_code == 404

    written = log_output.getvalue()
    for token in (feed, card, "unknown-token-guess"):
        assert token not in written
    assert written.count("/share/feed/[redacted].ics") >= 3  # the access lines and "Not Found"
    assert "Not Found: /share/feed/[redacted].ics" in written
    assert "/share/card/[redacted].svg 200" in written
    assert "/share/card/[redacted].svg 404" in written
    assert "/share/feed/[redacted] 404" in written


def test_runserver_request_lines_are_redacted(log_output: io.StringIO) -> None:
    # As django.core.servers.basehttp.WSGIRequestHandler.log_message writes a 404 under `make run`.
    logging.getLogger("django.server").warning(
        '"%s" %s %s',
        "GET /share/feed/s3cret-Feed-Token.ics HTTP/1.1",
        "404",
        "179",
        extra={"request": "GET /share/feed/s3cret-Feed-Token.ics", "server_time": "now", "status_code": 404},
    )

    written = log_output.getvalue()
    assert "s3cret-Feed-Token" not in written
    assert "GET /share/feed/[redacted].ics HTTP/1.1" in written
    assert "404 179" in written


def test_a_traceback_mentioning_a_token_is_redacted(log_output: io.StringIO) -> None:
    try:
        raise ValueError("failed on /reminders/unsubscribe/eyJ1IjoxfQ:abcdef/")
    except ValueError:
        logging.getLogger("tests.redaction").exception("while answering")

    written = log_output.getvalue()
    assert "eyJ1IjoxfQ" not in written
    assert "/reminders/unsubscribe/[redacted]/" in written


def test_the_callers_record_is_left_alone() -> None:
    stream = io.StringIO()
    config = _logging_config()
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    seen: list[logging.LogRecord] = []

    class Spy(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    spy = Spy()
    logging.getLogger().addHandler(spy)
    try:
        logging.getLogger("tests.redaction").warning("Not Found: %s", "/share/card/t0ken.svg")
    finally:
        logging.getLogger().removeHandler(spy)
        logging.config.dictConfig(settings.LOGGING)
    assert "t0ken" not in stream.getvalue()
    assert seen[0].getMessage() == "Not Found: /share/card/t0ken.svg"


def _token_routes(resolvers: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _token_routes(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and "token" in entry.pattern.converters and entry.name:
            yield prefix + entry.name


@pytest.mark.parametrize("name", sorted(set(_token_routes(get_resolver().url_patterns))))
def test_every_url_with_a_token_is_redacted(name: str) -> None:
    token = "Zq9-secret_T0ken:1abc:sig"
    kwargs = {"token": token}
    if name == "accounts:password_reset_confirm":
        kwargs["uidb64"] = "MQ"
    path = reverse(name, kwargs=kwargs)

    assert token not in redact_path(path)
    assert token not in redact_path(f'"GET {path}?next=/ HTTP/1.1" 404')


def test_the_token_routes_are_the_known_ones() -> None:
    assert set(_token_routes(get_resolver().url_patterns)) == {
        "accounts:verify_email",
        "accounts:password_reset_confirm",
        "mentoring:invitation",
        "reminders:unsubscribe",
        "sharing:feed",
        "sharing:card",
    }


def test_pages_beside_the_tokens_keep_their_paths() -> None:
    for path in ("/accounts/verify/resend/", "/accounts/password/reset/MQ/set-password/", "/share/feed/"):
        assert redact_path(path) == path


def test_gunicorn_logs_through_the_same_redaction(tmp_path: Any) -> None:
    from gunicorn.config import Config

    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    cfg = Config()
    cfg.set("accesslog", str(access))
    cfg.set("errorlog", str(errors))
    log = RedactingLogger(cfg)
    request = SimpleNamespace(
        method="GET",
        uri="/share/feed/Gun1corn-Token.ics",
        path="/share/feed/Gun1corn-Token.ics",
        query="",
        version=(1, 1),
        headers=[],
    )
    response = SimpleNamespace(status="404 Not Found", response_length=179, headers=[], sent=179)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": request.uri,
        "PATH_INFO": request.path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    log.access(response, request, environ, timedelta(seconds=0.01))
    log.error("Error handling request %s", request.uri)
    for handler in [*log.access_log.handlers, *log.error_log.handlers]:
        handler.flush()

    assert "Gun1corn-Token" not in access.read_text() + errors.read_text()
    assert "GET /share/feed/[redacted].ics HTTP/1.1" in access.read_text()
    assert "Error handling request /share/feed/[redacted].ics" in errors.read_text()


def test_gunicorn_runs_with_the_redacting_logger_and_no_access_log() -> None:
    # gunicorn reads ./gunicorn.conf.py by default; every launcher starts it from the project's root.
    from gunicorn.config import Config

    cfg = Config()
    for key, value in runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py")).items():
        if key in cfg.settings:
            cfg.set(key, value)

    assert cfg.logger_class is RedactingLogger
    assert cfg.accesslog is None
    for launcher in ("Dockerfile", "docker-compose.yml", "Makefile"):
        text = (settings.BASE_DIR / launcher).read_text()
        for flag in ("--access-logfile", "--log-config", "--config", "GUNICORN_CMD_ARGS"):
            assert flag not in text, (launcher, flag)
