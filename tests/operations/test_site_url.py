"""Links in e-mails: under `make run` they point at the address runserver serves; elsewhere at SITE_URL."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
LAPTOP_UNSET = {"SITE_URL", "DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}  # a fresh shell
PRINT_SITE_URL = "from django.conf import settings; print(settings.SITE_URL)"


def site_url_under_make_run(*make_args: str, env: dict[str, str] | None = None) -> str:
    """The SITE_URL settings end up with under `make run ...`: its runserver line, dry-run by make,
    executed with runserver swapped for a print."""
    base = {k: v for k, v in os.environ.items() if k not in LAPTOP_UNSET}
    full_env = {**base, **(env or {})}
    dry = subprocess.run(
        ["make", "-n", "run", *make_args],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in dry.stdout.splitlines() if "manage.py runserver" in line)
    command = line.split(" runserver ")[0] + " shell -c " + shlex.quote(PRINT_SITE_URL)
    done = subprocess.run(
        ["bash", "-c", command], cwd=BASE_DIR, env=full_env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "expected"), [((), "http://127.0.0.1:8000"), (("PORT=8123",), "http://127.0.0.1:8123")]
)
def test_make_run_points_links_at_the_port_it_serves(args: tuple[str, ...], expected: str) -> None:
    assert site_url_under_make_run(*args) == expected


def test_make_run_follows_the_host_too() -> None:
    assert site_url_under_make_run("HOST=0.0.0.0", "PORT=9001") == "http://0.0.0.0:9001"


def test_a_site_url_of_ones_own_wins_under_make_run() -> None:
    assert (
        site_url_under_make_run("PORT=8123", env={"SITE_URL": "https://dev.example"}) == "https://dev.example"
    )
