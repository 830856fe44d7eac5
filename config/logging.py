"""Structured logs: a JSON formatter and the request/task ids every log line carries."""

from __future__ import annotations

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

# Paths whose last part is a credential (the calendar feed's and the card's tokens): logged without it.
SECRET_PATH = re.compile(r"^(/share/(?:feed|card)/)[^/]+?(\.\w+)?$")


def redact_path(path: str) -> str:
    return SECRET_PATH.sub(r"\1[redacted]\2", path)


# Attributes every LogRecord has; anything else came in through `extra=` and is logged as a field.
_RECORD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


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
            entry["exc_info"] = self.formatException(record.exc_info)
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
