"""Content import refusals kept as examples (many found by the fuzzing): prerequisite cycles, NUL
characters, values of the wrong type and hostile files are refused naming record and field, also
on the admin page and by the import command.
"""

from __future__ import annotations

import copy
import html
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from catalog.importing import ContentImportError, content_import, content_import_text
from tests.catalog.fuzzing import BASE, Path_, assert_refusal_is_clear, catalog_snapshot, parent_of


def base_with(where: Path_, value: Any) -> dict[str, Any]:
    """A copy of the base document with `value` at `where`."""
    doc = copy.deepcopy(BASE)
    parent_of(doc, where)[where[-1]] = value
    return doc


def test_cyclic_prerequisites_are_refused_naming_the_skill(imported_base: None) -> None:
    doc = copy.deepcopy(BASE)
    doc["skills"][0]["prerequisites"] = ["pytorch"]

    with pytest.raises(ContentImportError) as refused:
        content_import(data=doc)

    [message] = refused.value.messages
    assert message.startswith(
        'skills[0] "python": field "prerequisites": the prerequisites would form a cycle: '
    )
    assert {"Python", "PyTorch", "NumPy"} <= set(message.rsplit(": ", 1)[1].rstrip(".").split(" → "))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (
            ("skills", 0, "name"),
            "Py\x00thon",
            'skills[0] "python": field "name": Null characters are not allowed.',
        ),
        (("skills", 1, "slug"), "nu\x00mpy", 'skills[1]: field "slug": Null characters are not allowed.'),
        (
            ("tracks", 0, "stages", 0, "steps", 0, "ref"),
            "py\x00thon",
            'tracks[0] "ml-engineer": stages[0].steps[0]: field "ref": Null characters are not allowed.',
        ),
    ],
)
def test_a_nul_character_is_refused_naming_record_and_field(
    imported_base: None, where: Path_, value: str, message: str
) -> None:
    with pytest.raises(ContentImportError) as refused:
        content_import(data=base_with(where, value))

    assert message in refused.value.messages


# What the fuzzing found (each was a TypeError or ValueError, a 500 on the admin page), kept as examples.
FOUND = [
    (("certifications", 1, "retired_on"), 20240331, 'certifications[1] "cert-old": field "retired_on": '),
    (
        ("certifications", 1, "retired_on"),
        ["2024-03-31"],
        'certifications[1] "cert-old": field "retired_on": ',
    ),
    (("certifications", 0, "validity_months"), "", 'certifications[0] "cert-new": field "validity_months": '),
    (("certifications", 0, "price_usd"), [], 'certifications[0] "cert-new": field "price_usd": '),
    (
        ("tracks", 0, "stages", 0, "steps", 0, "kind"),
        [],
        'tracks[0] "ml-engineer": stages[0].steps[0]: field "kind": ',
    ),
    (
        ("tracks", 0, "stages", 0, "title"),
        ["Foundations"],
        'tracks[0] "ml-engineer": stages[0]: field "title": ',
    ),
    (
        ("courses", 0, "description"),
        None,
        'courses[0] "py-course": field "description": This field cannot be null.',
    ),
    (
        ("tracks", 0, "stages", 1, "description"),
        None,
        'tracks[0] "ml-engineer": stages[1]: field "description": ',
    ),
    (("format",), 1.5, "Unknown format 1.5: "),
    # A retired certification without its date broke a database constraint whose message named no field.
    (
        ("certifications", 1, "retired_on"),
        None,
        'certifications[1] "cert-old": field "retired_on": A retired certification needs the date it was retired.',
    ),
    (
        ("certifications", 0, "price_usd"),
        -5,
        'certifications[0] "cert-new": field "price_usd": The price cannot be negative.',
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("where", "value", "message"), FOUND)
def test_a_value_of_the_wrong_type_is_refused_naming_the_field(
    imported_base: None, where: Path_, value: Any, message: str
) -> None:
    with pytest.raises(ContentImportError) as refused:
        content_import_text(text=json.dumps(base_with(where, value)), fmt="json")

    assert refused.value.messages[0].startswith(message)


# Hostile files: each was a RecursionError, ValueError or UnicodeEncodeError (a 500) before.
DEEP = 100_000
HOSTILE = [
    pytest.param(
        '{"format": "pathwise-content/1", "skills": ' + "[" * DEEP + "]" * DEEP + "}",
        "The file must not nest lists and objects more than 16 levels deep.",
        id="nested-100000-levels",
    ),
    pytest.param(
        json.dumps(BASE).replace(
            '"description": "Python, briefly."', '"description": ' + "[" * 500 + "]" * 500
        ),
        'skills[0] "python": field "description": nested more than 16 levels deep.',
        id="nested-500-levels-in-a-field",
    ),
    pytest.param(
        json.dumps(BASE).replace('"estimated_hours": 10', '"estimated_hours": ' + "9" * 100_000, 1),
        'skills[0] "python": field "estimated_hours": 1.000E+100000 is out of range.',
        id="integer-of-100000-digits",
    ),
    pytest.param(
        json.dumps(BASE).replace('"estimated_hours": 10', '"estimated_hours": 1e999999999', 1),
        'skills[0] "python": field "estimated_hours": 1.000E+999999999 is out of range.',
        id="number-with-a-huge-exponent",
    ),
    pytest.param(
        json.dumps(BASE).replace('"order": 1,', f'"order": {2**40},', 1),
        'tracks[0] "ml-engineer": stages[0]: field "order": must be a whole number from 0 to 32767.',
        id="integer-beyond-smallint",
    ),
    pytest.param(
        json.dumps(BASE).replace('"name": "NumPy"', '"name": "Num\\ud800Py"'),
        'skills[1] "numpy": field "name": Lone surrogate characters (half of a UTF-16 pair) are not allowed.',
        id="lone-surrogate-in-a-name",
    ),
    pytest.param(
        json.dumps(BASE).replace('"ref": "python"', '"ref": "\\udc00"', 1),
        'tracks[0] "ml-engineer": stages[0].steps[0]: field "ref": '
        "Lone surrogate characters (half of a UTF-16 pair) are not allowed.",
        id="lone-surrogate-in-a-step",
    ),
    pytest.param(
        json.dumps(BASE).replace('"courses"', '"\\ud800"'),
        'Unknown section "\\ud800": expected skills, datasets, courses, certifications, project_ideas, tracks, '
        "backgrounds, roles, role_pairings, pathways.",
        id="lone-surrogate-in-a-section-name",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "message"), HOSTILE)
def test_a_hostile_file_is_refused_with_a_message_naming_record_and_field(
    imported_base: None, body: str, message: str
) -> None:
    with pytest.raises(ContentImportError) as refused:
        content_import_text(text=body, fmt="json")

    assert message in refused.value.messages
    assert_refusal_is_clear(refused.value)


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "message"), HOSTILE)
def test_the_admin_import_page_shows_why_a_hostile_file_is_refused(
    imported_base: None, admin_client_: Any, body: str, message: str
) -> None:
    upload = SimpleUploadedFile("content.json", body.encode("utf-8"), content_type="application/json")
    before = catalog_snapshot()

    response = admin_client_.post(reverse("admin:catalog_content_import"), {"file": upload})

    assert response.status_code == 200
    assert html.escape(message) in response.content.decode()
    assert catalog_snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "message"), HOSTILE)
def test_the_import_command_refuses_a_hostile_file_with_the_message(
    imported_base: None, tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "content.json"
    path.write_text(body, encoding="utf-8")
    before = catalog_snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("import_content", str(path), stdout=io.StringIO())

    assert message in str(refused.value).splitlines()
    str(refused.value).encode("utf-8")  # printable on a UTF-8 terminal
    assert catalog_snapshot() == before
