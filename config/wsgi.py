"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Import every view now (the URLconf imports them): under gunicorn --preload this happens once in
# the master, and each worker forked from it answers its first request without importing them.
get_resolver().url_patterns  # noqa: B018 (evaluated for its imports)
