"""Who may open which URL: every URL pattern discovered from the resolver, and RULES classifying
each one (public, login required, owner only, mentor only or staff) with a way to fill its
parameters; then how a request is sent and what each role must get back.

A new URL pattern fails tests/security/test_url_permissions.py until it is classified in RULES
here: a new view cannot ship without someone deciding who may open it.
"""

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

from mentoring.models import StepComment
from tests.roles import ANONYMOUS, LEARNER, MENTOR, STAFF, World

HERE = "tests/security/url_rules.py"


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


def catalog(attribute: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"slug": getattr(world.catalog, attribute).slug}


def a_role() -> Any:
    from catalog.models import Role

    return Role.objects.get_or_create(
        slug="ml-engineer", defaults={"name": "ML engineer", "summary": "Builds."}
    )[0]


def project_step(world: World) -> dict[str, Any]:
    return {"kind": "project", "slug": world.catalog.project.slug}


def own_step(world: World) -> dict[str, Any]:
    """A step the learner added themselves (made on first use, inside the test's transaction)."""
    from roadmap.models import OwnStep

    step, _ = OwnStep.objects.get_or_create(learner=world.users[LEARNER], title="Read a book")
    return {"pk": step.pk}


def saved_ad(world: World) -> dict[str, Any]:
    """A job ad the learner saved (made on first use, inside the test's transaction)."""
    from jobs.models import SavedAd

    ad, _ = SavedAd.objects.get_or_create(learner=world.users[LEARNER], title="ML engineer", text="Python.")
    return {"pk": ad.pk}


def mentee_key(world: World) -> dict[str, Any]:
    return {"key": world.mentorship.key}


def mentee_step(world: World) -> dict[str, Any]:
    return mentee_key(world) | project_step(world)


def world_token(world: World) -> int:
    """The learner's API token (made on first use, inside the test's transaction)."""
    from api.models import ApiToken

    token = ApiToken.objects.filter(user=world.learner).first()
    return (
        token.pk
        if token
        else ApiToken.objects.create(user=world.learner, name="Sync", hint="pwt_x", digest="0" * 64).pk
    )


def mentor_comment(world: World) -> dict[str, Any]:
    """The mentor's comment on the learner's project step: the learner and the mentor may delete it."""
    return {"pk": StepComment.objects.get(progress=world.project_progress, author=world.users[MENTOR]).pk}


def api_rule(access: Access, kwargs: Callable[[World], dict[str, Any]] = no_kwargs, **options: Any) -> Rule:
    """An API route: what each role gets is problem+json, an anonymous caller a 401 (never a redirect)."""
    return Rule(access, kwargs, api=True, **options)


def mentee_project(world: World) -> dict[str, Any]:
    return mentee_key(world) | project_step(world)


# A JSON body the API cannot accept (a POST of the matrix's garbage form, an empty PUT): 422, or 400.
API_REFUSES_BODY = ok({400, 422})


def learner_sharing(world: World, *, public: bool = False) -> Any:
    """The learner's sharing settings (made on first use, inside the test's transaction)."""
    from sharing.models import Sharing

    sharing, _ = Sharing.objects.get_or_create(learner=world.users[LEARNER])
    if public and not sharing.public:
        Sharing.objects.filter(pk=sharing.pk).update(public=True, handle="lena")
        sharing.refresh_from_db()
    return sharing


def learner_badge(world: World) -> dict[str, Any]:
    """A badge issued to the learner (made on first use, inside the test's transaction)."""
    from sharing.badges import Achievement, credential_document, sign
    from sharing.models import Credential

    found = Credential.objects.filter(learner=world.users[LEARNER]).first()
    if found is None:
        found = Credential(learner=world.users[LEARNER], kind="stage", subject="stage:Basics", name="Basics")
        achievement = Achievement("stage", "stage:Basics", "Basics", "Finished Basics.", "Every step done.")
        found.jws = sign(
            credential_document(
                credential_id=found.pk, achievement=achievement, recipient="Lena", issued_at=found.issued_at
            )
        )
        found.save()
    return {"pk": str(found.pk)}


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
    "catalog:careers": Rule(Access.PUBLIC),
    "roadmap:role": Rule(Access.PUBLIC, lambda world: {"slug": a_role().slug}),
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
    "mentoring:notifications": Rule(Access.LOGIN_REQUIRED, methods=GET_POST),
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
    # The learner's own changes to their plan: choices, focus and pace are about the requester's plan;
    # a stage is one of the requester's tracks (anyone else's: 404).
    "roadmap:plan_choose": Rule(Access.LOGIN_REQUIRED, methods=POST),
    "roadmap:plan_focus": Rule(Access.LOGIN_REQUIRED, methods=POST),
    "jobs:ads": Rule(Access.LOGIN_REQUIRED),
    "jobs:analyse": Rule(Access.LOGIN_REQUIRED, methods=POST),
    "jobs:save": Rule(Access.LOGIN_REQUIRED, methods=POST),
    "jobs:market": Rule(Access.LOGIN_REQUIRED),
    "jobs:unfocus": Rule(Access.LOGIN_REQUIRED, methods=POST),
    "jobs:ad": Rule(Access.OWNER_ONLY, saved_ad),
    "jobs:delete": Rule(Access.OWNER_ONLY, saved_ad, methods=POST),
    "jobs:focus": Rule(Access.OWNER_ONLY, saved_ad, methods=POST),
    "jobs:market_all": Rule(Access.STAFF),
    "roadmap:plan_pace": Rule(Access.LOGIN_REQUIRED, methods=POST),
    "roadmap:onboarding_preview": Rule(Access.LOGIN_REQUIRED, htmx=True),
    "roadmap:stage_hide": Rule(
        Access.OWNER_ONLY,
        lambda world: {"pk": world.catalog.core.stages.order_by("order")[0].pk},
        methods=POST,
    ),
    "roadmap:own_step_add": Rule(Access.LOGIN_REQUIRED, methods=GET_POST),
    "roadmap:own_step_status": Rule(Access.OWNER_ONLY, own_step, methods=POST),
    "roadmap:own_step_remove": Rule(Access.OWNER_ONLY, own_step, methods=POST),
    "roadmap:step_include": Rule(Access.OWNER_ONLY, project_step, methods=POST),
    "roadmap:step_course_add": Rule(
        Access.OWNER_ONLY,
        lambda world: {"slug": world.catalog.pytorch.slug, "course": world.catalog.course.slug},
        methods=POST,
    ),
    "roadmap:step_pin": Rule(Access.OWNER_ONLY, project_step, methods=POST),
    "roadmap:step_move": Rule(Access.OWNER_ONLY, project_step, methods=POST),
    "roadmap:map": Rule(Access.LOGIN_REQUIRED, ok=HAS_PLAN_OR_ONBOARDING),
    "roadmap:activity": Rule(Access.LOGIN_REQUIRED),
    "roadmap:weekly_goal": Rule(Access.LOGIN_REQUIRED, methods=POST),
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
    "mentoring:mentor_revoke": Rule(Access.OWNER_ONLY, mentee_key, methods=GET_POST),
    # The mentor's view of a mentee; the learner knows the mentorship exists, so gets a 403.
    "mentoring:mentee": Rule(Access.MENTOR_ONLY, mentee_key),
    "mentoring:step_down": Rule(Access.MENTOR_ONLY, mentee_key, methods=GET_POST),
    "mentoring:mentee_step": Rule(Access.MENTOR_ONLY, mentee_step),
    "mentoring:mentee_comment": Rule(Access.MENTOR_ONLY, mentee_step, methods=POST),
    "mentoring:mentee_comment_delete": Rule(
        Access.MENTOR_ONLY, lambda world: mentee_step(world) | mentor_comment(world), methods=POST
    ),
    "mentoring:mentee_review": Rule(Access.MENTOR_ONLY, mentee_step, methods=POST),
    # The JSON API (api/): the catalog for everyone; the learner's own data through the requesting
    # user (someone else's step: 404); a mentee's only through an active mentorship (the learner: 403).
    # django-ninja's own views (the description, the docs page, the root) answer any method alike.
    "api:api-root": api_rule(Access.PUBLIC, methods=GET_POST, ok=ok(404), post=ok(404)),
    "api:openapi-json": api_rule(Access.PUBLIC, methods=GET_POST, post=ok(200)),
    "api:openapi-view": api_rule(Access.PUBLIC, methods=GET_POST, post=ok(200)),
    "api:track_list": api_rule(Access.PUBLIC),
    "api:track_detail": api_rule(Access.PUBLIC, catalog("core")),
    "api:skill_list": api_rule(Access.PUBLIC),
    "api:skill_detail": api_rule(Access.PUBLIC, catalog("pytorch")),
    "api:course_list": api_rule(Access.PUBLIC),
    "api:course_detail": api_rule(Access.PUBLIC, catalog("course")),
    "api:certification_list": api_rule(Access.PUBLIC),
    "api:certification_detail": api_rule(Access.PUBLIC, catalog("successor")),
    "api:project_list": api_rule(Access.PUBLIC),
    "api:project_detail": api_rule(Access.PUBLIC, catalog("project")),
    "api:profile": api_rule(Access.LOGIN_REQUIRED),
    "api:plan": api_rule(Access.LOGIN_REQUIRED, ok=ok(404, learner=200, other_learner=200)),
    "api:progress": api_rule(Access.LOGIN_REQUIRED),
    "api:notes": api_rule(Access.LOGIN_REQUIRED),
    "api:evidence": api_rule(Access.LOGIN_REQUIRED),
    "api:deliverables": api_rule(Access.LOGIN_REQUIRED),
    "api:activity": api_rule(Access.LOGIN_REQUIRED),
    "api:step_status": api_rule(
        Access.OWNER_ONLY, project_step, methods=PUT, post=API_REFUSES_BODY, body={"status": "done"}
    ),
    "api:step_note": api_rule(
        Access.OWNER_ONLY, project_step, methods=PUT, post=API_REFUSES_BODY, body={"notes": "Mine."}
    ),
    "api:step_comments": api_rule(
        Access.OWNER_ONLY, project_step, methods=GET_POST, post=API_REFUSES_BODY, body={"body": "Hi."}
    ),
    "api:step_comment_add": api_rule(
        Access.OWNER_ONLY, project_step, methods=GET_POST, post=API_REFUSES_BODY, body={"body": "Hi."}
    ),
    "api:mentees": api_rule(Access.LOGIN_REQUIRED),
    "api:mentee_plan": api_rule(Access.MENTOR_ONLY, mentee_key),
    "api:mentee_notes": api_rule(Access.MENTOR_ONLY, mentee_key),
    "api:mentee_comments": api_rule(
        Access.MENTOR_ONLY, mentee_project, methods=GET_POST, post=API_REFUSES_BODY, body={"body": "Hi."}
    ),
    "api:mentee_comment_add": api_rule(
        Access.MENTOR_ONLY, mentee_project, methods=GET_POST, post=API_REFUSES_BODY, body={"body": "Hi."}
    ),
    # The learner's personal access tokens (a token named by id: only its owner's).
    "api_tokens": Rule(Access.LOGIN_REQUIRED, methods=GET_POST),
    "api_token_revoke": Rule(
        Access.OWNER_ONLY, lambda world: {"pk": world_token(world)}, methods=POST, post=ok(302)
    ),
    # Sharing: the learner's settings, calendar, badges and plan documents.
    "sharing:settings": Rule(Access.LOGIN_REQUIRED),
    "sharing:sessions": Rule(Access.LOGIN_REQUIRED, methods=POST),
    "sharing:public_page": Rule(Access.LOGIN_REQUIRED, methods=POST),
    "sharing:feed_regenerate": Rule(Access.LOGIN_REQUIRED, methods=POST),
    "sharing:card_regenerate": Rule(Access.LOGIN_REQUIRED, methods=POST),
    "sharing:calendar_download": Rule(Access.LOGIN_REQUIRED),
    "sharing:plan_download": Rule(
        Access.LOGIN_REQUIRED, lambda world: {"fmt": "md"}, ok=HAS_PLAN_OR_ONBOARDING
    ),
    # The PDF is asked for with a POST and made by a worker (eager here); the download is the
    # requester's own, and there is none until asked for.
    "sharing:plan_pdf": Rule(Access.LOGIN_REQUIRED, methods=GET_POST, ok=HAS_PLAN_OR_ONBOARDING),
    "sharing:plan_pdf_download": Rule(Access.LOGIN_REQUIRED, ok=ok(404)),
    "sharing:mentee_plan_pdf": Rule(Access.MENTOR_ONLY, mentee_key, methods=GET_POST),
    "sharing:mentee_plan_pdf_download": Rule(Access.MENTOR_ONLY, mentee_key, ok=ok(404)),
    "sharing:badges": Rule(Access.LOGIN_REQUIRED),
    "sharing:badge_download": Rule(Access.OWNER_ONLY, learner_badge),
    "sharing:mentee_plan_download": Rule(Access.MENTOR_ONLY, lambda world: mentee_key(world) | {"fmt": "md"}),
    # The long random token is the credential of the feed and the card (calendar apps and README
    # pages send no cookies); the public page is public once its learner turns it on.
    "sharing:feed": Rule(Access.PUBLIC, lambda world: {"token": learner_sharing(world).feed_token}),
    "sharing:card": Rule(
        Access.PUBLIC, lambda world: {"token": learner_sharing(world, public=True).card_token}
    ),
    "sharing:public": Rule(
        Access.PUBLIC, lambda world: {"handle": learner_sharing(world, public=True).handle}
    ),
    "sharing:verify": Rule(Access.PUBLIC, methods=GET_POST),
    "sharing:issuer": Rule(Access.PUBLIC),
    "sharing:jwks": Rule(Access.PUBLIC),
    # Our admin pages (admin_view: staff only).
    "admin:catalog_content_import": Rule(Access.STAFF, methods=GET_POST),
    "admin:catalog_content_export": Rule(Access.STAFF),
}


def unclassified(routes: dict[str, Route]) -> list[str]:
    return [f"classify {name} in {HERE}" for name in sorted(routes) if name not in RULES]


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


ROUTES = site_routes()
