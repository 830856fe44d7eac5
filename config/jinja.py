"""Jinja2 for the hottest page (the plan): its templates, and rendering one block of one as a fragment.

Django's template engine spent ~7 ms of the plan page's ~11 ms of CPU (a variable costs it ~5 µs
to look up, localise and escape); the same markup compiled by Jinja2 renders in about a third of
that. The page's frame (base.html) stays a Django template; every other page too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

import jinja2
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import pluralize
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import is_aware, localtime

from config.reversing import url


def format_date(value: date | datetime | None, fmt: str) -> str:
    """Django's `date` filter, with datetimes in the current time zone as Django's templates show them."""
    if isinstance(value, datetime) and is_aware(value):
        value = localtime(value)
    return date_filter(value, fmt)


def environment(**options: Any) -> jinja2.Environment:
    """The Jinja2 environment; OPTIONS["globals"] names the apps' helpers the templates call by
    dotted path, as Django's context processors are named: config imports no app."""
    # Escaped always; a missing variable renders empty, as in Django's templates (the backend's DEBUG
    # default would print it).
    options.pop("autoescape", None)
    helpers = {name: import_string(path) for name, path in options.pop("globals", {}).items()}
    options["undefined"] = jinja2.Undefined
    env = jinja2.Environment(autoescape=True, **options)
    env.globals.update(url=url, **helpers)
    env.filters.update(date=format_date, pluralize=pluralize)
    return env


def page_context(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    """`context` with the request and its CSRF field, made once (Django's tag masks the token afresh for
    every form; the backend's lazy csrf_input would too, each time it is printed)."""
    return context | {"request": request, "csrf_token": get_token(request), "csrf_input": csrf_input(request)}


def template(name: str) -> jinja2.Template:
    return cast(Jinja2, engines["jinja2"]).env.get_template(name)


def render(request: HttpRequest, name: str, context: dict[str, Any]) -> SafeString:
    """The whole template `name` (Jinja2) as markup, to be placed in a Django page."""
    return mark_safe(template(name).render(page_context(request, context)))


def render_block(request: HttpRequest, name: str, block: str, context: dict[str, Any]) -> str:
    """One block of template `name` on its own: the fragment htmx swaps in (as a Django partial)."""
    return render_blocks(request, name, [block], context)


def render_blocks(request: HttpRequest, name: str, blocks: list[str], context: dict[str, Any]) -> str:
    """Blocks of template `name` one after the other (a response's fragments and out-of-band swaps),
    from one context: the CSRF field is made once, not once a block."""
    jinja_template = template(name)
    page = jinja_template.new_context(page_context(request, context))
    return "".join(part for block in blocks for part in jinja_template.blocks[block](page))
