"""Filters for the print stylesheet, which is written inside the print template."""

import unicodedata

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value) -> str:
    """A CSS string literal for a translated word used in `content:` (the page footer's "Page")."""
    text = str(value)
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>&\n\r' else char for char in text)
    return mark_safe(f'"{escaped}"')


def _first_strong(text: str) -> str:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in {"R", "AL"}:
            return "rtl"
    return ""


@register.filter
def isolate(value) -> str:
    """Text that keeps its own direction inside a line of the other direction, for the PDF.

    What <bdi> does on the web: "10:00–12:00 (UTC)" or "UN DESA (3)" inside an Arabic line must
    not be reordered by the line's direction. WeasyPrint does not implement `unicode-bidi`, and the
    Pango it runs on ignores the isolate controls (U+2066–2069), so the value is wrapped in the
    older embedding controls instead (LRE or RLE … PDF), chosen by its first strong character as
    <bdi> would. Autoescaping still applies to the value.
    """
    text = str(value)
    direction = _first_strong(text)
    if not direction:
        return text
    return ("\u202a" if direction == "ltr" else "\u202b") + text + "\u202c"
