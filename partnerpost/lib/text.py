"""Accent folding, the one implementation every part of Partnerpost uses. No Django here."""

from __future__ import annotations

import re
import unicodedata

# The combining accents of Latin, Greek and Cyrillic letters: removed first, with one quick regex.
_COMMON_MARKS = re.compile("[\u0300-\u036f]")
# Where any other combining mark can be (tests/lib/test_text.py checks every code point against it):
# Cyrillic titlo, Hebrew to Mongolian and the combining supplements, the marks for symbols, and
# everything from U+2C00 on. Typical Latin punctuation (« » “ ” – — …) is outside it.
_OTHER_MARKS_POSSIBLE = re.compile("[\u0483-\u0489\u0591-\u1dff\u20d0-\u20ff\u2c00-\U0010ffff]")


def fold(text: str) -> str:
    """The text without accents or other combining marks (é -> e, ñ -> n, й -> и), compatibility
    forms decomposed (ﬁ -> fi, ² -> 2). Case and punctuation are left as they are."""
    text = unicodedata.normalize("NFKD", text)
    if text.isascii():
        return text
    text = _COMMON_MARKS.sub("", text)
    if not _OTHER_MARKS_POSSIBLE.search(text):
        return text
    return "".join(ch for ch in text if not unicodedata.combining(ch))
