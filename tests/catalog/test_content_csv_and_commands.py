"""Content import/export beyond the JSON file: CSV lists, the import/export commands, and the admin
import page's size limit (a file at the limit imports within the request timeout).
"""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
import time
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.exporting import CSV_MODELS, FORMAT, content_export, content_export_csv, content_export_json
from catalog.importing import ContentImportError, content_import, content_import_text
from catalog.models import Course, Skill
from tests.catalog.content_files import flush_catalog, sample

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", CSV_MODELS)
def test_csv_export_then_import_into_an_empty_database_reproduces_the_list(model: str) -> None:
    content_import(data=sample())
    json_before = content_export()
    csv_files = {m: content_export_csv(model=m) for m in CSV_MODELS}

    flush_catalog()
    for m in CSV_MODELS:  # in import order: skills first
        content_import_text(text=csv_files[m], fmt="csv", model=m)

    assert content_export_csv(model=model) == csv_files[model]
    assert content_export()[model] == json_before[model]


def test_csv_errors_name_the_row_and_field() -> None:
    text = "slug,name,category,tier,kind,description,estimated_hours,share_low,share_high,prerequisites\n"
    text += "python,Python,programming,foundation,language,x,80,85,85,\n"
    text += "numpy,NumPy,frameworks,essential,library,x,-3,,,python\n"

    with pytest.raises(ContentImportError) as caught:
        content_import_text(text=text, fmt="csv", model="skills")

    assert caught.value.messages == [
        'skills row 3 "numpy": field "estimated_hours": Ensure this value is greater than or equal to 0.'
    ]
    assert not Skill.objects.exists()


def test_csv_with_an_unknown_column_is_refused() -> None:
    with pytest.raises(ContentImportError) as caught:
        content_import_text(text="slug,colour\npython,red\n", fmt="csv", model="skills")

    assert caught.value.messages == ['skills CSV: unknown column "colour".']


# ---------------------------------------------------------------- commands


def test_import_command_prints_a_summary(tmp_path: Any) -> None:
    path = tmp_path / "content.json"
    path.write_text(json.dumps(sample()))
    out = io.StringIO()

    call_command("import_content", str(path), stdout=out)

    assert "skills: 3 created, 0 updated" in out.getvalue()


def test_import_command_fails_with_the_messages_on_a_bad_file(tmp_path: Any) -> None:
    data = sample()
    data["courses"][0]["skills"] = ["cobol"]
    path = tmp_path / "content.json"
    path.write_text(json.dumps(data))

    with pytest.raises(CommandError) as caught:
        call_command("import_content", str(path))

    assert 'courses[0] "py-course": field "skills": unknown skill "cobol".' in str(caught.value)
    assert not Course.objects.exists()


def test_export_command_writes_a_file_that_imports_back(tmp_path: Any) -> None:
    content_import(data=sample())
    before = content_export()
    path = tmp_path / "out.json"

    call_command("export_content", "-o", str(path))
    flush_catalog()
    call_command("import_content", str(path), stdout=io.StringIO())

    assert content_export() == before


def test_csv_commands_round_trip_one_list(tmp_path: Any) -> None:
    content_import(data=sample())
    path = tmp_path / "skills.csv"
    call_command("export_content", "--format", "csv", "--model", "skills", "-o", str(path))
    flush_catalog()

    call_command("import_content", str(path), stdout=io.StringIO())

    assert Skill.objects.count() == 3
    assert copy.deepcopy(path.read_text()) == content_export_csv(model="skills")


def test_shipped_content_imports_twice_and_exports_exactly_as_shipped() -> None:
    shipped = json.loads((settings.BASE_DIR / "fixtures" / "content.json").read_text(), parse_float=Decimal)

    content_import(data=shipped)
    second = content_import(data=shipped)

    assert second.created == {}
    assert json.loads(content_export_json(), parse_float=Decimal) == shipped


def test_import_command_exits_non_zero_with_the_message(tmp_path: Any) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "pathwise-content/1", "skills": [')

    done = subprocess.run(
        [sys.executable, "manage.py", "import_content", str(path)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    assert "Not valid JSON: line 1 column" in done.stderr


# ---------------------------------------------------------------- the admin page's size limit

GUNICORN_TIMEOUT = 30  # seconds, as serve-prod and docker-compose run it


def generated_file(*, max_bytes: int) -> bytes:
    """A valid content file of many small new skills and courses, as close to max_bytes as fits."""
    skills: list[dict[str, Any]] = []
    courses: list[dict[str, Any]] = []
    size = len(json.dumps({"format": FORMAT, "skills": [], "courses": []}))
    for i in range(100_000):
        skill = {
            "slug": f"gen-skill-{i}",
            "name": f"Generated skill {i}",
            "category": "programming",
            "tier": "foundation",
            "description": "A generated skill for the size limit.",
            "estimated_hours": 10,
            "prerequisites": [f"gen-skill-{i - 1}"] if i else [],
        }
        course = {
            "slug": f"gen-course-{i}",
            "title": f"Generated course {i}",
            "provider": "Generated",
            "url": f"https://example.com/course/{i}",
            "format": "video",
            "cost": "free",
            "level": "beginner",
            "skills": [f"gen-skill-{i}"],
        }
        size += len(json.dumps(skill)) + len(json.dumps(course)) + 4  # and two ", "
        if size > max_bytes:
            body = json.dumps({"format": FORMAT, "skills": skills, "courses": courses}).encode()
            assert len(body) <= max_bytes
            return body
        skills.append(skill)
        courses.append(course)
    raise AssertionError("never reached the size")


def test_a_file_at_the_admin_size_limit_imports_within_the_request_timeout(client: Any) -> None:
    from django.urls import reverse

    from catalog.forms import ContentImportForm
    from tests.factories import StaffUserFactory

    body = generated_file(max_bytes=ContentImportForm.MAX_BYTES)
    assert len(body) > ContentImportForm.MAX_BYTES * 0.99
    client.force_login(StaffUserFactory(is_superuser=True))
    upload = SimpleUploadedFile("content.json", body, content_type="application/json")

    started = time.monotonic()
    response = client.post(reverse("admin:catalog_content_import"), {"file": upload})
    took = time.monotonic() - started

    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Skill.objects.count() == Course.objects.count() == body.count(b'"slug": "gen-course-')
    # About 2,200 tiny records, the worst case per byte: 12 s on SQLite on the shared 2-core box.
    assert took < GUNICORN_TIMEOUT * 2 / 3, f"the import took {took:.1f} s"


def test_a_file_over_the_admin_size_limit_is_refused_pointing_at_the_command(client: Any) -> None:
    from django.urls import reverse

    from catalog.forms import ContentImportForm
    from tests.factories import StaffUserFactory

    client.force_login(StaffUserFactory(is_superuser=True))
    body = b" " * ContentImportForm.MAX_BYTES + b'{"format": "pathwise-content/1"}'
    upload = SimpleUploadedFile("content.json", body, content_type="application/json")

    response = client.post(reverse("admin:catalog_content_import"), {"file": upload})

    assert response.status_code == 200
    assert "The file is larger than 256 KB: import it with manage.py import_content." in (
        response.content.decode()
    )
