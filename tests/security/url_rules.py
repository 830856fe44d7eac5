"""Who may open which URL: RULES classifies each URL pattern (public, login required, owner only,
mentor only or staff) with a way to fill its parameters; tests/security/url_access.py has how a
request is sent and what each role must get back.

A new URL pattern fails tests/security/test_url_permissions.py until it is classified in RULES
here: a new view cannot ship without someone deciding who may open it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mentoring.models import StepComment
from tests.roles import LEARNER, MENTOR, World
from tests.security.url_access import (
    GET_POST,
    POST,
    POST_HANDLED,
    PUT,
    Access,
    Route,
    Rule,
    no_kwargs,
    ok,
    site_routes,
)

HERE = "tests/security/url_rules.py"


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


ROUTES = site_routes()
