"""Guess the language of a passage from its most common short words.

Enough to tell apart the languages partner institutions write newsletters in (English, Spanish, French,
Portuguese); returns None when a passage is too short or too mixed to say.
"""

from __future__ import annotations

import re

_WORDS = {
    "en": "the of and to in for on with is was were are by this that from at as be an will has have which its "
          "their it or into about more information held",
    "es": "el la los las de del y en por para con una un que se es fue su sus al como más sobre entre este esta "
          "información desde hasta también",
    "fr": "le la les de des du et en pour avec une un que qui est sur au aux par ce cette dans ses leur plus "
          "été sont",
    "pt": "o a os as de do da dos das e em para com uma um que se é foi sua seu ao pelo pela mais sobre entre "
          "não também",
}
_SETS = {lang: set(words.split()) for lang, words in _WORDS.items()}
_TOKEN = re.compile(r"[a-zà-ÿ]+")
_MARKS = {
    "es": re.compile(r"ñ|ci[óo]n(es)?$|[áíóú]|^(del|los|las|y)$"),
    "fr": re.compile(r"[èêëçœ]|^(aux|est|une)$|eaux?$"),
    "pt": re.compile(r"ção|ções|[ãõ]|^(não|são|pelo|pela)$"),
}


def guess_language(text: str, *, minimum: int = 6) -> str | None:
    tokens = _TOKEN.findall(text.lower())
    if not tokens:
        return None
    scores = {lang: sum(1 for t in tokens if t in words) for lang, words in _SETS.items()}
    for token in tokens:  # spellings only one language uses
        for lang, pattern in _MARKS.items():
            if pattern.search(token):
                scores[lang] += 1
    best = max(scores, key=scores.get)
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < minimum or ranked[0] < 1.3 * ranked[1]:
        return None if ranked[0] < minimum else best
    return best
