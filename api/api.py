"""The JSON API at /api/v1/: django-ninja generates its OpenAPI 3.1 description from the typed
routers; every error leaves as RFC 9457 problem details."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger

from api.auth import RateLimited
from api.problems import PROBLEM_TYPE, detail_for, problem
from api.routers import catalog, me, mentees
from mentoring.services import MentoringError
from roadmap.services import PlanError, StepError

logger = logging.getLogger(__name__)


class PathwiseAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """ninja's description, with the problem-details answers every operation may give."""
        return _with_problems(super().get_openapi_schema(**kwargs))


api = PathwiseAPI(
    title="Pathwise API",
    version="1",
    description=(
        "The catalog (public), the learner's own plan and progress, and mentors' mentees. Send a personal "
        "access token (Settings → API tokens) as `Authorization: Bearer <token>`; errors are RFC 9457 "
        "problem details."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
)
api.add_router("/catalog", catalog.router)
api.add_router("/me", me.router)
api.add_router("/mentees", mentees.router)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors
    ]
    where = ", ".join(".".join(str(part) for part in e["loc"]) for e in fields[:5])
    return problem(422, f"The request is not valid: check {where}.", errors=fields)


@api.exception_handler(RateLimited)
def throttled(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = problem(429, str(exc))
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem(
        401, "A valid personal access token (or a logged-in session) is needed. " + detail_for(401)
    )
    response["WWW-Authenticate"] = 'Bearer realm="pathwise"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if message == "CSRF check Failed":
        message = "The CSRF check failed: send the csrftoken cookie's value as X-CSRFToken, or use a token."
    return problem(exc.status_code, message)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Our own messages ("This step is not in your plan.") go out; get_object_or_404's name models.
    message = str(exc)
    return problem(404, message if message and "matches the given query" not in message else detail_for(404))


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(403, str(exc) or detail_for(403))


def refused(request: HttpRequest, exc: Any) -> HttpResponse:
    """A rule of the product said no (too long, not allowed now): the services' message, as 422."""
    return problem(422, str(exc))


for error in (StepError, PlanError, MentoringError):
    api.add_exception_handler(error, refused)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API request failed", exc_info=exc)
    return problem(500, detail_for(500))


# Every operation may answer these; the description says so, with their media type.
ERRORS = {
    "400": "The request could not be read.",
    "401": "No valid token or session.",
    "403": "Not allowed (a read-only token writing, a CSRF failure, a mentorship not active).",
    "404": "Not found, or not yours.",
    "413": "The request body is too large.",
    "422": "The request is not valid, or a rule of the product refused it.",
    "429": "Too many requests; see Retry-After.",
}


def _with_problems(schema: dict[str, Any]) -> dict[str, Any]:
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = {
        "type": "object",
        "title": "Problem",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object"}},
        },
    }
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(status, {"description": description})
                responses[status]["content"] = {PROBLEM_TYPE: {"schema": problem_ref}}
            if "429" in responses:
                responses["429"]["headers"] = {
                    "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
                }
    return schema
