"""Settings of the test run (and mypy's django plugin): config.settings with a throwaway key.

pytest runs with DEBUG=0, where config.settings refuses to start without SECRET_KEY. The key is put
in the environment, so manage.py, gunicorn and Celery processes that tests start get it too."""

import os

os.environ.setdefault("SECRET_KEY", "pytest-throwaway-key-not-a-secret-" + "x" * 30)

from config.settings import *  # noqa: F403
