"""Content import: a "pathwise-content/2" (or /1) JSON file or a CSV flat list, upserted by slug, all or nothing."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from catalog.exporting import CSV_MODELS
from catalog.importing.checks import ContentImportError, ImportResult, Label, csv_label, json_label
from catalog.importing.parsing import content_parse_csv, content_parse_json
from catalog.importing.records import Importer
from catalog.versioning import catalog_changed

__all__ = ["ContentImportError", "ImportResult", "content_import", "content_import_text"]


def content_import(*, data: dict[str, Any], label: Label = json_label) -> ImportResult:
    """Upsert every record of `data` by slug, all or nothing; raises ContentImportError."""
    if not isinstance(data, dict):
        raise ContentImportError(["The content must be one JSON object."])
    try:
        with transaction.atomic():
            # The importer writes in bulk (no signals): say the content changed once it is committed.
            transaction.on_commit(catalog_changed)
            return Importer(data, label).run()
    except IntegrityError as exc:
        # Validation should catch everything first; this keeps a missed case a message, not a crash.
        raise ContentImportError([f"The database refused the content: {exc}"]) from None


def content_import_text(*, text: str, fmt: str, model: str | None = None) -> ImportResult:
    """Import a file's text: fmt "json" (everything) or "csv" (one flat list named by `model`)."""
    if fmt == "json":
        return content_import(data=content_parse_json(text=text))
    if fmt == "csv":
        if not model:
            raise ContentImportError([f"A CSV file holds one list: say which ({', '.join(CSV_MODELS)})."])
        return content_import(data=content_parse_csv(text=text, model=model), label=csv_label)
    raise ContentImportError([f'Unknown file format "{fmt}": use json or csv.'])
