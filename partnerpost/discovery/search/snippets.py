"""Snippets cut in Python, the same way on both engines, from the text ranking has already read.

A snippet is a stretch of about SNIPPET_CHARS characters of an item's text: the first stretch where the
most different query words appear, with each word that matched marked (HIT_OPEN ... HIT_CLOSE). A word of the
text matches a query word when, accents and case aside, it is the same word, or has the same English
stem, or the same stem in one of the languages present in the index (what the engines match on). A
query word that is a pair of CJK characters is marked wherever the pair appears. When no word of the
text matches (the item matched by its title), the snippet is the text's beginning.

Before, each engine cut its own: FTS5's snippet() ran the MATCH again for the page's ids, and
PostgreSQL's ts_headline() read the twenty texts back and parsed them again in the item's language.
"""

from __future__ import annotations

from .analysis import _WORD, PUNCTUATION, _algorithm, _is_cjk, _query_stems, _stems, fold
from .engine import HIT_CLOSE, HIT_OPEN

#: About how long a snippet is, in characters of the text (it is cut at word boundaries).
SNIPPET_CHARS = 200
#: How much of it comes before the first match shown, as context.
_LEAD = SNIPPET_CHARS // 5


class Marker:
    """What one query's words look like in a text; reused for every hit of a page."""

    def __init__(self, words, languages):
        self.algorithms = sorted({a for a in (_algorithm(lang) for lang in languages) if a})
        # Per query word: (the word, its English stems, its stems in the languages present); a CJK pair: the pair.
        self.targets = []
        prefixes = set()
        for word in words:
            if _is_cjk(word):
                self.targets.append(word)
                continue
            bare = fold(word)
            english = _stems("porter", word)
            stems = set(_query_stems(word, languages))
            self.targets.append((bare, set(english), stems))
            # A text word can only match if it begins like the word or one of its stems: the cheap first test.
            prefixes.update(form[:3] for form in (bare, *english, *stems) if form)
        self.starts = sorted(" " + prefix for prefix in prefixes)
        self.known = {}  # text word -> the query word it matches (or None), for every text of the page

    def which(self, token: str) -> int | None:
        """The index of the query word `token` (a text word, lower case, accents folded) matches, or None."""
        for i, target in enumerate(self.targets):
            if isinstance(target, str):
                continue
            bare, english, stems = target
            if token == bare or _stems("porter", token)[0] in english:
                return i
            if stems and any(stem in stems for algorithm in self.algorithms for stem in _stems(algorithm, token)):
                return i
        return None

    def hits(self, text: str) -> list[tuple[int, int, int]]:
        """[(start, end, word index)] of the matching words (or CJK pairs) of `text`, in order. Words are found
        with str.find (at C speed) from the first letters of the query words, then each is checked."""
        folded, origin = _folded(text)
        spaced = " " + folded.translate(PUNCTUATION)  # a space before every word; one character more in front
        found = []
        for start in self.starts:
            at = spaced.find(start)
            while at >= 0:
                word = _WORD.match(spaced, at + 1)
                token = word.group() if word else start[1:]  # a query word's folded form may begin otherwise (rare)
                if token not in self.known:
                    self.known[token] = self.which(token)
                if self.known[token] is not None:
                    found.append((at, at + len(token), self.known[token]))
                at = spaced.find(start, at + len(token))
        for index, gram in enumerate(self.targets):
            if isinstance(gram, str):
                at = folded.find(gram)
                while at >= 0:
                    found.append((at, at + len(gram), index))
                    at = folded.find(gram, at + len(gram))
        found.sort()
        if origin is not None:
            found = [(origin[start], origin[end], index) for start, end, index in found]
        return found

    def snippet(self, text: str) -> str:
        """The stretch of `text` with the most different query words, matches marked, "…" where it is cut."""
        text = " ".join((text or "").split())
        hits = self.hits(text)
        first = _best_start(hits) if hits else 0
        # A few words before the first match, or more when the text ends soon after it; starting at a word.
        start = max(0, min(first - _LEAD, len(text) - SNIPPET_CHARS))
        if start > 0:
            space = text.find(" ", start - 1, first)
            start = space + 1 if space >= 0 else first
        end = start + SNIPPET_CHARS
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
            # Never cut a marked word in two.
            end = max([end, *(e for s, e, _ in hits if s < end < e)])
        else:
            end = len(text)
        parts, at = [], start
        for s, e, _ in hits:
            if s >= start and e <= end:
                parts += [text[at:s], HIT_OPEN, text[s:e], HIT_CLOSE]
                at = e
        parts.append(text[at:end])
        return ("…" if start > 0 else "") + "".join(parts) + ("…" if end < len(text) else "")


def _best_start(hits) -> int:
    """Where the first window holding the most different query words starts: the earliest, as a text's
    opening (its summary) says more than the names and places the index adds at its end."""
    best, best_score = hits[0][0], 0
    j = 0
    for i, (start, _, _) in enumerate(hits):
        while j < len(hits) and hits[j][1] <= start + SNIPPET_CHARS - _LEAD:  # what is shown after the context
            j += 1
        score = len({index for _, _, index in hits[i:j]})
        if score > best_score:
            best, best_score = start, score
    return best


def _folded(text: str) -> tuple[str, list[int] | None]:
    """The text lower case with accents folded, and where each of its characters comes from in the text (None:
    from the same place). Most texts fold to the same length at once; where they do not (ligatures, decomposed
    accents, letters whose lower case is longer), each character is folded alone and its place recorded."""
    lowered = text.lower()
    folded = fold(lowered) if not lowered.isascii() else lowered
    if len(folded) == len(text):
        return folded, None
    pieces, origin = [], []
    for i, ch in enumerate(text):
        piece = fold(ch.lower())
        pieces.append(piece)
        origin.extend([i] * len(piece))
    origin.append(len(text))
    return "".join(pieces), origin


def snippets(words, languages, texts: dict) -> dict:
    """{id: snippet} for {id: (title, body)}."""
    marker = Marker(words, languages)
    return {pk: marker.snippet(body) for pk, (_, body) in texts.items()}
