"""Settings of the test run (and mypy's django plugin): config.settings with a throwaway key.

pytest runs with DEBUG=0, where config.settings refuses to start without SECRET_KEY. The key is put
in the environment, so manage.py, gunicorn and Celery processes that tests start get it too.

Under pytest-xdist each worker (gw0, gw1, ...) has a test database of its own (pytest-django adds
the suffix) and here a Redis database of its own, so no worker reads another's cache, rate limits
or queues, and clearing the cache between tests touches only the worker's own keys."""

import os
import re

os.environ.setdefault("SECRET_KEY", "pytest-throwaway-key-not-a-secret-" + "x" * 30)

_worker = re.fullmatch(r"gw(\d+)", os.environ.get("PYTEST_XDIST_WORKER", ""))
# The run's own REDIS_URL, kept aside: a process a test starts (a Celery worker, manage.py) inherits
# this environment, the worker's name included, and must land on the same database, not one further.
_run_redis = os.environ.setdefault("PATHWISE_TEST_RUN_REDIS_URL", os.environ.get("REDIS_URL", ""))
_redis = re.fullmatch(r"(redis://[^/]*)/?(\d*)", _run_redis)
if _worker and _redis:
    _base = int(_redis.group(2) or 0)
    os.environ["REDIS_URL"] = f"{_redis.group(1)}/{(_base + 1 + int(_worker.group(1))) % 16}"

# A badge signing key of this test session only (sharing.keys), made before settings read it.
if not os.environ.get("BADGE_SIGNING_KEY"):
    from jwcrypto import jwk

    os.environ["BADGE_SIGNING_KEY"] = jwk.JWK.generate(kty="OKP", crv="Ed25519").export_private()

from config.settings import *  # noqa: E402, F403
