"""reverse(), remembered: the plan page and the catalog lists link every row, and a resolver walk per
link was a fifth of their rendering."""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def url(name: str, *args: str | int) -> str:
    """reverse(name, args=args), the same string (or the same NoReverseMatch), kept per process for the
    script prefix and URLconf in force."""
    return _reverse(name, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=8192)
def _reverse(name: str, args: tuple[str | int, ...], script_prefix: str, urlconf: str) -> str:
    return reverse(name, args=args)
