"""Private pages stay out of caches (every page a logged-in user gets is private and not stored);
the public catalog pages stay cacheable for visitors.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.roles import ANONYMOUS, LEARNER, MENTOR, OTHER_LEARNER, STAFF, World
from tests.security.url_rules import ROUTES, RULES

PUBLIC_CACHE = {
    "favicon",
    "sharing:card",
    "sharing:issuer",
    "sharing:jwks",
    "sharing:public",
}  # the same for everyone: cached publicly on purpose
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
