"""gunicorn's settings, read from the working directory by every launcher (the Dockerfile's command,
docker-compose's web service, `make serve-prod`, the production smoke test)."""

import os

# Sync workers wait on PostgreSQL and Redis for part of every request, and a core idles meanwhile
# unless another worker has work: at one worker per core plus one (4 on 2 cores) make load's plan
# phase kept the machine 74% busy; gunicorn's rule of thumb, 2 x cores + 1, keeps it busy.
# WEB_CONCURRENCY (> 0) sets the number instead.
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
workers = int(os.environ.get("WEB_CONCURRENCY") or 0) or 2 * _cores + 1

# No access log of gunicorn's: config.middleware writes one JSON line per request, tokens redacted.
accesslog = None
# Whatever gunicorn itself logs (its error log, an access log turned on by hand) is redacted the same way.
logger_class = "config.gunicorn.RedactingLogger"
