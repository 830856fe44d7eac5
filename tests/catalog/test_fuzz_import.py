"""Hypothesis fuzzing of the content import: mutations of a valid file either import or are refused
with messages naming record and field, never another exception, and a refusal changes nothing.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from catalog.exporting import CSV_MODELS, FORMAT, SECTIONS, content_export_csv
from catalog.importing import ContentImportError, content_import, content_import_text
from catalog.models import Deliverable, Skill
from roadmap.models import DeliverableCheck
from roadmap.services import progress_get_or_create
from tests.factories import StaffUserFactory, UserFactory

# FUZZ_EXAMPLES=1000 for a deeper hunt than the everyday run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---------------------------------------------------------------- a valid small file


def skill(slug: str, name: str, prerequisites: list[str]) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": name,
        "category": "programming",
        "tier": "foundation",
        "kind": "language",
        "description": f"{name}, briefly.",
        "estimated_hours": 10,
        "market_share": "12.50",
        "prerequisites": prerequisites,
    }


BASE: dict[str, Any] = {
    "format": FORMAT,
    "skills": [
        skill("python", "Python", []),
        skill("numpy", "NumPy", ["python"]),
        skill("pytorch", "PyTorch", ["numpy"]),
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
            "deliverables": ["A public repo", "A short write-up"],
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

# ---------------------------------------------------------------- mutations

Path_ = tuple[Any, ...]

SLUGS = ["python", "numpy", "pytorch", "py-course", "cert-new", "cert-old", "mnist", "digits", "ml-engineer"]
text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30)
huge = st.builds(lambda char, n: char * n, st.sampled_from(["a", "é", "🔑", "-"]), st.integers(200, 40_000))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([-1, 0, 32767, 32768, 2**31, 2**63, -(2**63) - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
    huge,
    st.sampled_from([*SLUGS, "no-such-slug", "Not A Slug!", "", " ", "a\x00b", "2024-02-30", "NaN", "1e999"]),
    st.sampled_from(["\ud800", "py\udfffthon", 10**40, -(10**40)]),
    st.sampled_from(["programming", "video", "free", "retired", "active", "skill", "course", "project"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=2)),
    max_leaves=4,
)


def paths(node: Any, at: Path_ = ()) -> Iterator[Path_]:
    """Every place in the document: object keys and list positions."""
    if isinstance(node, dict):
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, child in items:
        yield (*at, key)
        yield from paths(child, (*at, key))


def parent_of(doc: Any, path: Path_) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


def mutate(doc: dict[str, Any], data: Any) -> None:
    """One change somewhere in the document: a new value, a removal, an extra key or a duplicate."""
    operation = data.draw(
        st.sampled_from(["set", "set", "set", "delete", "add key", "duplicate", "cycle", "dangle"])
    )
    if operation == "cycle":
        # python needs pytorch, which needs numpy, which needs python.
        doc.setdefault("skills", [skill("python", "Python", [])])
        for record in doc["skills"] if isinstance(doc["skills"], list) else []:
            if isinstance(record, dict) and record.get("slug") == "python":
                record["prerequisites"] = ["pytorch"]
        return
    if operation == "dangle":
        tracks = doc.get("tracks")
        if isinstance(tracks, list) and tracks and isinstance(tracks[0], dict):
            tracks[0].setdefault("stages", []).append(
                {
                    "order": 9,
                    "title": "Ghosts",
                    "steps": [{"order": 1, "kind": "skill", "ref": "no-such-skill"}],
                }
            )
        return
    places = list(paths(doc))
    if not places:
        doc[data.draw(text)] = data.draw(values)
        return
    path = data.draw(st.sampled_from(places))
    parent, key = parent_of(doc, path), path[-1]
    if operation == "set":
        parent[key] = data.draw(values)
    elif operation == "delete":
        del parent[key]
    elif operation == "add key":
        target = parent[key] if isinstance(parent[key], dict) else parent
        if isinstance(target, dict):
            target[
                data.draw(st.one_of(text, st.sampled_from(["slug", "name", "order", "notes", "steps"])))
            ] = data.draw(values)
    elif operation == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[key]))


@st.composite
def documents(draw: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    data = draw(st.data())
    for _ in range(draw(st.integers(1, 3))):
        mutate(doc, data)
    return doc


# ---------------------------------------------------------------- the catalog as it stands


CATALOG_APP = "roadmap"


def catalog_snapshot() -> dict[str, list[dict[str, Any]]]:
    from django.apps import apps

    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config(CATALOG_APP).get_models(include_auto_created=True)
    }


@pytest.fixture(scope="module")
def catalog(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The base file imported, with a learner who has started a skill and ticked a deliverable
    (both PROTECT the catalog rows they point at)."""
    with django_db_blocker.unblock(), transaction.atomic():
        content_import(data=copy.deepcopy(BASE))
        learner = UserFactory()
        progress_get_or_create(learner=learner, kind="skill", item_id=Skill.objects.get(slug="numpy").pk)
        project = progress_get_or_create(
            learner=learner,
            kind="project",
            item_id=Deliverable.objects.first().project_id,  # type: ignore[union-attr]
        )
        DeliverableCheck.objects.create(
            progress=project, deliverable=Deliverable.objects.order_by("order").last()
        )
        yield
        transaction.set_rollback(True)


ROOT_MESSAGES = (
    "Unknown format",
    "Unknown section",
    "Section ",
    "Not valid JSON",
    "The file must",
    "The content must",
)


def assert_refusal_is_clear(error: ContentImportError) -> None:
    assert error.messages, "refused without a message"
    for message in error.messages:
        # Record-level problems start with the record, e.g. 'skills[0] "python": field "name": ...'.
        names_record = message.startswith(tuple(f"{section}[" for section in SECTIONS))
        assert names_record or message.startswith(ROOT_MESSAGES), f"names no record: {message!r}"
        if names_record and ": field " not in message and ": unknown field " not in message:
            assert ": must be an object" in message, f"names no field: {message!r}"


def import_or_refuse(text_: str) -> None:
    """Import in a savepoint that is rolled back either way; a refusal must leave the catalog as it was."""
    with transaction.atomic():
        before = catalog_snapshot()
        try:
            content_import_text(text=text_, fmt="json")
        except ContentImportError as error:
            assert_refusal_is_clear(error)
            assert catalog_snapshot() == before, "a refused import changed the catalog"
        transaction.set_rollback(True)


# ---------------------------------------------------------------- the tests


@pytest.mark.django_db
@FUZZ
@given(doc=documents())
def test_a_mutated_file_imports_or_is_refused_naming_record_and_field(
    catalog: None, doc: dict[str, Any]
) -> None:
    import_or_refuse(json.dumps(doc))


@pytest.mark.django_db
@FUZZ
@given(doc=st.one_of(values, st.dictionaries(st.sampled_from(["format", *SECTIONS, "extra"]), values)))
def test_any_json_at_all_imports_or_is_refused(catalog: None, doc: Any) -> None:
    import_or_refuse(json.dumps(doc))


@pytest.mark.django_db
@hypothesis_settings(FUZZ, max_examples=EXAMPLES // 2)
@given(raw=st.one_of(text, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_text_that_is_not_json_is_refused(catalog: None, raw: str) -> None:
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
def test_a_mutated_csv_list_imports_or_is_refused(catalog: None, generated: tuple[str, str]) -> None:
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
def test_cyclic_prerequisites_are_refused_naming_the_skill(catalog: None) -> None:
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
    catalog: None, where: Path_, value: str, message: str
) -> None:
    doc = copy.deepcopy(BASE)
    parent_of(doc, where)[where[-1]] = value

    with pytest.raises(ContentImportError) as refused:
        content_import(data=doc)

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
]


@pytest.mark.django_db
@pytest.mark.parametrize(("where", "value", "message"), FOUND)
def test_a_value_of_the_wrong_type_is_refused_naming_the_field(
    catalog: None, where: Path_, value: Any, message: str
) -> None:
    doc = copy.deepcopy(BASE)
    parent_of(doc, where)[where[-1]] = value

    with pytest.raises(ContentImportError) as refused:
        content_import_text(text=json.dumps(doc), fmt="json")

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
        'Unknown section "\\ud800": expected skills, datasets, courses, certifications, project_ideas, tracks.',
        id="lone-surrogate-in-a-section-name",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "message"), HOSTILE)
def test_a_hostile_file_is_refused_with_a_message_naming_record_and_field(
    catalog: None, body: str, message: str
) -> None:
    with pytest.raises(ContentImportError) as refused:
        content_import_text(text=body, fmt="json")

    assert message in refused.value.messages
    assert_refusal_is_clear(refused.value)


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "message"), HOSTILE)
def test_the_admin_import_page_shows_why_a_hostile_file_is_refused(
    catalog: None, admin_client_: Any, body: str, message: str
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
    catalog: None, tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "content.json"
    path.write_text(body, encoding="utf-8")
    before = catalog_snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("import_content", str(path), stdout=io.StringIO())

    assert message in str(refused.value).splitlines()
    str(refused.value).encode("utf-8")  # printable on a UTF-8 terminal
    assert catalog_snapshot() == before


# ---------------------------------------------------------------- through the admin page and the command


@pytest.mark.django_db
@hypothesis_settings(FUZZ, max_examples=EXAMPLES * 2 // 5)
@given(doc=documents())
def test_the_admin_import_page_never_errors_and_a_refusal_changes_nothing(
    catalog: None, admin_client_: Any, doc: dict[str, Any]
) -> None:
    upload = SimpleUploadedFile("content.json", json.dumps(doc).encode(), content_type="application/json")
    with transaction.atomic():
        before = catalog_snapshot()
        response = admin_client_.post(reverse("admin:catalog_content_import"), {"file": upload})
        if response.status_code != 302:  # the import page redirects only after a successful import
            assert catalog_snapshot() == before
        transaction.set_rollback(True)
    assert response.status_code in (200, 302)


@pytest.fixture
def admin_client_(catalog: None) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(StaffUserFactory())
    return client


@pytest.mark.django_db
@hypothesis_settings(FUZZ, max_examples=EXAMPLES * 2 // 5)
@given(doc=documents())
def test_the_import_command_fails_only_with_a_command_error(
    catalog: None, tmp_path_factory: Any, doc: Any
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
