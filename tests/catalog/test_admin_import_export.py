"""The catalog admin's import and export pages: counts, refusals naming the record, CSV lists, permissions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.exporting import FORMAT, content_export
from catalog.models import Skill
from tests.catalog.admin_pages import admin_url
from tests.factories import SkillFactory, UserFactory

pytestmark = pytest.mark.django_db


def content_file(**changes: Any) -> dict[str, Any]:
    skill = {
        "slug": "python",
        "name": "Python",
        "category": "programming",
        "tier": "foundation",
        "kind": "language",
        "description": "The language.",
        "estimated_hours": 80,
        "share_low": "85.00",
        "share_high": "85.00",
        "prerequisites": [],
    }
    return {"format": FORMAT, "skills": [skill | changes]}


def test_skill_changelist_links_to_import_and_export(staff_client: Client) -> None:
    response = staff_client.get(admin_url(Skill, "changelist"))

    assert reverse("admin:catalog_content_import") in response.content.decode()
    assert reverse("admin:catalog_content_export") in response.content.decode()


def test_importing_a_file_in_the_admin_reports_the_counts(staff_client: Client) -> None:
    upload = SimpleUploadedFile("content.json", json.dumps(content_file()).encode(), "application/json")

    response = staff_client.post(reverse("admin:catalog_content_import"), {"file": upload}, follow=True)

    assert "skills: 1 created, 0 updated" in response.content.decode()
    assert Skill.objects.get().name == "Python"


def test_a_bad_file_in_the_admin_changes_nothing_and_names_the_record(staff_client: Client) -> None:
    upload = SimpleUploadedFile("content.json", json.dumps(content_file(tier="expert")).encode())

    response = staff_client.post(reverse("admin:catalog_content_import"), {"file": upload}, follow=True)

    assert response.status_code == 200
    assert (
        "skills[0] &quot;python&quot;: field &quot;tier&quot;: Value &#x27;expert&#x27; is not a valid choice."
        in (response.content.decode())
    )
    assert not Skill.objects.exists()


def test_importing_a_csv_in_the_admin_guesses_the_list_from_the_name(staff_client: Client) -> None:
    text = "slug,name,category,tier,description\npython,Python,programming,foundation,The language.\n"
    upload = SimpleUploadedFile("skills.csv", text.encode())

    staff_client.post(reverse("admin:catalog_content_import"), {"file": upload})

    assert Skill.objects.get().slug == "python"


def test_a_file_that_is_not_json_or_csv_is_refused_in_the_form(staff_client: Client) -> None:
    upload = SimpleUploadedFile("content.xlsx", b"PK")

    response = staff_client.post(reverse("admin:catalog_content_import"), {"file": upload})

    assert response.status_code == 200
    assert "Choose a .json or .csv file." in response.content.decode()


def test_import_needs_catalog_permissions(client: Client) -> None:
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse("admin:catalog_content_import")).status_code == 403


def test_export_with_view_permissions_only_downloads_the_content(client: Client) -> None:
    SkillFactory(slug="python")
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(viewer)

    response = client.get(reverse("admin:catalog_content_export"), {"download": "json"})

    assert response["Content-Disposition"] == 'attachment; filename="content.json"'
    assert json.loads(response.content) == content_export()
    assert client.get(reverse("admin:catalog_content_import")).status_code == 403


def test_export_page_offers_csv_lists(staff_client: Client) -> None:
    SkillFactory(slug="python")

    page = staff_client.get(reverse("admin:catalog_content_export"))
    csv_response = staff_client.get(reverse("admin:catalog_content_export"), {"download": "skills"})

    assert "Project ideas as CSV" in page.content.decode()
    assert csv_response.content.decode().splitlines()[1].startswith("python,")
