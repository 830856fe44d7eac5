"""Structured logs: a JSON formatter and the request/task ids every log line carries."""

from __future__ import annotations

import copy
import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# Set by config.middleware for a request and by the Celery signals below for a task.
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
task_id_var: ContextVar[str | None] = ContextVar("task_id", default=None)
task_name_var: ContextVar[str | None] = ContextVar("task_name", default=None)

# Attributes every LogRecord has; anything else came in through `extra=` and is logged as a field.
_RECORD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}

# URL parts that are credentials, wherever they appear in a log line (a path, a request line, a URL):
# the calendar feed's and the card's tokens (sharing), the signed links of address verification and
# password reset (accounts), of mentor invitations (mentoring) and of unsubscribing (reminders).
# tests/operations/test_log_redaction.py checks that every URL with a <token> is covered.
_SECRET_PREFIXES = (
    "share/feed",
    "share/card",
    "accounts/verify",
    "accounts/invitations",
    "accounts/password/reset/[^/\\s?#]+",
    "reminders/unsubscribe",
)
# Ends a path segment in a log line: a slash, a query, a space, a quote, the end.
_SEGMENT_END = r"""[/?#\s"'<>]"""
SECRET_PATH = re.compile(
    rf"(?P<prefix>/(?:{'|'.join(_SECRET_PREFIXES)})/)"
    # The fixed pages beside them ("resend" the verification mail, Django's own "set-password" step).
    rf"(?!(?:resend|set-password)(?:{_SEGMENT_END}|$))"
    rf"[^/?#\s\"'<>]+?"
    # The token stops before the feed's and the card's extension, which stays.
    rf"(?=(?:\.ics|\.svg)?(?:{_SEGMENT_END}|$))"
)
REDACTED = "[redacted]"


def redact_path(path: str) -> str:
    """The text with every secret URL part replaced by [redacted]: a path, a request line, a message."""
    return SECRET_PATH.sub(rf"\g<prefix>{REDACTED}", path)


class RedactSecrets(logging.Filter):
    """Keeps secret URL parts out of every line a handler writes (settings.LOGGING puts it on each).

    Django's "Not Found: /share/feed/<token>.ics", runserver's and gunicorn's request lines and any
    `extra=` field are redacted: the message is rendered with its arguments and redacted, string fields
    redacted, other fields (the request object of django.request) replaced by their redacted text when
    it held a secret, and a traceback's text too. The handler gets a copy: other handlers and the
    caller's record are untouched."""

    def filter(self, record: logging.LogRecord) -> logging.LogRecord:
        clean = copy.copy(record)
        try:
            message = record.getMessage()
        except Exception:  # a broken call: the handler reports it as it would have
            message = None
        if message is not None:
            clean.msg, clean.args = redact_path(message), ()
        for key, value in record.__dict__.items():
            if key in _RECORD_ATTRS or key.startswith("_") or value is None or isinstance(value, int | float):
                continue
            text = value if isinstance(value, str) else str(value)
            redacted = redact_path(text)
            if redacted != text or isinstance(value, str):
                setattr(clean, key, redacted)
        if record.exc_info and not record.exc_text:
            clean.exc_text = logging.Formatter().formatException(record.exc_info)
        if clean.exc_text:
            clean.exc_text = redact_path(clean.exc_text)
        if record.stack_info:
            clean.stack_info = redact_path(record.stack_info)
        return clean


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids and any `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, var in (("request_id", request_id_var), ("task_id", task_id_var), ("task", task_name_var)):
            value = var.get()
            if value:
                entry[key] = value
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRS and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = record.exc_text or self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def connect_celery_signals() -> None:
    """Tag every log line of a Celery task with its id, and keep Django's LOGGING in the worker."""
    from celery import signals

    def task_started(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
        task_id_var.set(task_id)
        task_name_var.set(getattr(task, "name", None))

    def task_finished(**kwargs: Any) -> None:
        task_id_var.set(None)
        task_name_var.set(None)

    def use_django_logging(**kwargs: Any) -> None:
        # Connecting this stops Celery from replacing the root handlers with its own plain format.
        import logging.config

        from django.conf import settings

        logging.config.dictConfig(settings.LOGGING)

    signals.task_prerun.connect(task_started, weak=False)
    signals.task_postrun.connect(task_finished, weak=False)
    signals.setup_logging.connect(use_django_logging, weak=False)
