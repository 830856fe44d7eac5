"""The ad's text as HTML with each matched skill in a <mark>: every character escaped, marks built here."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from jobs.selectors import SkillRow


def highlighted(text: str, rows: Iterable[SkillRow]) -> SafeString:
    """`text` escaped, with `<mark>` around each span (overlapping or out-of-range spans dropped)."""
    spans = sorted((start, end, row) for row in rows for start, end in row.match.spans)
    parts: list[str] = []
    cursor = 0
    for start, end, row in spans:
        if start < cursor or end > len(text) or start >= end:
            continue
        parts.append(escape(text[cursor:start]))
        parts.append(
            format_html(
                '<mark class="skill-match skill-{}" title="{}: {}">{}</mark>',
                row.standing,
                row.match.name,
                row.standing_label,
                text[start:end],
            )
        )
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))  # every part above is escaped or built by format_html
