"""The production stack: docker-compose.yml validity and health checks, the Dockerfile, hashed static files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
COMPOSE_ENV = {
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "pathwise.example.com",
    "SITE_URL": "https://pathwise.example.com",
    "POSTGRES_PASSWORD": "not-a-real-password",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
}
SERVICES = {"web", "worker", "beat", "db", "redis"}


def compose(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """docker-compose with only `env` for interpolation (an empty env file hides a developer's .env)."""
    empty = tmp_path / "empty.env"
    empty.write_text("")
    base = {k: v for k, v in os.environ.items() if k not in COMPOSE_ENV}
    binary = shutil.which("docker-compose") or "docker-compose"
    return subprocess.run(
        [binary, "--env-file", str(empty), "-f", "docker-compose.yml", *args],
        cwd=BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def service_blocks(config: str) -> dict[str, str]:
    """The normalised `docker-compose config` output cut into one text block per service."""
    section = config.split("\nservices:\n", 1)[-1] if not config.startswith("services:") else config[10:]
    section = re.split(r"\n[a-z]", section, maxsplit=1)[0]  # up to the next top-level key
    blocks: dict[str, str] = {}
    for match in re.finditer(r"^  ([a-z][\w-]*):\n((?:    .*\n?|\n)*)", section, re.M):
        blocks[match.group(1)] = match.group(2)
    return blocks


@pytest.mark.compose
def test_docker_compose_config_is_valid(tmp_path: Path) -> None:
    result = compose(["config", "-q"], COMPOSE_ENV, tmp_path)

    assert result.returncode == 0, result.stderr


@pytest.mark.compose
def test_docker_compose_refuses_to_run_without_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in COMPOSE_ENV.items() if k != "SECRET_KEY"}

    result = compose(["config", "-q"], env, tmp_path)

    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


@pytest.mark.compose
def test_every_long_running_service_has_a_health_check(tmp_path: Path) -> None:
    result = compose(["config"], COMPOSE_ENV, tmp_path)
    blocks = service_blocks(result.stdout)

    assert set(blocks) >= SERVICES, sorted(blocks)
    for name in SERVICES:
        assert re.search(r"^    healthcheck:\n(      .*\n)*      test:", blocks[name], re.M), name


@pytest.mark.compose
def test_compose_runs_gunicorn_celery_worker_and_beat_from_the_one_image(tmp_path: Path) -> None:
    blocks = service_blocks(compose(["config"], COMPOSE_ENV, tmp_path).stdout)

    assert "- gunicorn\n    - config.wsgi" in blocks["web"]
    assert "- celery\n    - -A\n    - config\n    - worker" in blocks["worker"]
    assert "- celery\n    - -A\n    - config\n    - beat" in blocks["beat"]
    for name in ("web", "worker", "beat"):
        assert "image: pathwise:latest" in blocks[name]
        assert "DEBUG: '0'" in blocks[name]


def test_dockerfile_runs_gunicorn_as_a_non_root_user_with_hashed_static_files() -> None:
    dockerfile = (BASE_DIR / "Dockerfile").read_text()

    assert re.search(r"^FROM python:3\.13-slim$", dockerfile, re.M)
    assert re.search(r"^RUN pip install -r requirements\.txt$", dockerfile, re.M)
    assert re.search(r"STATIC_MANIFEST=1 SECRET_KEY=\S+ python manage.py collectstatic --noinput", dockerfile)
    user = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert user and user[-1] not in {"root", "0"}
    assert re.search(r'^CMD \["gunicorn", "config\.wsgi"', dockerfile, re.M)


def test_collectstatic_writes_hashed_compressed_files_for_whitenoise(tmp_path: Path) -> None:
    env = {**os.environ, "STATIC_MANIFEST": "1", "STATIC_ROOT": str(tmp_path), "LOG_LEVEL": "WARNING"}

    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed_css = manifest["css/app.css"]
    assert re.fullmatch(r"css/app\.[0-9a-f]{12}\.css", hashed_css)
    assert (tmp_path / hashed_css).exists()
    assert (tmp_path / f"{hashed_css}.br").exists() or (tmp_path / f"{hashed_css}.gz").exists()
