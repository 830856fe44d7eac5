"""The Markdown budget: every pathological input of 20,000 characters renders in under 100 ms.

The inputs are the shapes that make backtracking Markdown parsers quadratic (cmark-gfm's own
pathological suite and the issue's reports); tests/roadmap/test_markdown.py renders the same ones.
"""

from __future__ import annotations

import time
from collections.abc import Callable

SIZE = 20_000
BUDGET_SECONDS = 0.1


def _fill(unit: str, prefix: str = "", suffix: str = "") -> Callable[[int], str]:
    """An input of exactly n characters: prefix, `unit` repeated, suffix."""

    def make(n: int) -> str:
        body = n - len(prefix) - len(suffix)
        return (prefix + unit * (body // len(unit) + 1))[: n - len(suffix)] + suffix

    return make


def _nested(opener: str, closer: str, middle: str = "a") -> Callable[[int], str]:
    def make(n: int) -> str:
        depth = (n - len(middle)) // (len(opener) + len(closer))
        text = opener * depth + middle + closer * depth
        return text + "a" * (n - len(text))

    return make


def _table(columns: int) -> Callable[[int], str]:
    def make(n: int) -> str:
        header = "|" + "a|" * columns + "\n" + "|" + "-|" * columns + "\n"
        return _fill("|" + "x|" * columns + "\n", header)(n)

    return make


PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "[ run": _fill("["),
    "] run": _fill("]"),
    "* run": _fill("*"),
    "_ run": _fill("_"),
    "` run": _fill("`"),
    "backtick ladder": _fill("a`"),
    "*a run (openers)": _fill("*a"),
    "a* run (closers)": _fill("a*"),
    "_a_ _ mix": _fill("_a _"),
    "**a* mix": _fill("**a*"),
    "nested brackets": _nested("[", "]"),
    "nested links [a](": _fill("[a]("),
    "link openers [a": _fill("[a"),
    "unclosed links": _fill("[a](b "),
    "nested images": _nested("![", "](u)", "a"),
    "nested emphasis": _nested("*a **a ", " a** a*"),
    "< run": _fill("<"),
    "<a run (raw HTML openers)": _fill("<a"),
    "~~ run": _fill("~~a"),
    "www. autolinks": _fill("www."),
    "autolink @ run": _fill("a@"),
    "deep list": lambda n: "".join(f"{'  ' * i}- a\n" for i in range(n))[:n],
    "deep list (one line)": _fill("- "),
    "deep block quote": _fill(">"),
    "block quote + list": _fill("> - "),
    "long table (3 columns)": _table(3),
    "wide table": _table(2000),
    "table of empty cells": _fill("|", "a|b\n-|-\n"),
    "entity run": _fill("&#"),
    "backslash run": _fill("\\"),
}


def measure(render: Callable[[str], object], text: str, repeat: int = 3) -> float:
    """The best of `repeat` render times in seconds (the best filters other processes' noise)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        render(text)
        best = min(best, time.perf_counter() - start)
    return best


def run() -> bool:
    from roadmap.markdown import render_markdown

    ok = True
    print(
        f"Markdown: each pathological input of {SIZE:,} characters, best of 3 (budget {BUDGET_SECONDS * 1000:.0f} ms)"
    )
    for name, make in PATHOLOGICAL.items():
        seconds = measure(render_markdown, make(SIZE))
        fine = seconds < BUDGET_SECONDS
        ok &= fine
        print(f"  [{'ok' if fine else 'FAIL'}] {name:<28} {seconds * 1000:8.2f} ms")
    return ok
