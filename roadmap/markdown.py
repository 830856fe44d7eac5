"""Markdown written by learners and mentors (notes, comments, reviews) as sanitised HTML."""

from __future__ import annotations

import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from django.utils.safestring import SafeString, mark_safe

# What cmark-gfm produces with the extensions below, minus images (external ones break the CSP
# and leak the reader's IP).
ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p",
    "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
# cmark-gfm's C parser runs in linear time, its GFM extensions included (the bundled 0.29.0.gfm.13
# has the table and autolink fixes of gfm.6 to gfm.13; bench/markdown.py measures each pathological
# shape). Footnotes and task lists stay off: nothing here renders them.
EXTENSIONS = ["table", "autolink", "strikethrough"]
# Without CMARK_OPT_UNSAFE, raw HTML and javascript:/data: link targets never reach the output;
# nh3 below is the second line. "~one~" stays text: only "~~two~~" strikes through.
OPTIONS = Options.CMARK_OPT_VALIDATE_UTF8 | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
# The text sits under the page's own h1 and h2: its headings start at h3.
TOP_HEADING = 3
# The HTML sanitiser slows down quadratically with nesting depth (20,000 ">" took 3.4 s): deeper
# elements than this lose their tags and keep their text. No real note nests 32 levels.
MAX_DEPTH = 32
# The elements Markdown can nest without bound, and headings. cmark's output is regular (raw HTML
# is omitted, text and attributes are escaped), so every match is one of its own tags. Runs of bare
# opening or closing tags (20,000 ">" are 20,000 <blockquote>) are handled in one step each.
NESTING = "blockquote|ul|ol|li|em|strong|del"
TAG = re.compile(
    rf"(?P<opens>(?:<(?:{NESTING})>\n?){{2,}})"
    rf"|(?P<closes>(?:</(?:{NESTING})>\n?){{2,}})"
    rf"|<(?P<closing>/?)(?P<tag>{NESTING}|h[1-6])(?P<attributes>(?: [^>]*)?)>"
)
HEADINGS = tuple(f"<h{level}>" for level in range(1, 7))
OPENERS = tuple(f"<{tag}" for tag in NESTING.split("|"))


def _tidy(html: str) -> str:
    """One pass over cmark's tags: headings from h3 down, never skipping a level (WCAG heading
    order: "## A" → h3, "#### B" → h4), and nothing nested deeper than MAX_DEPTH."""
    if not any(h in html for h in HEADINGS) and sum(html.count(o) for o in OPENERS) <= MAX_DEPTH:
        return html  # most notes: nothing to shift, too few elements to nest too deep
    # Only the MAX_DEPTH outermost open elements keep their tags: `kept` names them, `depth`
    # counts every open element, kept or not.
    kept: list[str] = []
    depth = 0
    previous = TOP_HEADING - 1

    def visit(match: re.Match[str]) -> str:
        nonlocal depth, previous
        if run := match["opens"]:
            room = max(MAX_DEPTH - depth, 0)
            end = 0
            for _ in range(min(room, run.count("<"))):
                end = run.index(">", end) + 1
                end += run.startswith("\n", end)
            kept.extend(piece[: piece.index(">")] for piece in run[:end].split("<")[1:])
            depth += run.count("<")
            return run[:end]
        if run := match["closes"]:
            closing = min(run.count("<"), depth)
            low = depth - closing
            shown = max(min(depth, MAX_DEPTH) - low, 0)  # of the innermost first, the last ones
            start = len(run)
            for _ in range(shown):
                start = run.rindex("<", 0, start)
            del kept[len(kept) - shown :]
            depth = low
            return run[start:]
        tag, attributes = match["tag"], match["attributes"]
        if match["closing"]:
            depth = max(depth - 1, 0)
            return f"</{kept.pop()}>" if depth < MAX_DEPTH and kept else ""
        depth += 1
        if depth > MAX_DEPTH:
            return ""
        if tag[0] == "h" and tag[1] in "123456":
            level = min(max(int(tag[1]) + TOP_HEADING - 1, TOP_HEADING), previous + 1, 6)
            tag, previous = f"h{level}", level
        kept.append(tag)
        return f"<{tag}{attributes}>"

    return TAG.sub(visit, html)


def _drop_empty_href(element: str, attribute: str, value: str) -> str | None:
    """cmark blanks a javascript:/data: link target to href="": a link to nowhere, so none at all."""
    return None if attribute == "href" and not value else value


def render_markdown(text: str) -> SafeString:
    """Markdown as HTML safe to put in a page: allowed tags only, no raw HTML, http(s)/mailto links.

    Links get rel="nofollow noopener noreferrer" so a learner's note cannot lend page rank or
    reach back into the opener. Linear in the length of the text, whatever its shape.
    """
    html = cmarkgfm.markdown_to_html_with_extensions(text or "", options=OPTIONS, extensions=EXTENSIONS)
    cleaned = nh3.clean(
        _tidy(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        clean_content_tags={"script", "style"},
        attribute_filter=_drop_empty_href,
    )
    return mark_safe(cleaned)  # nh3 has just sanitised it
