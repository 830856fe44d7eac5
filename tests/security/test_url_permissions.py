"""Every URL of the site, discovered from the resolver, tried as every role.

A new URL pattern fails this module until it is classified in RULES (tests/security/url_rules.py:
public, login required, owner only, mentor only or staff) with a way to fill its parameters: a new
view cannot ship without someone deciding who may open it, and the test checking that it holds.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import get_resolver, include, path, reverse

from tests.roles import ANONYMOUS, LEARNER, MENTOR, ROLES, World, changed_tables, rolled_back, snapshot
from tests.security.url_access import GARBAGE_POST, Access, attempt, discover, problem
from tests.security.url_rules import HERE, ROUTES, RULES, unclassified


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
        # A refused role sends a valid body where the rule has one (an API write): refused all the same.
        refused = rule.body or GARBAGE_POST
        posts = [("POST", refused)] if before is not None else [("POST", None), ("POST", GARBAGE_POST)]
        # The API's other methods (PUT), with an empty and a garbage JSON body (or the valid one).
        bodies = (refused,) if before is not None else (None, GARBAGE_POST)
        others = [(m, data) for m in sorted(rule.methods - {"GET", "POST"}) for data in bodies]
        for method, data in [("GET", None), *posts, *others]:
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
