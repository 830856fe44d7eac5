"""Browser smoke test against the production-style server: gunicorn, DEBUG off, hashed static files."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import Page, Response, expect

from tests.celery_utils import wait_for
from tests.factories import SkillFactory, StageFactory, StepFactory, TrackFactory

BASE_DIR = Path(settings.BASE_DIR)
# The server runs in its own process against the test database, so the data must be committed.
pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _production_env(static_root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_MANIFEST="1",
        STATIC_ROOT=str(static_root),
        DATABASE_URL=_database_url(),
        DB_CONN_MAX_AGE="0",
        # Plain http on 127.0.0.1: no HSTS, https redirect or Secure cookies (as in `make serve-prod`).
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SECURE_COOKIES="0",
        LOG_LEVEL="WARNING",
    )
    return env


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("staticfiles")
    env = {**os.environ, "STATIC_MANIFEST": "1", "STATIC_ROOT": str(root), "LOG_LEVEL": "WARNING"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=300,
    )
    return root


@pytest.fixture
def prod_server(transactional_db: None, collected_static: Path, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", f"--bind=127.0.0.1:{port}", "--workers=2"],
        cwd=BASE_DIR,
        env=_production_env(collected_static),
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                return bool(response.status == 200)
        except OSError:
            return False

    try:
        with contextlib.suppress(AssertionError):  # a timeout is reported below, with the log
            wait_for(lambda: healthy() or server.poll() is not None, timeout=60, what="gunicorn", poll=0.25)
        if server.poll() is not None or not healthy():
            raise RuntimeError("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text())
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture
def one_step_track() -> dict[str, Any]:
    python = SkillFactory(name="Python", slug="python")
    track = TrackFactory(name="ML Engineer", slug="ml-engineer", is_core=True)
    StepFactory(stage=StageFactory(track=track, order=1, title="Foundations"), order=1, skill=python)
    return {"track": track, "skill": python}


def test_production_server_serves_pages_with_hashed_static_files_and_csp(
    page: Page, prod_server: str, one_step_track: dict[str, Any]
) -> None:
    static: list[Response] = []
    documents: list[Response] = []
    problems: list[str] = []
    page.on("response", lambda r: static.append(r) if "/static/" in r.url else None)
    page.on("response", lambda r: documents.append(r) if r.request.resource_type == "document" else None)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(prod_server + "/")
    page.locator('a[href="/tracks/ml-engineer/"]').first.click()
    expect(page).to_have_url(re.compile(r"/tracks/ml-engineer/$"))
    page.locator('a[href="/skills/python/"]').first.click()
    expect(page).to_have_url(re.compile(r"/skills/python/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Python")

    assert page.evaluate("typeof window.htmx") == "object"  # the nonce'd script ran under the CSP
    assert problems == []  # no CSP violation, no failed load, no script error
    assert len(documents) == 3
    for document in documents:
        policy = document.headers["content-security-policy"]
        assert re.search(r"script-src 'self' 'nonce-[^']+'", policy)
        assert "unsafe-inline" not in policy
        assert document.headers["x-request-id"]
    assert static and all(r.status in (200, 304) for r in static)
    names = {r.url.rsplit("/", 1)[-1] for r in static}
    assert any(re.fullmatch(r"app\.[0-9a-f]{12}\.css", n) for n in names), names
    assert any(re.fullmatch(r"htmx-[\d.]+\.min\.[0-9a-f]{12}\.js", n) for n in names), names
    css = next(r for r in static if r.url.endswith(".css"))
    assert "immutable" in css.headers["cache-control"]
