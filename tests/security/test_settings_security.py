"""Production security settings: check --deploy, CSP with nonces, HSTS, cookies, CSRF for htmx, templates."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATES_DIR = BASE_DIR / "templates"

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "pathwise.example.com",
    "SITE_URL": "https://pathwise.example.com",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_COOKIES": "1",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
}


def run_django(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a fresh process, so settings are read from `env` as in production."""
    # conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for the browser tests; production never does.
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in unset}
    # The production module itself, not the test run's (tests.settings brings a key of its own).
    full_env.update(env, LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_values() -> None:
    result = run_django(["check", "--deploy", "--fail-level", "DEBUG"], PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_a_secret_key_production_refuses_to_start() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = run_django(["check"], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_an_empty_secret_key_is_refused_too() -> None:
    result = run_django(["check"], {**PRODUCTION_ENV, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_with_debug_on_a_laptop_starts_without_a_secret_key() -> None:
    result = run_django(["check"], {"DEBUG": "1"})

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_values_turn_on_hsts_secure_cookies_and_https_redirect() -> None:
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_REFERRER_POLICY",
        "DEBUG",
    ]
    code = f"from django.conf import settings; import json; print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"

    result = run_django(["shell", "-c", code], PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_REFERRER_POLICY": "strict-origin-when-cross-origin",
        "DEBUG": False,
    }


@pytest.mark.django_db
def test_pages_carry_a_nonce_based_csp_without_unsafe_inline(client: Client) -> None:
    response = client.get(reverse("home"))

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy)
    assert nonce, policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "style-src 'self'" in policy
    assert f'nonce="{nonce.group(1)}"' in response.content.decode()


@pytest.mark.django_db
def test_each_response_gets_a_fresh_csp_nonce(client: Client) -> None:
    first = client.get(reverse("home"))["Content-Security-Policy"]
    second = client.get(reverse("home"))["Content-Security-Policy"]

    assert first != second


@pytest.mark.django_db
def test_pages_send_referrer_policy_nosniff_and_deny_framing(client: Client) -> None:
    response = client.get(reverse("home"))

    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def _page_templates() -> list[Path]:
    """Templates served as web pages; e-mails are exempt (no CSP there, and mail clients need inline styles)."""
    return sorted(
        p for p in TEMPLATES_DIR.rglob("*") if p.suffix in {".html", ".svg"} and "email" not in p.parent.parts
    )


def _offences(pattern: re.Pattern[str]) -> list[str]:
    found = []
    for path in _page_templates():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()[:100]}")
    return found


def test_templates_have_no_inline_style_attributes_or_style_blocks() -> None:
    # style-src 'self' blocks both; use classes in static/css/ (SVG presentation attributes are fine).
    found = _offences(re.compile(r"(\sstyle\s*=|<style[\s>])", re.I))
    # The plan's PDF template is read by WeasyPrint, never served to a browser under the CSP.
    assert [f for f in found if not f.startswith("templates/sharing/plan_document.html")] == []


def test_every_script_tag_in_templates_carries_the_csp_nonce() -> None:
    script_tags = re.compile(r"<script\b(?![^>]*\bnonce=\"\{\{ csp_nonce \}\}\")[^>]*>", re.I)

    assert _offences(script_tags) == []


def test_templates_have_no_inline_event_handlers_hx_on_or_javascript_urls() -> None:
    inline = re.compile(r"(\son[a-z]+\s*=|\shx-on[:-]|javascript:)", re.I)

    assert _offences(inline) == []


@pytest.fixture
def csrf_client(db: None) -> tuple[Client, str]:
    """A logged-in client that enforces CSRF like a browser, and the token base.html gives htmx."""
    user = User.objects.create_user("csrf@example.com", "correct-horse-battery-9")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    token = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", page)
    assert token, "base.html must send X-CSRFToken through hx-headers"
    return client, token.group(1)


def test_htmx_post_with_the_csrf_header_from_base_html_is_accepted(csrf_client: tuple[Client, str]) -> None:
    client, token = csrf_client

    response = client.post(reverse("accounts:logout"), HTTP_X_CSRFTOKEN=token, HTTP_HX_REQUEST="true")

    assert response.status_code == 302


def test_htmx_post_without_the_csrf_header_is_refused(csrf_client: tuple[Client, str]) -> None:
    client, _ = csrf_client

    response = client.post(reverse("accounts:logout"), HTTP_HX_REQUEST="true")

    assert response.status_code == 403
