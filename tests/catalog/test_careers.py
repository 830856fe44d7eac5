"""The public Careers page: roles by level, the pairings of ML engineering, the ways in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Pathway, Role, RolePairing
from tests.catalog.catalog_pages import page
from tests.factories import SkillFactory

pytestmark = pytest.mark.django_db


def test_the_careers_page_lists_roles_by_level_pairings_and_ways_in(client: Client) -> None:
    Role.objects.create(slug="data-analyst", name="Data analyst", level="entry", summary="Answers questions.")
    Role.objects.create(
        slug="mlops-engineer", name="MLOps engineer", level="growth", summary="Builds platforms."
    )
    pairing = RolePairing.objects.create(
        slug="mlops", partner="MLOps", together="Pipelines release the models."
    )
    pairing.skills.add(SkillFactory(name="CI/CD pipelines"))
    Pathway.objects.create(
        slug="kaggle", kind="alternative", title="Kaggle competitions", description="Practice."
    )

    html = page(client, "catalog:careers")

    for text in (
        "Entry roles: where to start",
        "Roles to grow into",
        "Data analyst",
        "MLOps engineer",
        reverse("roadmap:role", args=["mlops-engineer"]),
        "ML engineering + MLOps",
        "Pipelines release the models.",
        "CI/CD pipelines",
        "Kaggle competitions",
        "Alternative way in",
    ):
        assert text in html, text


def test_the_careers_page_is_linked_from_the_navigation(client: Client) -> None:
    html = page(client, "catalog:skill_list")

    assert f'href="{reverse("catalog:careers")}"' in html


def test_the_careers_page_reads_the_same_queries_with_more_roles(client: Client) -> None:
    def queries(n: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for i in range(n):
            Role.objects.create(slug=f"r{n}-{i}", name=f"Role {n}-{i}", summary="s")
            RolePairing.objects.create(slug=f"p{n}-{i}", partner=f"P{n}-{i}", together="t").skills.add(
                SkillFactory()
            )
        with CaptureQueriesContext(connection) as captured:
            page(client, "catalog:careers")
        return len(captured)

    assert queries(2) == queries(9)
