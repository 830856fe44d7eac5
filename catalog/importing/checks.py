"""What a content file's values may be: limits, refusals and the messages that name record and field."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from catalog.exporting import FORMAT, SECTIONS, SHARES
from catalog.models import (
    Certification,
    Course,
    ItemKind,
    ProjectIdea,
    Skill,
)

# The format nests six levels (file, tracks, track, stages, stage, steps, step); anything much deeper
# is refused before any code walks it recursively.
MAX_DEPTH = 16
# Whole numbers longer than this are kept as Decimal so field checks refuse them as out of range;
# int() of a long digit string is slow and beyond 4,300 digits refused by Python itself.
MAX_INT_DIGITS = 30

STEP_MODELS: dict[str, type[models.Model]] = {
    ItemKind.SKILL: Skill,
    ItemKind.COURSE: Course,
    ItemKind.CERTIFICATION: Certification,
    ItemKind.PROJECT: ProjectIdea,
}
# CSV cells cannot hold null: an empty cell means null for these fields.
NULLABLE = {*SHARES, "checked_on", "price_usd", "validity_months", "retired_on", "successor"}


Label = Callable[[str, int, Any], str]


class ContentImportError(Exception):
    """A content file was refused; `messages` names each record and field at fault."""

    def __init__(self, messages: list[str]) -> None:
        # A lone surrogate from the file ("\\ud800") cannot be written out as UTF-8: show it escaped.
        messages = [m.encode("utf-8", "backslashreplace").decode("utf-8") for m in messages]
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [
            f"{section.replace('_', ' ')}: {self.created.get(section, 0)} created, "
            f"{self.updated.get(section, 0)} updated"
            for section in SECTIONS
            if section in self.created or section in self.updated
        ]
        return "; ".join(parts) or "nothing to import"


def json_label(section: str, index: int, slug: Any) -> str:
    return f'{section}[{index}] "{slug}"' if isinstance(slug, str) else f"{section}[{index}]"


def csv_label(section: str, index: int, slug: Any) -> str:
    # The header is line 1, so the record at index 0 is on line 2 (if no cell spans lines).
    return f'{section} row {index + 2} "{slug}"' if slug else f"{section} row {index + 2}"


def errors_of(exc: ValidationError, where: str) -> list[str]:
    messages = []
    for name, errors in exc.message_dict.items():
        for message in errors:
            if name == NON_FIELD_ERRORS:
                messages.append(f"{where}: {message}")
            else:
                messages.append(f'{where}: field "{name}": {message}')
    return messages


def shown(value: Any) -> str:
    """A value from the file as JSON, cut short; numbers were parsed as Decimal, which json cannot dump."""
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "an object"
    if isinstance(value, Decimal):
        shown = str(value) if abs(value.adjusted()) < 60 or not value.is_finite() else f"{value:.3E}"
    else:
        shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "Null characters are not allowed."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # JSON's "\\ud800" escapes decode to half a character, which no database column stores.
        return "Lone surrogate characters (half of a UTF-16 pair) are not allowed."
    return None


def value_problems(name: str, value: Any) -> Iterator[str]:
    """What is wrong in one field of a record, wherever it hides in nested values: text with NUL or a
    lone surrogate, and nesting beyond MAX_DEPTH. Places read 'field "name"', or for nested records
    'stages[0].steps[1]: field "ref"'. Iterative, so no nesting can exhaust the stack."""
    stack: list[tuple[str, Any, tuple[str, ...], int]] = [(name, value, (), 1)]
    while stack:
        name, value, at, depth = stack.pop()
        place = ".".join(at) + ": " * bool(at) + f'field "{name}"'
        if depth > MAX_DEPTH:
            yield f"{place}: nested more than {MAX_DEPTH} levels deep."
            continue
        if isinstance(value, str):
            if problem := _text_problem(value):
                yield f"{place}: {problem}"
        elif isinstance(value, dict):
            for key, child in reversed(value.items()):
                stack.append((name, key, at, depth + 1))
                stack.append((name, child, at, depth + 1))
        elif isinstance(value, list):
            for index, item in reversed(list(enumerate(value))):
                if isinstance(item, dict):
                    for key, child in reversed(item.items()):
                        stack.append((str(key), child, (*at, f"{name}[{index}]"), depth + 2))
                        stack.append((str(key), str(key), (*at, f"{name}[{index}]"), depth + 2))
                else:
                    stack.append((name, item, at, depth + 1))


def scalar_problem(field: Any, value: Any) -> str | None:
    """What is wrong with a value for a plain field before the model sees it, or None.

    full_clean() skips blank values of blank=True fields and lets some wrong types through
    to save(), where they crash ("" for a number, a number for a date, null for a text field).
    """
    if isinstance(value, (list, dict)):
        return "must be a single value, not a list or an object."
    if value is None:
        # full_clean() lets None through for a blank=True text field; the database would not.
        return None if field.null else "This field cannot be null."
    if isinstance(field, (models.CharField, models.TextField)):
        return None
    # int() of 1e999999999 would build a billion-digit number; no integer column holds 10**19.
    if (
        isinstance(field, models.IntegerField)
        and isinstance(value, (Decimal, float))
        and (not math.isfinite(value) or abs(Decimal(value)) >= 10**19)
    ):
        return f"{shown(value)} is out of range."
    try:
        field.to_python(value)
    except ValidationError as exc:
        return " ".join(str(m) for m in exc.messages)
    except (TypeError, ValueError):
        return f"{shown(value)} is not a valid value."
    return None


def is_order(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 32767


def legacy_shares(value: Any) -> dict[str, Any] | None:
    """A version 1 "market_share" figure as the version 2 fields, by the rule the 0003 migration
    applied to stored rows: 4 stood for "<5%", a figure ending in .5 for a five-point range
    (37.5 for "~35-40%"), any other for "~N%". None when the value is no number."""
    try:
        share = Decimal(str(value)) if value is not None else None
    except ArithmeticError:
        return None
    if share is None:
        return {"share_low": None, "share_high": None}
    if not share.is_finite():
        return None
    if share == 4:
        return {"share_low": None, "share_high": "5.00"}
    if share % 1 == Decimal("0.5"):
        return {"share_low": str(share - Decimal("2.5")), "share_high": str(share + Decimal("2.5"))}
    return {"share_low": str(share), "share_high": str(share)}


def upgraded(data: dict[str, Any]) -> dict[str, Any]:
    """A version 1 file as version 2: only its skills' "market_share" changed shape."""
    skills = data.get("skills")
    if not isinstance(skills, list):
        return {**data, "format": FORMAT}
    records = []
    for record in skills:
        if isinstance(record, dict) and "market_share" in record:
            shares = legacy_shares(record["market_share"])
            if shares is not None:
                record = {k: v for k, v in record.items() if k != "market_share"} | shares
        records.append(record)
    return {**data, "format": FORMAT, "skills": records}
