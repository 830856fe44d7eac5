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
# is omitted, text and attributes are escaped), so every match is one of its own tags.
TAG = re.compile(r"<(/?)(blockquote|ul|ol|li|em|strong|del|h[1-6])((?: [^>]*)?)>")


def _tidy(html: str) -> str:
    """One pass over cmark's tags: headings from h3 down, never skipping a level (WCAG heading
    order: "## A" → h3, "#### B" → h4), and nothing nested deeper than MAX_DEPTH."""
    kept: list[str] = []  # the open elements: their (shifted) tag, or "" for a dropped one
    previous = TOP_HEADING - 1

    def visit(match: re.Match[str]) -> str:
        nonlocal previous
        closing, tag, attributes = match.groups()
        if closing:
            tag = kept.pop() if kept else ""
            return f"</{tag}>" if tag else ""
        if len(kept) >= MAX_DEPTH:
            kept.append("")
            return ""
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            level = min(max(int(tag[1]) + TOP_HEADING - 1, TOP_HEADING), previous + 1, 6)
            tag, previous = f"h{level}", level
        kept.append(tag)
        return f"<{tag}{attributes}>"

    return TAG.sub(visit, html)


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
    )
    return mark_safe(cleaned)  # nh3 has just sanitised it
