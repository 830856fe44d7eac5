"""The forms' fuzzing material: hostile values (hypothesis strategies), every endpoint with a form and
the payloads it gets, and how one answer is judged (no 500, a refusal says why and writes nothing).

Each endpoint gets payloads mixing plausible values (so valid submissions happen too) with
hostile ones: unicode, control characters, huge strings, numbers as strings, repeated keys,
missing fields, impossible dates, unknown time zones and URLs of every scheme.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from accounts.models import Profile
from catalog.search import CertificationFilterForm, CourseFilterForm, ProjectFilterForm, SkillFilterForm
from mentoring.forms import MenteeFilterForm
from mentoring.models import Delivery, NotificationKind, ProjectReview
from reminders.models import ReminderPreference
from tests.factories import PASSWORD
from tests.roles import ANONYMOUS, LEARNER, MENTOR, UNRELATED, World, changed_tables, rolled_back, snapshot

FUZZ = settings(
    # FUZZ_EXAMPLES=1000 for a deeper hunt than the everyday run.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


NASTY = [
    "",
    " ",
    "\t\r\n",
    "\r\n\r\n",
    "\x1b[31m\x07\x08",
    "\u202e\u200b\ufeff",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "ftp://example.com/file",
    "http://",
    "https://exa mple.com",
    "https://example.com/" + "a" * 600,
    "//evil.example/",
    "-1",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999",
    "1.5",
    "true",
    "null",
    "[]",
    "{}",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "1900-01-01",
    "31/12/2030",
    "Europe/Nowhere",
    "Factory",
    "localtime",
    "UTC\n",
    "ルーティン",
    "🔑🦄",
]


text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)


# Runs of Markdown's delimiters included: a quadratic renderer spent seconds on 5,000 "[".
huge = st.builds(
    lambda char, n: char * n,
    st.sampled_from(["a", "é", "🔑", " ", "\n", "*", "[", "_", "`", ">", "[a](", "- "]),
    st.integers(1_000, 60_000),
)


scalar = st.one_of(
    text,
    st.sampled_from(NASTY),
    huge,
    st.integers().map(str),
    st.floats().map(str),
    st.dates().map(str),
)


# A key may come several times (<select multiple>), or as something a browser would never send.
hostile = st.one_of(scalar, st.lists(scalar, min_size=2, max_size=3))


def payloads(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Some of the fields, each plausible or hostile, plus keys the form does not know."""
    optional = {name: st.one_of(plausible, hostile) for name, plausible in fields.items()}
    extra = st.dictionaries(
        st.sampled_from(["id", "pk", "learner", "user", "is_staff", "csrfmiddlewaretoken"]),
        hostile,
        max_size=2,
    )
    return st.tuples(st.fixed_dictionaries({}, optional=optional), extra).map(
        lambda parts: parts[1] | parts[0]
    )


def one_of(*values: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


def choices(form: type[BaseForm], name: str) -> st.SearchStrategy[str]:
    return st.sampled_from([str(value) for value, _ in form.base_fields[name].choices])


TIME_ZONES = one_of("UTC", "Europe/Berlin", "Pacific/Auckland", "America/St_Johns", "Asia/Kathmandu")


URLS = st.one_of(
    one_of("https://github.com/lena/classifier", "http://example.com/x?y=1#z", "example.com/notebook"),
    st.builds("https://example.com/{}".format, text),
)


EMAILS = st.one_of(st.emails(), one_of("learner@example.com", "MENTOR@example.com", "new@example.com"))


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


def project_step(world: World) -> dict[str, Any]:
    return {"kind": "project", "slug": world.catalog.project.slug}


def mentee_step(world: World) -> dict[str, Any]:
    return {"key": world.mentorship.key} | project_step(world)


def profile_fields(world: World) -> dict[str, st.SearchStrategy[Any]]:
    return {
        "background": choices_of(Profile.Background.values),
        "tracks": st.lists(one_of(world.catalog.core.pk, world.catalog.nlp.pk, 0, -1), max_size=2),
        "known_skills": st.lists(one_of(world.catalog.python.pk, world.catalog.git.pk, 10**12), max_size=2),
        "hours_per_week": st.integers(-5, 100).map(str),
        "target_date": st.dates().map(str),
        "time_zone": TIME_ZONES,
        "reminder_frequency": choices_of(ReminderPreference.Frequency.values),
        "reminder_weekday": st.integers(-1, 8).map(str),
        "reminder_hour": st.integers(-1, 25).map(str),
    }


def choices_of(values: list[Any]) -> st.SearchStrategy[str]:
    return st.sampled_from([str(v) for v in values])


@dataclass(frozen=True)
class Endpoint:
    name: str
    role: str
    fields: Callable[[World], dict[str, st.SearchStrategy[Any]]]
    kwargs: Callable[[World], dict[str, Any]] = no_kwargs
    method: str = "POST"
    htmx: bool = False  # the page posts this form with htmx too: fuzz both ways
    prepare: Callable[[World], None] = field(default=lambda world: None)

    def __str__(self) -> str:
        return f"{self.method} {self.name} as {self.role}"


def answer_review(world: World) -> None:
    """The world's project review was answered, so the learner may request a new one."""
    ProjectReview.objects.filter(progress=world.project_progress).update(status=ProjectReview.Status.APPROVED)


ENDPOINTS = [
    Endpoint(
        "accounts:signup",
        ANONYMOUS,
        lambda w: {
            "email": EMAILS,
            "display_name": text,
            "password1": one_of(PASSWORD),
            "password2": one_of(PASSWORD),
            "next": one_of("/plan/", "https://evil.example/"),
        },
    ),
    Endpoint(
        "accounts:login",
        ANONYMOUS,
        lambda w: {
            "username": EMAILS,
            "password": one_of(PASSWORD, "wrong"),
            "next": one_of("/plan/", "//evil.example"),
        },
    ),
    Endpoint("accounts:password_reset", ANONYMOUS, lambda w: {"email": EMAILS}),
    Endpoint("accounts:profile", LEARNER, lambda w: {"display_name": text}),
    Endpoint("roadmap:onboarding", UNRELATED, profile_fields),
    Endpoint("roadmap:settings", LEARNER, profile_fields),
    Endpoint(
        "accounts:password_change",
        LEARNER,
        lambda w: {
            "old_password": one_of(PASSWORD, "wrong"),
            "new_password1": one_of("another-horse-battery-7"),
            "new_password2": one_of("another-horse-battery-7"),
        },
    ),
    Endpoint("accounts:delete", LEARNER, lambda w: {"password": one_of(PASSWORD, "wrong")}),
    Endpoint(
        "mentoring:notifications",
        LEARNER,
        lambda w: {kind: choices_of([*Delivery.values, "hourly"]) for kind in NotificationKind.values},
    ),
    Endpoint(
        "reminders:settings",
        LEARNER,
        lambda w: {
            "frequency": choices_of(ReminderPreference.Frequency.values),
            "weekday": st.integers(-1, 8).map(str),
            "hour": st.integers(-1, 25).map(str),
            "time_zone": TIME_ZONES,
        },
    ),
    Endpoint(
        "roadmap:step_status",
        LEARNER,
        lambda w: {
            "status": one_of("not_started", "in_progress", "done", "skipped"),
            "hide": st.lists(one_of("done", "skipped"), max_size=2),
            "next": one_of("/plan/", "https://evil.example/"),
        },
        project_step,
        htmx=True,
    ),
    Endpoint(
        "roadmap:step_notes",
        LEARNER,
        lambda w: {"notes": text, "notes_shared": one_of("on", ""), "action": one_of("save", "preview")},
        project_step,
        htmx=True,
    ),
    Endpoint(
        "roadmap:step_evidence_add", LEARNER, lambda w: {"url": URLS, "label": text}, project_step, htmx=True
    ),
    Endpoint(
        "roadmap:step_deliverable",
        LEARNER,
        lambda w: {"checked": one_of("0", "1")},
        lambda w: project_step(w) | {"pk": w.deliverable.pk},
        htmx=True,
    ),
    Endpoint("mentoring:mentor_invite", LEARNER, lambda w: {"email": EMAILS}),
    Endpoint(
        "mentoring:invitation",
        UNRELATED,
        lambda w: {"decision": one_of("accept", "decline")},
        lambda w: {"token": w.invite_token()},
    ),
    Endpoint("mentoring:step_comment", LEARNER, lambda w: {"body": text}, project_step),
    Endpoint(
        "mentoring:step_review",
        LEARNER,
        lambda w: {"evidence_url": URLS, "message": text},
        project_step,
        prepare=answer_review,
    ),
    Endpoint("mentoring:mentee_comment", MENTOR, lambda w: {"body": text}, mentee_step, htmx=True),
    Endpoint(
        "mentoring:mentee_review",
        MENTOR,
        lambda w: {"decision": one_of("approve", "changes"), "response": text},
        mentee_step,
    ),
    Endpoint(
        "reminders:unsubscribe",
        ANONYMOUS,
        lambda w: {"List-Unsubscribe": one_of("One-Click")},
        lambda w: {"token": w.unsubscribe_token()},
    ),
]


def filter_fields(form: type[BaseForm]) -> Callable[[World], dict[str, st.SearchStrategy[Any]]]:
    def fields(world: World) -> dict[str, st.SearchStrategy[Any]]:
        strategies: dict[str, st.SearchStrategy[Any]] = {"page": st.integers(-2, 10**20).map(str)}
        for name, form_field in form.base_fields.items():
            if hasattr(form_field, "choices"):
                strategies[name] = choices(form, name)
            else:
                strategies[name] = one_of("python", "pytorch deep", '"exact phrase" -not', "or")
        return strategies

    return fields


GET_ENDPOINTS = [
    Endpoint("catalog:skill_list", ANONYMOUS, filter_fields(SkillFilterForm), method="GET", htmx=True),
    Endpoint("catalog:course_list", ANONYMOUS, filter_fields(CourseFilterForm), method="GET", htmx=True),
    Endpoint(
        "catalog:certification_list",
        ANONYMOUS,
        filter_fields(CertificationFilterForm),
        method="GET",
        htmx=True,
    ),
    Endpoint("catalog:project_list", ANONYMOUS, filter_fields(ProjectFilterForm), method="GET", htmx=True),
    Endpoint("mentoring:dashboard", MENTOR, filter_fields(MenteeFilterForm), method="GET"),
    Endpoint(
        "roadmap:plan",
        LEARNER,
        lambda w: {
            "stage": st.integers(-1, 10**20).map(str),
            "hide": st.lists(one_of("done", "skipped"), max_size=2),
        },
        method="GET",
    ),
]


def context_forms(response: Any) -> Iterator[BaseForm]:
    contexts = response.context
    if contexts is None:
        return
    for context in contexts if isinstance(contexts, list) else [contexts]:
        values = context.flatten().values() if hasattr(context, "flatten") else context.values()
        yield from (value for value in values if isinstance(value, BaseForm))


def refusal(response: Any) -> str | None:
    """What the user is told when their input was refused, or None when it was accepted."""
    if response.status_code == 400:
        return response.content.decode() or "(empty 400)"
    if response.status_code == 429:  # django-axes: too many failed log-ins
        return "locked out"
    for form in context_forms(response):
        if form.is_bound and form.errors:
            return form.errors.as_text()
    errors = [str(m) for m in messages.get_messages(response.wsgi_request) if m.level >= messages.ERROR]
    return " ".join(errors) or None


def submit(client: Client, endpoint: Endpoint, url: str, payload: dict[str, Any], htmx: bool) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    if endpoint.method == "GET":
        return client.get(url, payload, headers=headers)
    return client.post(url, payload, headers=headers)


# Showing a step's thread marks its comments read, also on a page re-shown with the form's errors:
# that records what the user saw, not what they submitted.
SEEN = "mentoring.CommentReadMarker"


class Clients:
    """One logged-in client per role for a whole test; each example starts from its cookies.

    An example's writes, sessions included, are rolled back, so a cookie set by one (a new
    session after a password change, a queued message) must not leak into the next.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self.clients: dict[str, tuple[Client, SimpleCookie]] = {}

    def fresh(self, role: str) -> Client:
        if role not in self.clients:
            client = self.world.client(role)
            self.clients[role] = (client, copy.deepcopy(client.cookies))
        client, cookies = self.clients[role]
        client.cookies = copy.deepcopy(cookies)
        return client


def check_answer(clients: Clients, endpoint: Endpoint, payload: dict[str, Any], htmx: bool) -> None:
    world = clients.world
    client = clients.fresh(endpoint.role)
    with rolled_back():
        endpoint.prepare(world)
        url = reverse(endpoint.name, kwargs=endpoint.kwargs(world))
        before = snapshot()
        response = submit(client, endpoint, url, payload, htmx)
        changed = [label for label in changed_tables(before, snapshot()) if label != SEEN]
    assert response.status_code < 500
    # Never sent to log in: the fuzzed user stays who they are.
    assert not response.get("Location", "").startswith("/accounts/login/?next=")
    if endpoint.method == "GET":
        assert changed == [], f"a GET wrote to {changed}"
        return
    problem = refusal(response)
    if problem is not None:
        assert problem.strip(), "refused without saying why"
        assert changed == [], f"refused ({problem[:200]!r}) but wrote to {changed}"
    if changed:
        assert response.status_code in (200, 302), f"wrote to {changed} and answered {response.status_code}"
