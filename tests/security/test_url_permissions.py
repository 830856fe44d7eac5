"""Every URL of the site, discovered from the resolver, tried as every role.

A new URL pattern fails this module until it is classified in RULES below (public, login
required, owner only, mentor only or staff) with a way to fill its parameters: a new view
cannot ship without someone deciding who may open it, and the test checking that it holds.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator, Mapping, Set
from contextlib import nullcontext
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pytest
from django.contrib import admin
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from mentoring.models import Mentorship, StepComment
from roadmap.models import DeliverableCheck, EvidenceLink, Progress
from tests.factories import PlanItemFactory
from tests.roles import (
    ANONYMOUS,
    LEARNER,
    MENTOR,
    OTHER_LEARNER,
    ROLES,
    STAFF,
    UNRELATED,
    World,
    changed_tables,
    module_world,
    rolled_back,
    snapshot,
)

HERE = "tests/security/test_url_permissions.py"
LOGIN_PREFIX = "/accounts/login/?next="
ADMIN_LOGIN_PREFIX = "/admin/login/?next="
# Django's admin site is tested by Django; our own admin pages in it (content import/export, views
# of our ModelAdmins' get_urls()) are not skipped.
ADMIN_NAMESPACE = "admin"


# ---------------------------------------------------------------- discovering the URLs


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
    patterns: list[Any], prefix: str = "", namespaces: tuple[str, ...] = (), in_admin: bool = False
) -> Iterator[Route]:
    """Every URL pattern below `patterns`, with its full route, namespaced name and converters."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            admin = in_admin or entry.namespace == ADMIN_NAMESPACE
            yield from discover(entry.url_patterns, route, spaces, admin)
            continue
        assert isinstance(entry, URLPattern)
        if getattr(entry.callback, "__module__", "") in {
            "django.views.static",
            "django.contrib.staticfiles.views",
        }:
            continue
        if in_admin and not ours(entry.callback):
            continue
        converters = tuple(
            (name, type(converter).__name__) for name, converter in entry.pattern.converters.items()
        )
        name = ":".join((*namespaces, entry.name)) if entry.name else route
        yield Route(name, route, converters)


def site_routes() -> dict[str, Route]:
    return {route.name: route for route in discover(get_resolver().url_patterns)}


# ---------------------------------------------------------------- the classification


class Access(StrEnum):
    PUBLIC = "public"  # everyone, anonymous included
    LOGIN_REQUIRED = "login required"  # any logged-in user, about their own data
    OWNER_ONLY = "owner only"  # the URL names the learner's objects: everyone else gets a 404
    MENTOR_ONLY = "mentor only"  # the URL names a mentorship: only its active mentor
    STAFF = "staff only"  # our admin pages


GET = frozenset({"GET"})
POST = frozenset({"POST"})
GET_POST = frozenset({"GET", "POST"})
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


def catalog(attribute: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"slug": getattr(world.catalog, attribute).slug}


def project_step(world: World) -> dict[str, Any]:
    return {"kind": "project", "slug": world.catalog.project.slug}


def mentee_key(world: World) -> dict[str, Any]:
    return {"key": world.mentorship.key}


def mentee_step(world: World) -> dict[str, Any]:
    return mentee_key(world) | project_step(world)


def mentor_comment(world: World) -> dict[str, Any]:
    """The mentor's comment on the learner's project step: the learner and the mentor may delete it."""
    return {"pk": StepComment.objects.get(progress=world.project_progress, author=world.users[MENTOR]).pk}


# Users other than the learner have no plan: their plan pages send them to onboarding first.
HAS_PLAN_OR_ONBOARDING = ok(302, learner=200, other_learner=200)

RULES: dict[str, Rule] = {
    # Operations and the public catalog.
    "home": Rule(Access.PUBLIC),
    "healthz": Rule(Access.PUBLIC),
    "ping": Rule(Access.PUBLIC),
    "favicon": Rule(Access.PUBLIC),
    "catalog:track_list": Rule(Access.PUBLIC),
    "catalog:track": Rule(Access.PUBLIC, catalog("core")),
    "catalog:skill_list": Rule(Access.PUBLIC),
    "catalog:skill": Rule(Access.PUBLIC, catalog("pytorch")),
    "catalog:course_list": Rule(Access.PUBLIC),
    "catalog:course": Rule(Access.PUBLIC, catalog("course")),
    "catalog:certification_list": Rule(Access.PUBLIC),
    "catalog:certification": Rule(Access.PUBLIC, catalog("successor")),
    "catalog:project_list": Rule(Access.PUBLIC),
    "catalog:project": Rule(Access.PUBLIC, catalog("project")),
    # Accounts: the pages for logging in send a logged-in user on.
    "accounts:signup": Rule(Access.PUBLIC, methods=GET_POST, ok=ok(302, anonymous=200)),
    "accounts:login": Rule(Access.PUBLIC, methods=GET_POST, ok=ok(302, anonymous=200)),
    "accounts:logout": Rule(Access.PUBLIC, methods=POST),
    "accounts:password_reset": Rule(Access.PUBLIC, methods=GET_POST),
    "accounts:password_reset_done": Rule(Access.PUBLIC),
    # A genuine reset link moves its token into the session and redirects, whoever opens it.
    "accounts:password_reset_confirm": Rule(
        Access.PUBLIC, World.password_reset_kwargs, methods=GET_POST, ok=ok(302), post=ok(302)
    ),
    "accounts:password_reset_complete": Rule(Access.PUBLIC),
    # The signed link of the verification mail is its own credential; a forged one is refused.
    "accounts:verify_email": Rule(Access.PUBLIC, lambda world: {"token": "forged"}, ok=ok(400)),
    "accounts:verify_status": Rule(Access.LOGIN_REQUIRED),
    "accounts:verify_resend": Rule(Access.LOGIN_REQUIRED, methods=POST),
    # The signed token is the credential (RFC 8058 one-click): no login, and it only turns e-mails off.
    "reminders:unsubscribe": Rule(
        Access.PUBLIC, lambda world: {"token": world.unsubscribe_token()}, methods=GET_POST
    ),
    # The logged-in user's own pages.
    "accounts:profile": Rule(Access.LOGIN_REQUIRED, methods=GET_POST),
    "roadmap:onboarding": Rule(
        Access.LOGIN_REQUIRED, methods=GET_POST, ok=ok(200, learner=302, other_learner=302)
    ),
    "roadmap:settings": Rule(Access.LOGIN_REQUIRED, methods=GET_POST, ok=HAS_PLAN_OR_ONBOARDING),
    "accounts:data": Rule(Access.LOGIN_REQUIRED),
    "accounts:data_download": Rule(Access.LOGIN_REQUIRED),
    "accounts:delete": Rule(Access.LOGIN_REQUIRED, methods=GET_POST),
    "accounts:password_change": Rule(Access.LOGIN_REQUIRED, methods=GET_POST),
    "accounts:password_change_done": Rule(Access.LOGIN_REQUIRED),
    "mentoring:mentors": Rule(Access.LOGIN_REQUIRED),
    "mentoring:mentor_invite": Rule(Access.LOGIN_REQUIRED, methods=POST),
    "mentoring:mentor_invite_link": Rule(Access.LOGIN_REQUIRED, methods=POST),
    # An invite link: anyone logged in may answer, except the learner who made it and their mentors.
    "mentoring:invitation": Rule(
        Access.LOGIN_REQUIRED,
        lambda world: {"token": world.invite_token()},
        methods=GET_POST,
        ok=ok(200, learner=403, mentor=403),
        post=ok(POST_HANDLED, learner=403, mentor=403),
    ),
    "mentoring:dashboard": Rule(Access.LOGIN_REQUIRED),
    "reminders:settings": Rule(Access.LOGIN_REQUIRED, methods=GET_POST),
    "roadmap:plan": Rule(Access.LOGIN_REQUIRED, ok=HAS_PLAN_OR_ONBOARDING),
    "roadmap:plan_stage": Rule(
        Access.LOGIN_REQUIRED,
        lambda world: {"index": 1},
        ok=ok(404, learner=200, other_learner=200),
        htmx=True,
    ),
    "roadmap:plan_readiness": Rule(
        Access.LOGIN_REQUIRED, ok=ok(404, learner=200, other_learner=200), htmx=True
    ),
    "roadmap:map": Rule(Access.LOGIN_REQUIRED, ok=HAS_PLAN_OR_ONBOARDING),
    "roadmap:activity": Rule(Access.LOGIN_REQUIRED),
    # The learner's steps, named by kind and slug within the requesting user's own plan.
    "roadmap:step": Rule(Access.OWNER_ONLY, project_step),
    "roadmap:step_status": Rule(Access.OWNER_ONLY, project_step, methods=POST),
    "roadmap:step_notes": Rule(Access.OWNER_ONLY, project_step, methods=POST),
    "roadmap:step_evidence_add": Rule(Access.OWNER_ONLY, project_step, methods=POST),
    "roadmap:step_evidence_remove": Rule(
        Access.OWNER_ONLY, lambda world: project_step(world) | {"pk": world.evidence.pk}, methods=POST
    ),
    "roadmap:step_deliverable": Rule(
        Access.OWNER_ONLY, lambda world: project_step(world) | {"pk": world.deliverable.pk}, methods=POST
    ),
    "mentoring:step_comment": Rule(Access.OWNER_ONLY, project_step, methods=POST),
    "mentoring:step_comment_delete": Rule(
        Access.OWNER_ONLY, lambda world: project_step(world) | mentor_comment(world), methods=POST
    ),
    "mentoring:step_review": Rule(Access.OWNER_ONLY, project_step, methods=POST),
    "mentoring:mentor_revoke": Rule(Access.OWNER_ONLY, mentee_key, methods=POST),
    # The mentor's view of a mentee; the learner knows the mentorship exists, so gets a 403.
    "mentoring:mentee": Rule(Access.MENTOR_ONLY, mentee_key),
    "mentoring:step_down": Rule(Access.MENTOR_ONLY, mentee_key, methods=POST),
    "mentoring:mentee_step": Rule(Access.MENTOR_ONLY, mentee_step),
    "mentoring:mentee_comment": Rule(Access.MENTOR_ONLY, mentee_step, methods=POST),
    "mentoring:mentee_comment_delete": Rule(
        Access.MENTOR_ONLY, lambda world: mentee_step(world) | mentor_comment(world), methods=POST
    ),
    "mentoring:mentee_review": Rule(Access.MENTOR_ONLY, mentee_step, methods=POST),
    # Our admin pages (admin_view: staff only).
    "admin:catalog_content_import": Rule(Access.STAFF, methods=GET_POST),
    "admin:catalog_content_export": Rule(Access.STAFF),
}


def unclassified(routes: dict[str, Route]) -> list[str]:
    return [f"classify {name} in {HERE}" for name in sorted(routes) if name not in RULES]


# ---------------------------------------------------------------- requests and expectations

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
    return client.post(url, data or {}, headers=headers)


def problem(response: HttpResponse, rule: Rule, role: str, method: str) -> str | None:
    """Why this answer is wrong for this role, or None when it is what the classification promises."""
    status = response.status_code
    location = response.get("Location", "")
    if status >= 500:
        return f"server error {status}"
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


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with module_world(django_db_blocker) as built:
        yield built


ROUTES = site_routes()


# ---------------------------------------------------------------- the tests


def test_every_url_pattern_is_classified() -> None:
    assert unclassified(ROUTES) == []


def test_classification_names_only_urls_that_exist() -> None:
    stale = sorted(set(RULES) - set(ROUTES))
    assert stale == [], f"remove {stale} from RULES in {HERE}: no such URL any more"


def _brand_new_view(request: Any) -> HttpResponse:
    return HttpResponse("new")


urlpatterns = [path("brand-new/", _brand_new_view, name="brand_new"), path("", include("config.urls"))]


def test_a_new_unclassified_url_fails_with_a_message_saying_where_to_classify_it() -> None:
    routes = {route.name: route for route in discover(get_resolver(__name__).url_patterns)}
    assert unclassified(routes) == [f"classify brand_new in {HERE}"]


def test_discovery_sees_parameters_and_namespaces() -> None:
    route = ROUTES["mentoring:mentee_step"]
    assert route.pattern == "mentor/<str:key>/steps/<slug:kind>/<slug:slug>/"
    assert route.converters == (
        ("key", "StringConverter"),
        ("kind", "SlugConverter"),
        ("slug", "SlugConverter"),
    )
    # Of the admin site only our own pages: Django's are tested by Django.
    assert sorted(name for name in ROUTES if name.startswith("admin:")) == [
        "admin:catalog_content_export",
        "admin:catalog_content_import",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_url_answers_every_role_as_classified(name: str, world: World) -> None:
    rule = RULES.get(name)
    if rule is None:
        pytest.fail(f"classify {name} in {HERE}: who may open {ROUTES[name].pattern!r}?")
    url = reverse(name, kwargs=rule.kwargs(world))
    failures: list[str] = []
    # The roles that must be refused go first, while the world is as built.
    for role in sorted(ROLES, key=rule.permitted):
        client = world.client(role)
        before = snapshot() if not rule.permitted(role) else None
        # Refusal comes before any parsing, so one POST says enough for a refused role.
        posts = [("POST", GARBAGE_POST)] if before is not None else [("POST", None), ("POST", GARBAGE_POST)]
        for method, data in [("GET", None), *posts]:
            # A permitted user's request may change things (revoke, step down): undo it for the next one.
            with rolled_back() if before is None else nullcontext():
                response = attempt(client, method, url, rule, data)
            why = response if isinstance(response, str) else problem(response, rule, role, method)
            if why:
                status = "-" if isinstance(response, str) else response.status_code
                failures.append(f"{method} {url} as {role} ({rule.access}): {status}: {why}")
        if before is not None:
            changed = changed_tables(before, snapshot())
            if changed:
                failures.append(f"{url} as {role} ({rule.access}) changed {changed}")
    assert failures == []


def garbage_values(converter: str) -> list[Any]:
    if converter == "IntConverter":
        return [0, 10**30]
    if converter == "SlugConverter":
        return ["no-such-thing"]
    return ["no-such-thing", "\x00", "x" * 500, "ключ-🔑 a;'\""]


ROUTES_WITH_PARAMETERS = sorted(name for name, route in ROUTES.items() if route.converters)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ROUTES_WITH_PARAMETERS)
def test_url_with_unknown_or_garbage_parameters_is_refused_never_an_error(name: str, world: World) -> None:
    rule = RULES.get(name)
    if rule is None:
        pytest.fail(f"classify {name} in {HERE}")
    kwargs = rule.kwargs(world)
    failures: list[str] = []
    for role in (ANONYMOUS, LEARNER, MENTOR):
        client = world.client(role)
        before = snapshot()
        for parameter, converter in ROUTES[name].converters:
            for value in garbage_values(converter):
                url = reverse(name, kwargs=kwargs | {parameter: value})
                for method in sorted(rule.methods):
                    response = attempt(client, method, url, rule)
                    if isinstance(response, str):
                        failures.append(f"{method} {url!r} as {role}: {response}")
                    elif response.status_code >= 500:
                        failures.append(f"{method} {url!r} as {role}: {response.status_code}")
                    elif response.status_code == 200 and rule.access in (
                        Access.OWNER_ONLY,
                        Access.MENTOR_ONLY,
                    ):
                        failures.append(f"{method} {url!r} as {role}: 200 for an object that does not exist")
        if rule.access != Access.PUBLIC and changed_tables(before, snapshot()):
            failures.append(
                f"{name} with garbage parameters as {role} changed {changed_tables(before, snapshot())}"
            )
    assert failures == []


# ---------------------------------------------------------------- the same step in two plans


@pytest.mark.django_db
def test_another_learner_with_the_same_step_cannot_remove_the_learners_evidence(world: World) -> None:
    other = world.users[OTHER_LEARNER]
    PlanItemFactory(plan=other.plan, position=100, skill=None, project=world.catalog.project)  # type: ignore[union-attr]
    url = reverse("roadmap:step_evidence_remove", kwargs=project_step(world) | {"pk": world.evidence.pk})

    world.client(OTHER_LEARNER).post(url)

    assert EvidenceLink.objects.filter(pk=world.evidence.pk).exists()


@pytest.mark.django_db
def test_another_learner_ticking_the_same_deliverable_ticks_only_their_own(world: World) -> None:
    other = world.users[OTHER_LEARNER]
    PlanItemFactory(plan=other.plan, position=100, skill=None, project=world.catalog.project)  # type: ignore[union-attr]
    url = reverse("roadmap:step_deliverable", kwargs=project_step(world) | {"pk": world.deliverable.pk})

    world.client(OTHER_LEARNER).post(url, {"checked": "1"})

    assert not DeliverableCheck.objects.filter(progress=world.project_progress).exists()
    assert DeliverableCheck.objects.filter(progress__learner=other).count() == 1


@pytest.mark.django_db
def test_another_learner_with_the_same_step_cannot_change_the_learners_status_or_notes(world: World) -> None:
    other = world.users[OTHER_LEARNER]
    PlanItemFactory(plan=other.plan, position=100, skill=None, project=world.catalog.project)  # type: ignore[union-attr]
    client = world.client(OTHER_LEARNER)

    client.post(reverse("roadmap:step_status", kwargs=project_step(world)), {"status": "done"})
    client.post(reverse("roadmap:step_notes", kwargs=project_step(world)), {"notes": "Overwritten"})

    progress = Progress.objects.get(pk=world.project_progress.pk)
    assert (progress.status, progress.notes) == (Progress.Status.NOT_STARTED, "My private notes.")


@pytest.mark.django_db
def test_a_mentor_who_stepped_down_is_refused_at_once(world: World) -> None:
    client = world.client(MENTOR)
    client.post(reverse("mentoring:step_down", kwargs=mentee_key(world)))

    response = client.get(reverse("mentoring:mentee", kwargs=mentee_key(world)))

    assert response.status_code == 403
    assert Mentorship.objects.get(pk=world.mentorship.pk).status == Mentorship.Status.ENDED


@pytest.mark.django_db
def test_an_unrelated_user_cannot_revoke_the_learners_mentor(world: World) -> None:
    response = world.client(UNRELATED).post(reverse("mentoring:mentor_revoke", kwargs=mentee_key(world)))

    assert response.status_code == 404
    assert Mentorship.objects.get(pk=world.mentorship.pk).status == Mentorship.Status.ACTIVE


# ---------------------------------------------------------------- private pages stay out of caches

PUBLIC_CACHE = {"favicon"}  # the same for everyone: cached publicly on purpose
GET_ROUTES = sorted(
    name
    for name, rule in RULES.items()
    if "GET" in rule.methods and name in ROUTES and name not in PUBLIC_CACHE
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_ROUTES)
def test_every_page_a_logged_in_user_gets_is_private_and_not_stored(name: str, world: World) -> None:
    rule = RULES[name]
    url = reverse(name, kwargs=rule.kwargs(world))
    answered: list[str] = []
    for role in (LEARNER, MENTOR, OTHER_LEARNER, STAFF):
        for headers in ({}, {"HX-Request": "true"}):
            response = world.client(role).get(url, headers=headers)
            directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
            if not {"private", "no-store"} <= directives:
                answered.append(f"{url} as {role} {headers}: {response.status_code} {directives}")
    assert answered == []


@pytest.mark.django_db
def test_public_catalog_pages_stay_cacheable_for_visitors(world: World) -> None:
    response = world.client(ANONYMOUS).get(reverse("catalog:skill_list"))

    assert "no-store" not in response.get("Cache-Control", "")
