"""How the URL-permission matrix asks and judges: every URL pattern discovered from the resolver,
the kinds of access a URL can have (Rule), how a request is sent for a role, and what each role must
get back. The classification of every URL is tests/security/url_rules.py."""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.contrib import admin
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.roles import ANONYMOUS, LEARNER, MENTOR, STAFF, World

LOGIN_PREFIX = "/accounts/login/?next="


ADMIN_LOGIN_PREFIX = "/admin/login/?next="


# Django's admin site is tested by Django; our own admin pages in it (content import/export, views
# of our ModelAdmins' get_urls()) are not skipped.
ADMIN_NAMESPACE = "admin"


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern itself when the pattern has no name
    pattern: str  # the full route, e.g. "plan/<str:kind>/<slug:slug>/"
    converters: tuple[tuple[str, str], ...]  # (parameter, converter class), in pattern order


def ours(callback: Any) -> bool:
    """A page of our own in the admin (from a ModelAdmin's get_urls()), not one of Django's pages
    (an overridden changelist_view is still Django's changelist)."""
    module = getattr(callback, "__module__", "")
    django_page = hasattr(admin.ModelAdmin, callback.__name__) or hasattr(admin.AdminSite, callback.__name__)
    return not module.startswith(("django.", "nested_admin")) and not django_page


def discover(
    patterns: list[Any],
    prefix: str = "",
    namespaces: tuple[str, ...] = (),
    in_admin: bool = False,
    prefix_converters: tuple[tuple[str, str], ...] = (),
) -> Iterator[Route]:
    """Every URL pattern below `patterns`, with its full route, namespaced name and converters (those
    of the include()s above it first)."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        converters = prefix_converters + tuple(
            (name, type(converter).__name__) for name, converter in entry.pattern.converters.items()
        )
        if isinstance(entry, URLResolver):
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            admin = in_admin or entry.namespace == ADMIN_NAMESPACE
            yield from discover(entry.url_patterns, route, spaces, admin, converters)
            continue
        assert isinstance(entry, URLPattern)
        if getattr(entry.callback, "__module__", "") in {
            "django.views.static",
            "django.contrib.staticfiles.views",
        }:
            continue
        if in_admin and not ours(entry.callback):
            continue
        name = ":".join((*namespaces, entry.name)) if entry.name else route
        yield Route(name, route, converters)


def site_routes() -> dict[str, Route]:
    return {route.name: route for route in discover(get_resolver().url_patterns)}


class Access(StrEnum):
    PUBLIC = "public"  # everyone, anonymous included
    LOGIN_REQUIRED = "login required"  # any logged-in user, about their own data
    OWNER_ONLY = "owner only"  # the URL names the learner's objects: everyone else gets a 404
    MENTOR_ONLY = "mentor only"  # the URL names a mentorship: only its active mentor
    STAFF = "staff only"  # our admin pages


GET = frozenset({"GET"})


POST = frozenset({"POST"})


GET_POST = frozenset({"GET", "POST"})


PUT = frozenset({"PUT"})


ANY = "*"


# What a permitted user may get back from an empty or garbage POST: handled, never an error
# (429: a rate limit on sign-up, password reset or invitations says "too many", in the page).
POST_HANDLED = frozenset({200, 302, 400, 410, 429})


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Rule:
    access: Access
    kwargs: Callable[[World], dict[str, Any]] = no_kwargs
    methods: frozenset[str] = GET
    # Answers to GET and to an empty or garbage POST, for the roles the access admits.
    ok: Mapping[str, frozenset[int]] = field(default_factory=lambda: {ANY: frozenset({200})})
    post: Mapping[str, frozenset[int]] = field(default_factory=lambda: {ANY: POST_HANDLED})
    htmx: bool = False  # the view is loaded by htmx: request it as htmx does
    api: bool = False  # the JSON API: refusals are problem+json (401 for anonymous), never a redirect
    body: Mapping[str, Any] | None = None  # a valid JSON body: what refused roles send to an API write

    def permitted(self, role: str) -> bool:
        return {
            Access.PUBLIC: True,
            Access.LOGIN_REQUIRED: role != ANONYMOUS,
            Access.OWNER_ONLY: role == LEARNER,
            Access.MENTOR_ONLY: role == MENTOR,
            Access.STAFF: role == STAFF,
        }[self.access]


def ok(default: int | Set[int], **per_role: int | Set[int]) -> dict[str, frozenset[int]]:
    """Expected answers, e.g. ok(302, anonymous=200); roles with spaces use their underscored name."""

    def statuses(value: int | Set[int]) -> frozenset[int]:
        return frozenset({value} if isinstance(value, int) else value)

    answers = {ANY: statuses(default)}
    for role, value in per_role.items():
        answers[role.replace("_", " ")] = statuses(value)
    return answers


GARBAGE_POST = {
    "status": "bogus",
    "checked": "2",
    "decision": "maybe",
    "email": "not-an-e-mail",
    "url": "javascript:alert(1)",
    "evidence_url": "ftp://example.com",
    "body": "",
    "notes": "x" * 30_000,
    "tracks": "-1",
    "hours_per_week": "many",
    "next": "https://evil.example/",
    "page": "-1",
}


def send(
    client: Client, method: str, url: str, rule: Rule, data: dict[str, Any] | None = None
) -> HttpResponse:
    headers = {"HX-Request": "true"} if rule.htmx else {}
    if method == "GET":
        return client.get(url, headers=headers)
    if method == "POST" and not rule.api:
        return client.post(url, data or {}, headers=headers)
    return client.generic(method, url, json.dumps(data or {}), content_type="application/json")


def problem(response: HttpResponse, rule: Rule, role: str, method: str) -> str | None:
    """Why this answer is wrong for this role, or None when it is what the classification promises."""
    status = response.status_code
    location = response.get("Location", "")
    if status >= 500:
        return f"server error {status}"
    if rule.api:
        return api_problem(response, rule, role, method)
    if not rule.permitted(role):
        if rule.access == Access.STAFF:
            return (
                None
                if status == 302 and location.startswith(ADMIN_LOGIN_PREFIX)
                else "expected the admin login"
            )
        if role == ANONYMOUS:
            return (
                None
                if status == 302 and location.startswith(LOGIN_PREFIX)
                else "expected a redirect to log in"
            )
        if method not in rule.methods:
            return None if status == 405 else "expected 405"
        if rule.access == Access.MENTOR_ONLY and role == LEARNER:
            return None if status == 403 else "expected 403 (the learner knows the mentorship)"
        return None if status == 404 else "expected 404: must not be known to exist"
    if method not in rule.methods:
        return None if status == 405 else "expected 405"
    if status == 302 and location.startswith(LOGIN_PREFIX):
        return "a permitted user was sent to log in"
    answers = rule.ok if method == "GET" else rule.post
    expected = answers.get(role, answers[ANY])
    return None if status in expected else f"expected one of {sorted(expected)}"


def api_problem(response: HttpResponse, rule: Rule, role: str, method: str) -> str | None:
    """problem() for the JSON API: refusals are problem details, an anonymous caller gets 401."""
    status = response.status_code
    if status >= 400 and response.get("Content-Type") != "application/problem+json":
        return f"{status} is not problem+json"
    if method not in rule.methods:
        return None if status == 405 else "expected 405"
    if not rule.permitted(role):
        if role == ANONYMOUS:
            return None if status == 401 else "expected 401"
        if rule.access == Access.MENTOR_ONLY and role == LEARNER:
            return None if status == 403 else "expected 403 (the learner knows the mentorship)"
        return None if status == 404 else "expected 404: must not be known to exist"
    answers = rule.ok if method == "GET" else rule.post
    expected = answers.get(role, answers[ANY])
    return None if status in expected else f"expected one of {sorted(expected)}"


def attempt(
    client: Client, method: str, url: str, rule: Rule, data: dict[str, Any] | None = None
) -> HttpResponse | str:
    """The response, or the exception a view raised (the test client re-raises it) as text."""
    try:
        return send(client, method, url, rule, data)
    except Exception as exc:
        return (
            "raised "
            + "".join(traceback.format_exception_only(exc)).strip()
            + "\n"
            + traceback.format_exc(limit=-3)
        )
