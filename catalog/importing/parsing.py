"""Reading a content file: JSON or one CSV list, into the "pathwise-content/2" structure."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from catalog.exporting import CSV_MODELS, FORMAT, RELATIONS, SCALARS
from catalog.importing.checks import MAX_DEPTH, MAX_INT_DIGITS, NULLABLE, ContentImportError

# ---------------------------------------------------------------- parsing


def content_parse_json(*, text: str) -> dict[str, Any]:
    """The dict in a JSON content file, or a ContentImportError saying why it is not one."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise ContentImportError(
            [f"Not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}."]
        ) from None
    except RecursionError:
        raise ContentImportError(
            [f"The file must not nest lists and objects more than {MAX_DEPTH} levels deep."]
        ) from None
    if not isinstance(data, dict):
        raise ContentImportError(["The file must hold one JSON object."])
    return data


def _parse_int(digits: str) -> int | Decimal:
    return int(digits) if len(digits) <= MAX_INT_DIGITS else Decimal(digits)


def content_parse_csv(*, text: str, model: str) -> dict[str, Any]:
    """A CSV flat list as a one-section content dict (cells turned back into nulls and lists)."""
    if model not in CSV_MODELS:
        raise ContentImportError([f'Unknown CSV model "{model}": choose one of {", ".join(CSV_MODELS)}.'])
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    known = {"slug", *SCALARS[model], *RELATIONS[model]}
    header = reader.fieldnames or []
    if "slug" not in header:
        raise ContentImportError([f'{model} CSV: the header row needs a "slug" column.'])
    unknown = [c for c in header if c not in known]
    if unknown:
        raise ContentImportError([f'{model} CSV: unknown column "{c}".' for c in unknown])
    records = []
    try:
        for row in reader:
            record: dict[str, Any] = {}
            for column, cell in row.items():
                if column is None:
                    raise ContentImportError(
                        [f"{model} CSV: row {reader.line_num} has more cells than the header."]
                    )
                cell = cell or ""
                if column == "deliverables":
                    record[column] = [line.strip() for line in cell.splitlines() if line.strip()]
                elif column in RELATIONS[model] and column != "successor":
                    record[column] = [s.strip() for s in cell.split(";") if s.strip()]
                elif column in NULLABLE and cell.strip() == "":
                    record[column] = None
                else:
                    record[column] = cell
            records.append(record)
    except csv.Error as exc:
        raise ContentImportError(
            [f"{model} CSV: not valid CSV near line {reader.line_num}: {exc}."]
        ) from None
    return {"format": FORMAT, model: records}


# ---------------------------------------------------------------- import
