"""Hypothesis fuzzing of the content import: mutations of a valid file either import or are refused
with messages naming record and field, never another exception, and a refusal changes nothing;
the same through the admin's import page and the import command.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from catalog.exporting import CSV_MODELS, SECTIONS, content_export_csv
from catalog.importing import ContentImportError, content_import_text
from tests.catalog.fuzzing import (
    BASE,
    EXAMPLES,
    FUZZ,
    catalog_snapshot,
    documents,
    huge,
    import_or_refuse,
    text,
    values,
)


@pytest.mark.django_db
@FUZZ
@given(doc=documents())
def test_a_mutated_file_imports_or_is_refused_naming_record_and_field(
    imported_base: None, doc: dict[str, Any]
) -> None:
    import_or_refuse(json.dumps(doc))


@pytest.mark.django_db
@FUZZ
@given(doc=st.one_of(values, st.dictionaries(st.sampled_from(["format", *SECTIONS, "extra"]), values)))
def test_any_json_at_all_imports_or_is_refused(imported_base: None, doc: Any) -> None:
    import_or_refuse(json.dumps(doc))


@pytest.mark.django_db
@hypothesis_settings(FUZZ, max_examples=EXAMPLES // 2)
@given(raw=st.one_of(text, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_text_that_is_not_json_is_refused(imported_base: None, raw: str) -> None:
    import_or_refuse(raw)


@st.composite
def csv_lists(draw: Any) -> tuple[str, str]:
    """A flat list as the export writes it, with some cells (or the header) replaced."""
    model = draw(st.sampled_from(CSV_MODELS))
    rows = list(csv.reader(io.StringIO(content_export_csv(model=model))))
    cell = st.one_of(
        text, huge, st.sampled_from(["", "-1", "1e999", "NaN", "2024-02-30", "a;b;;", "no-such-slug"])
    )
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.integers(0, len(rows) - 1))
        if rows[row]:
            rows[row][draw(st.integers(0, len(rows[row]) - 1))] = draw(cell)
    if draw(st.booleans()):
        rows.append(draw(st.lists(cell, max_size=len(rows[0]) + 1)))
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return model, out.getvalue()


@pytest.mark.django_db
@hypothesis_settings(FUZZ, max_examples=EXAMPLES // 2)
@given(generated=csv_lists())
def test_a_mutated_csv_list_imports_or_is_refused(imported_base: None, generated: tuple[str, str]) -> None:
    model, body = generated
    with transaction.atomic():
        before = catalog_snapshot()
        try:
            content_import_text(text=body, fmt="csv", model=model)
        except ContentImportError as error:
            assert error.messages
            assert all(m.startswith(f"{model} ") for m in error.messages), error.messages
            assert catalog_snapshot() == before, "a refused import changed the catalog"
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.django_db
@hypothesis_settings(FUZZ, max_examples=EXAMPLES * 2 // 5)
@given(doc=documents())
def test_the_admin_import_page_never_errors_and_a_refusal_changes_nothing(
    imported_base: None, admin_client_: Any, doc: dict[str, Any]
) -> None:
    upload = SimpleUploadedFile("content.json", json.dumps(doc).encode(), content_type="application/json")
    with transaction.atomic():
        before = catalog_snapshot()
        response = admin_client_.post(reverse("admin:catalog_content_import"), {"file": upload})
        if response.status_code != 302:  # the import page redirects only after a successful import
            assert catalog_snapshot() == before
        transaction.set_rollback(True)
    assert response.status_code in (200, 302)


@pytest.mark.django_db
@hypothesis_settings(FUZZ, max_examples=EXAMPLES * 2 // 5)
@given(doc=documents())
def test_the_import_command_fails_only_with_a_command_error(
    imported_base: None, tmp_path_factory: Any, doc: Any
) -> None:
    path = tmp_path_factory.mktemp("content") / "content.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with transaction.atomic():
        before = catalog_snapshot()
        try:
            call_command("import_content", str(path), stdout=io.StringIO())
        except CommandError as error:
            assert str(error).startswith(f"{path}: nothing imported.\n")
            assert catalog_snapshot() == before
        transaction.set_rollback(True)


def test_the_import_command_exits_1_with_the_messages_and_no_traceback(tmp_path: Path) -> None:
    doc = copy.deepcopy(BASE)
    doc["skills"][0]["estimated_hours"] = -3
    doc["skills"][1]["category"] = "cooking"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": database, "SECRET_KEY": "test", "DEBUG": "1"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=settings.BASE_DIR, env=env, check=True, timeout=120)

    done = subprocess.run(
        [*manage, "import_content", str(path)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{path}: nothing imported." in done.stderr
    assert (
        'skills[0] "python": field "estimated_hours": Ensure this value is greater than or equal to 0.'
        in done.stderr
    )
    assert 'skills[1] "numpy": field "category": Value \'cooking\' is not a valid choice.' in done.stderr
