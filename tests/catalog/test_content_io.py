"""Content import/export: all-or-nothing imports naming the record at fault, and exact round trips."""

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

from catalog.exporting import FORMAT, content_export, content_export_csv, content_export_json
from catalog.importing import ContentImportError, content_import, content_import_text
from catalog.models import (
    Certification,
    Course,
    Dataset,
    Deliverable,
    ProjectIdea,
    Skill,
    SkillPrerequisite,
    Stage,
    Step,
    Track,
)
from roadmap.models import DeliverableCheck, Progress
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sample() -> dict[str, Any]:
    """A small content file touching every section and relation."""
    return {
        "format": FORMAT,
        "skills": [
            {
                "slug": "python",
                "name": "Python",
                "category": "programming",
                "tier": "foundation",
                "kind": "language",
                "description": "The language of ML.",
                "estimated_hours": 80,
                "market_share": "85.00",
                "prerequisites": [],
            },
            {
                "slug": "numpy",
                "name": "NumPy",
                "category": "frameworks",
                "tier": "essential",
                "kind": "library",
                "description": "Arrays.",
                "estimated_hours": 20,
                "market_share": None,
                "prerequisites": ["python"],
            },
            {
                "slug": "pytorch",
                "name": "PyTorch",
                "category": "frameworks",
                "tier": "essential",
                "kind": "framework",
                "description": "Deep learning.",
                "estimated_hours": 60,
                "market_share": "40.50",
                "prerequisites": ["numpy", "python"],
            },
        ],
        "courses": [
            {
                "slug": "py-course",
                "title": "Python for ML",
                "provider": "Somewhere",
                "url": "https://example.com/py",
                "format": "video",
                "cost": "free",
                "hours": 30,
                "level": "beginner",
                "description": "Learn Python.",
                "skills": ["python"],
            }
        ],
        "certifications": [
            {
                "slug": "cert-new",
                "name": "New Cert",
                "issuer": "Cloud",
                "exam_code": "NEW-01",
                "url": "https://example.com/new",
                "cost": "paid",
                "price_usd": "150.00",
                "validity_months": 36,
                "level": "intermediate",
                "hours": 60,
                "description": "",
                "status": "active",
                "retired_on": None,
                "successor": None,
                "skills_validated": ["pytorch"],
                "skills_recommended": ["python"],
            },
            {
                "slug": "cert-old",
                "name": "Old Cert",
                "issuer": "Cloud",
                "exam_code": "",
                "url": "https://example.com/old",
                "cost": "paid",
                "price_usd": None,
                "validity_months": None,
                "level": "advanced",
                "hours": 40,
                "description": "Retired.",
                "status": "retired",
                "retired_on": "2024-03-31",
                "successor": "cert-new",
                "skills_validated": [],
                "skills_recommended": [],
            },
        ],
        "datasets": [
            {"slug": "mnist", "name": "MNIST", "url": "https://example.com/mnist", "description": "Digits."}
        ],
        "project_ideas": [
            {
                "slug": "digits",
                "title": "Digit classifier",
                "summary": "Classify digits.",
                "difficulty": "beginner",
                "hours": 10,
                "skills": ["pytorch"],
                "datasets": ["mnist"],
                "deliverables": ["A public repo", "A short write-up; with numbers"],
            }
        ],
        "tracks": [
            {
                "slug": "ml-engineer",
                "name": "ML Engineer",
                "description": "The core track.",
                "is_core": True,
                "order": 0,
                "stages": [
                    {
                        "order": 1,
                        "title": "Foundations",
                        "description": "",
                        "steps": [
                            {"order": 1, "kind": "skill", "ref": "python", "optional": False, "note": ""},
                            {
                                "order": 2,
                                "kind": "course",
                                "ref": "py-course",
                                "optional": True,
                                "note": "Pick one.",
                            },
                        ],
                    },
                    {
                        "order": 2,
                        "title": "Deep learning",
                        "description": "Nets.",
                        "steps": [
                            {
                                "order": 1,
                                "kind": "certification",
                                "ref": "cert-new",
                                "optional": False,
                                "note": "",
                            },
                            {"order": 2, "kind": "project", "ref": "digits", "optional": False, "note": ""},
                        ],
                    },
                ],
            }
        ],
    }


def flush_catalog() -> None:
    for model in (
        Step,
        Stage,
        Track,
        Deliverable,
        ProjectIdea,
        Dataset,
        Certification,
        Course,
        SkillPrerequisite,
        Skill,
    ):
        model.objects.all().delete()


def test_import_creates_everything_and_counts_it() -> None:
    result = content_import(data=sample())

    assert result.created == {
        "skills": 3,
        "datasets": 1,
        "courses": 1,
        "certifications": 2,
        "project_ideas": 1,
        "tracks": 1,
    }
    assert Step.objects.count() == 4
    assert Certification.objects.get(slug="cert-old").successor == Certification.objects.get(slug="cert-new")
    assert list(
        Skill.objects.get(slug="pytorch").prerequisites.order_by("slug").values_list("slug", flat=True)
    ) == [
        "numpy",
        "python",
    ]


def test_export_then_import_into_an_empty_database_reproduces_the_content() -> None:
    content_import(data=sample())
    exported = content_export()

    flush_catalog()
    content_import(data=exported)

    assert content_export() == exported


def test_export_is_sorted_by_slug_and_matches_the_imported_file() -> None:
    content_import(data=sample())

    exported = content_export()

    assert [s["slug"] for s in exported["skills"]] == ["numpy", "python", "pytorch"]
    assert exported["tracks"] == sample()["tracks"]
    assert exported["project_ideas"] == sample()["project_ideas"]


def test_importing_the_same_file_twice_changes_nothing_and_counts_updates() -> None:
    content_import(data=sample())
    before = content_export()

    result = content_import(data=sample())

    assert content_export() == before
    assert result.created == {}
    assert result.updated["skills"] == 3


def test_a_file_with_one_bad_record_changes_nothing_and_names_record_and_field() -> None:
    data = sample()
    data["skills"][2]["tier"] = "expert"
    data["skills"][0]["name"] = "Python 3"

    with pytest.raises(ContentImportError) as caught:
        content_import(data=data)

    assert caught.value.messages == [
        'skills[2] "pytorch": field "tier": Value \'expert\' is not a valid choice.'
    ]
    assert not Skill.objects.exists()
    assert not Track.objects.exists()


def test_a_bad_record_leaves_existing_content_untouched() -> None:
    content_import(data=sample())
    before = content_export()
    data = sample()
    data["skills"][0]["description"] = "Changed."
    data["tracks"][0]["stages"][1]["steps"][0]["ref"] = "no-such-cert"

    with pytest.raises(ContentImportError) as caught:
        content_import(data=data)

    assert caught.value.messages == [
        'tracks[0] "ml-engineer": stages[1].steps[0]: field "ref": unknown certification "no-such-cert".'
    ]
    assert content_export() == before


def test_import_refuses_a_prerequisite_cycle_and_names_it() -> None:
    data = sample()
    data["skills"][0]["prerequisites"] = ["pytorch"]

    with pytest.raises(ContentImportError) as caught:
        content_import(data=data)

    assert caught.value.messages == [
        'skills[0] "python": field "prerequisites": '
        "the prerequisites would form a cycle: NumPy → Python → PyTorch → NumPy."
    ]
    assert not Skill.objects.exists()


def test_import_refuses_a_cycle_closed_against_existing_edges() -> None:
    content_import(data=sample())
    data = {"format": FORMAT, "skills": [{"slug": "python", "prerequisites": ["numpy"]}]}

    with pytest.raises(ContentImportError) as caught:
        content_import(data=data)

    assert caught.value.messages == [
        'skills[0] "python": field "prerequisites": the prerequisites would form a cycle: NumPy → Python → NumPy.'
    ]
    assert not SkillPrerequisite.objects.filter(skill__slug="python").exists()


def test_unknown_format_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ContentImportError) as caught:
        content_import(data={"format": "other/2", "skills": []})

    assert caught.value.messages == ['Unknown format "other/2": expected "pathwise-content/1".']


def test_bad_json_is_refused_with_line_and_column() -> None:
    with pytest.raises(ContentImportError) as caught:
        content_import_text(text='{"format": "pathwise-content/1",\n "skills": [}', fmt="json")

    assert caught.value.messages[0].startswith("Not valid JSON: line 2 column")


def test_duplicate_slugs_and_unknown_fields_are_reported_together() -> None:
    data = sample()
    data["skills"].append(dict(data["skills"][0]))
    data["courses"][0]["teacher"] = "X"

    with pytest.raises(ContentImportError) as caught:
        content_import(data=data)

    assert caught.value.messages == [
        'skills[3] "python": field "slug": "python" appears twice (also at position 0).',
        'courses[0] "py-course": unknown field "teacher".',
    ]


def test_retired_certification_without_date_is_refused_by_name() -> None:
    data = sample()
    data["certifications"][1]["retired_on"] = None

    with pytest.raises(ContentImportError) as caught:
        content_import(data=data)

    assert len(caught.value.messages) == 1
    assert caught.value.messages[0].startswith('certifications[1] "cert-old": ')


def test_reimport_replaces_stages_and_steps_to_match_the_file() -> None:
    content_import(data=sample())
    data = sample()
    stage = data["tracks"][0]["stages"][0]
    stage["steps"] = [{"order": 1, "kind": "skill", "ref": "numpy", "optional": False, "note": "Now NumPy."}]
    del data["tracks"][0]["stages"][1]

    content_import(data=data)

    assert content_export()["tracks"] == data["tracks"]


def test_removing_a_ticked_deliverable_is_refused_and_changes_nothing() -> None:
    content_import(data=sample())
    before = content_export()
    project = ProjectIdea.objects.get(slug="digits")
    progress = Progress.objects.create(learner=UserFactory(), project=project)
    DeliverableCheck.objects.create(progress=progress, deliverable=project.deliverables.get(order=2))
    data = sample()
    data["project_ideas"][0]["deliverables"] = ["Only one now"]

    with pytest.raises(ContentImportError) as caught:
        content_import(data=data)

    assert caught.value.messages == [
        'project_ideas[0] "digits": field "deliverables": cannot remove "A short write-up; with numbers": '
        "learners have ticked it off."
    ]
    assert content_export() == before


def test_deliverables_are_updated_in_place_keeping_learners_ticks() -> None:
    content_import(data=sample())
    project = ProjectIdea.objects.get(slug="digits")
    first = project.deliverables.get(order=1)
    progress = Progress.objects.create(learner=UserFactory(), project=project)
    DeliverableCheck.objects.create(progress=progress, deliverable=first)
    data = sample()
    data["project_ideas"][0]["deliverables"] = ["A public repo with a README", "A write-up", "A demo"]

    content_import(data=data)

    assert [d.text for d in project.deliverables.all()] == data["project_ideas"][0]["deliverables"]
    assert project.deliverables.get(order=1).pk == first.pk


@pytest.mark.parametrize("model", ["skills", "courses", "certifications", "datasets", "project_ideas"])
def test_csv_export_then_import_into_an_empty_database_reproduces_the_list(model: str) -> None:
    content_import(data=sample())
    json_before = content_export()
    csv_files = {
        m: content_export_csv(model=m)
        for m in ("skills", "datasets", "courses", "certifications", "project_ideas")
    }

    flush_catalog()
    for m in ("skills", "datasets", "courses", "certifications", "project_ideas"):
        content_import_text(text=csv_files[m], fmt="csv", model=m)

    assert content_export_csv(model=model) == csv_files[model]
    assert content_export()[model] == json_before[model]


def test_csv_errors_name_the_row_and_field() -> None:
    text = "slug,name,category,tier,kind,description,estimated_hours,market_share,prerequisites\n"
    text += "python,Python,programming,foundation,language,x,80,85,\n"
    text += "numpy,NumPy,frameworks,essential,library,x,-3,,python\n"

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
