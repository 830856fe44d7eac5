"""Run the vendored axe-core in a Playwright page and report the serious and critical WCAG problems."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

AXE_JS = Path(__file__).with_name("axe") / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe tags the 2.2 A rules as wcag21a or wcag2a).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")
# Rules whose "needs review" results are real defects on our server-rendered pages: axe cannot
# rule out that a missing element (the help text an aria-describedby names) appears later.
REVIEW_IS_FAILURE = ("aria-valid-attr-value",)

Violation = dict[str, Any]

RUN_AXE = """([tags, reviewed]) => axe.run(document, {
  runOnly: {type: 'tag', values: tags},
  resultTypes: ['violations', 'incomplete'],
}).then(results => results.violations.concat(results.incomplete.filter(r => reviewed.includes(r.id))))"""


def axe_violations(page: Page) -> list[Violation]:
    """Every WCAG A/AA violation axe finds on the page as it is now, whatever its impact, and the
    results it leaves for review under REVIEW_IS_FAILURE.

    The page's context must be opened with bypass_csp=True: axe goes in as an inline script,
    which the app's CSP (script-src 'self' 'nonce-…') would otherwise block.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=AXE_JS)
    violations: list[Violation] = page.evaluate(RUN_AXE, [WCAG_TAGS, list(REVIEW_IS_FAILURE)])
    return violations


def blocking_violations(page: Page) -> list[Violation]:
    return [v for v in axe_violations(page) if v["impact"] in BLOCKING]


def describe(violations: list[Violation]) -> str:
    """A readable report: the rule, its help page, and for each element its selector and the fix."""
    lines: list[str] = []
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"      {target}\n        {node['html'][:160]}\n        {summary}")
        if len(violation["nodes"]) > 8:
            lines.append(f"      … and {len(violation['nodes']) - 8} more elements")
    return "\n".join(lines)


def report(problems: dict[str, list[Violation]]) -> str:
    """The report for several pages (label → violations), empty when every page is clean."""
    lines = []
    for label, found in problems.items():
        if found:
            count = sum(len(v["nodes"]) for v in found)
            lines.append(f"{label}: {count} element{'s' if count != 1 else ''}\n{describe(found)}")
    return "\n".join(lines)


def open_all_details(page: Page, timeout_ms: int = 10_000) -> None:
    """Open every <details> so that axe also checks what they hide, and wait for the ones that load
    their content with htmx when opened (the plan's stages)."""
    lazy = page.locator("details:not([open])[hx-get]").count()
    finished: list[str] = []

    def on_finished(request: Any) -> None:
        finished.append(request.url)

    page.on("requestfinished", on_finished)
    try:
        page.evaluate("document.querySelectorAll('details:not([open])').forEach(d => { d.open = true; })")
        deadline = time.monotonic() + timeout_ms / 1000
        while len(finished) < lazy:
            # Events reach `on_finished` only while Playwright runs a call: this one waits for the next.
            left_ms = (deadline - time.monotonic()) * 1000
            assert left_ms > 0, f"only {len(finished)} of {lazy} lazy <details> loaded"
            try:
                page.wait_for_event("requestfinished", timeout=left_ms)
            except PlaywrightTimeoutError:
                raise AssertionError(f"only {len(finished)} of {lazy} lazy <details> loaded") from None
    finally:
        page.remove_listener("requestfinished", on_finished)
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def check_pages(page: Page, base_url: str, paths: dict[str, str]) -> str:
    """Open each page (label → path), open its <details>, and return the report of the serious and
    critical violations (empty when every page is clean)."""
    problems: dict[str, list[Violation]] = {}
    for label, path in paths.items():
        response = page.goto(base_url + path)
        assert response is not None and response.ok, (
            f"{label} ({path}) answered {response and response.status}"
        )
        # A redirect (to log in, to onboarding) would check some other page than the one named.
        assert urlsplit(page.url).path == urlsplit(path).path, f"{label} ({path}) went to {page.url}"
        open_all_details(page)
        problems[f"{label} ({path})"] = blocking_violations(page)
    return report(problems)
