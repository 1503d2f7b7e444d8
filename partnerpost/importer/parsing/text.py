"""Small text helpers: folding for comparisons, normalising quotes and spaces, stripping Markdown markup."""

from __future__ import annotations

import re

from partnerpost.lib.text import fold as fold_accents

from ..reading import unescape_markdown


def fold(text: str) -> str:
    """Lower case without accents, punctuation squeezed to spaces: for comparing, never for showing."""
    return " ".join(re.sub(r"[^\w]+", " ", fold_accents(text).lower()).split())


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'",
                         "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u200b": "", "\ufeff": "",
                         "\u00ad": ""})


def normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


_LINK = re.compile(r"!?\[((?:[^\[\]\\]|\\.)*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_BARE_URL = re.compile(r"(?<![\w/@.])((?:https?://|www\.)[^\s<>()\[\]\"']+|"
                       r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org|int|eu|com|net|gov|edu|co)/[^\s<>()\[\]\"']*)", re.I)


def is_placeholder(url: str) -> bool:
    url = url.strip()
    return not url or url.startswith("#") or url.lower().startswith(("javascript:", "about:")) or url in {"/", "."}


def strip_markup(text: str) -> tuple[str, list[str]]:
    """Remove Markdown link syntax and emphasis; return the plain text and the real links it held."""
    links: list[str] = []

    def link(m):
        label, url = m.group(1), m.group(2)
        if not is_placeholder(url) and url.lower().startswith(("http://", "https://", "www.", "mailto:")):
            links.append(_absolute(url))
        return label

    text = _LINK.sub(link, text)
    text = _AUTOLINK.sub(lambda m: (links.append(m.group(1)), m.group(1))[1], text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*]+?)\*(?![\w*])", r"\1", text)
    text = unescape_markdown(text)
    for m in _BARE_URL.finditer(text):
        url = m.group(1).rstrip(".,;:")
        links.append(_absolute(url))
    seen, unique = set(), []
    for url in links:
        if url not in seen:
            seen.add(url)
            unique.append(url)
    return normalise(text), unique


def _absolute(url: str) -> str:
    if url.lower().startswith(("http://", "https://", "mailto:")):
        return url
    return "https://" + url
