"""Markdown in, sanitized HTML out. No Django import.

Authors write Markdown (or paste HTML); we render it once, when an item is
saved, and keep only a safe subset of HTML. Links keep http, https and mailto
schemes only, and every link gets rel="noopener noreferrer".
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li",
    "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable("table")


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Render Markdown (which may contain raw HTML) to sanitized HTML."""
    if not text or not text.strip():
        return ""
    return sanitize_html(_md.render(text)).strip()


def plain_text(html: str) -> str:
    """Strip every tag: for meta descriptions and feeds."""
    return " ".join(nh3.clean(html, tags=set()).split())
