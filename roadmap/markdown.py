"""Markdown written by learners and mentors (notes, comments, reviews) as sanitised HTML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# What Markdown produces, minus images (external ones break the CSP and leak the reader's IP).
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6", "hr", "i",
    "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# The text sits under the page's own h1 and h2: its headings start at h3.
TOP_HEADING = 3


class _ShiftHeadings(Treeprocessor):
    """Headings from h3 down, never skipping a level (WCAG heading order): "## A" → h3, "#### B" → h4."""

    def run(self, root: ET.Element) -> None:
        previous = TOP_HEADING - 1
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                level = min(max(int(element.tag[1]) + TOP_HEADING - 1, TOP_HEADING), previous + 1, 6)
                element.tag = f"h{level}"
                previous = level


class _ShiftHeadingsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # Python-Markdown names it so
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 5)


def render_markdown(text: str) -> SafeString:
    """Markdown as HTML safe to put in a page: allowed tags only, no scripts, http(s)/mailto links.

    Links get rel="nofollow noopener noreferrer" so a learner's note cannot lend page rank or
    reach back into the opener.
    """
    # A fresh converter per call: Markdown instances keep state and are not thread-safe.
    converter = markdown.Markdown(
        extensions=["fenced_code", "tables", "sane_lists", _ShiftHeadingsExtension()],
        output_format="html",
    )
    html = converter.convert(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        clean_content_tags={"script", "style"},
    )
    return mark_safe(cleaned)  # nh3 has just sanitised it
