"""Template tags of the plan page: the parts of a row rendered for every step of the open stage."""

from __future__ import annotations

import functools

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from roadmap.models import Progress
from roadmap.selectors import Entry

register = template.Library()


@register.simple_tag
def status_buttons(row: Entry) -> SafeString:
    """The row's four status buttons, its status pressed.

    Four buttons on every row were most of the template variables a plan page renders; here their
    markup is made once per language and only the row's id and the pressed one are filled in.
    """
    dom_id = escape(row.dom_id)
    return mark_safe(
        "\n".join(
            button.replace("__row__", dom_id, 1).replace("__pressed__", str(row.status == value).lower(), 1)
            for value, button in _buttons(get_language())
        )
    )


@functools.cache
def _buttons(language: str | None) -> tuple[tuple[str, str], ...]:
    return tuple(
        (
            value,
            format_html(
                '<button type="submit" name="status" value="{0}" id="__row__-{0}" class="status-button'
                ' status-button-{0}" aria-pressed="__pressed__">{1}</button>',
                value,
                label,
            ),
        )
        for value, label in Progress.Status.choices
    )
