"""gunicorn's logger with the project's redaction: gunicorn.conf.py names it.

gunicorn writes no access log here (config.middleware logs each request, tokens redacted); should one
be turned on (--access-logfile, GUNICORN_CMD_ARGS) its lines, and gunicorn's own error lines such as
"Error handling request /share/feed/<token>.ics", go through the same filter as the app's."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from config.logging import RedactSecrets


class RedactingLogger(Logger):  # type: ignore[misc]
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(f, RedactSecrets) for f in handler.filters):
                    handler.addFilter(RedactSecrets())
