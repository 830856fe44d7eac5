"""WSGI entry point for gunicorn."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.template import engines
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _prepare() -> None:
    """Import every view (the URLconf imports them) and parse every project template (the cached
    loader keeps them): under gunicorn --preload this happens once in the master, and a worker forked
    from it answers its first requests without doing either. Nothing here opens a connection, so no
    socket is shared between the forked workers."""
    get_resolver().url_patterns  # noqa: B018 (evaluated for its imports)
    root = settings.BASE_DIR / "templates"
    for path in sorted([*root.rglob("*.html"), *root.rglob("*.txt")]):
        engines["django"].get_template(path.relative_to(root).as_posix())
    for path in sorted(root.rglob("*.jinja")):
        engines["jinja2"].get_template(path.relative_to(root).as_posix())


_prepare()
