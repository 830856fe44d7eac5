"""The content-import fuzzing's material: a valid small file, its mutations (hypothesis strategies), the
catalog's snapshot, and the check that a refusal names record and field.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from catalog.exporting import SECTIONS
from catalog.importing import ContentImportError, content_import_text
from tests.catalog.content_files import sample

# FUZZ_EXAMPLES=1000 for a deeper hunt than the everyday run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))


FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def skill(slug: str, name: str, prerequisites: list[str]) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": name,
        "category": "programming",
        "tier": "foundation",
        "kind": "language",
        "description": f"{name}, briefly.",
        "estimated_hours": 10,
        "share_low": "10.00",
        "share_high": "15.00",
        "prerequisites": prerequisites,
    }


def _base() -> dict[str, Any]:
    """The sample content file with simpler skills: the document every fuzzed file starts from."""
    doc = sample()
    doc["skills"] = [
        skill("python", "Python", []),
        skill("numpy", "NumPy", ["python"]),
        skill("pytorch", "PyTorch", ["numpy"]),
    ]
    doc["project_ideas"][0]["deliverables"] = ["A public repo", "A short write-up"]
    return doc


BASE: dict[str, Any] = _base()


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
        track = tracks[0] if isinstance(tracks, list) and tracks else None
        stages = track.setdefault("stages", []) if isinstance(track, dict) else None
        # An earlier mutation may have made the track or its stages something else than a list.
        if isinstance(stages, list):
            stages.append(
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


CATALOG_APP = "catalog"


def catalog_snapshot() -> dict[str, list[dict[str, Any]]]:
    from django.apps import apps

    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config(CATALOG_APP).get_models(include_auto_created=True)
    }


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
