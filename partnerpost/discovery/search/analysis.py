"""Text analysis for the index and for queries: accents folded, words stemmed, query terms.

What matches
- Every word of the query must match, in any order, in the title or the text of an item.
- Accents never matter. English stemming always applies, and so does the stemming of the
  item's own language when Snowball has one (Spanish, French, Portuguese, Russian, German...):
  each query word is also tried in the stemmed form of every language present in the index,
  so "capacitación" finds "capacitados" in a Spanish item.
- Chinese, Japanese and Korean are written without spaces between words, so neither FTS5's
  unicode61 tokenizer nor PostgreSQL's parser can split them: the stems of an item in one of
  these languages are the overlapping pairs of characters (bigrams) of its text, and a query's
  run of such characters is cut the same way, every pair required. "数字政府" finds
  "推进数字政府建设" without a dictionary.
"""

from __future__ import annotations

import functools
import re
import threading

import snowballstemmer

from partnerpost.lib.text import fold

#: Query words beyond this many are ignored.
MAX_WORDS = 12

#: Content language (its base code) -> Snowball algorithm. English is left to porter / 'english'.
SNOWBALL = {
    code: name for code, name in {
        "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
        "nl": "dutch", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french", "de": "german",
        "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
        "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "nn": "norwegian", "no": "norwegian",
        "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
        "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
    }.items() if name in snowballstemmer.algorithms()
}

_WORD = re.compile(r"\w+", re.UNICODE)
#: Punctuation and white space, each turned into one space (the same length): splits a text into its words.
PUNCTUATION = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»“”‘’…–—·¿¡،؛؟\n\t\r"})
#: Han, kana and hangul: scripts written without spaces between words.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_CJK_LANGUAGES = {"zh", "ja", "ko"}


def cjk_grams(text: str) -> list[str]:
    """The overlapping character pairs of each run of CJK characters (a lone character stays)."""
    grams = []
    for run in _CJK.findall(text):
        grams.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
    return grams


def _is_cjk(word: str) -> bool:
    return bool(_CJK.fullmatch(word))


_local = threading.local()  # Snowball stemmers keep state while they work: one per thread


def _stemmer(algorithm: str):
    stemmers = _local.__dict__.setdefault("stemmers", {})
    if algorithm not in stemmers:
        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm]


@functools.lru_cache(maxsize=300_000)
def _stems(algorithm: str, word: str) -> tuple[str, ...]:
    """The stems of a lower-case word, accents folded: of the word as written and of the word
    without its accents (which a reader may type), when these differ."""
    stem = _stemmer(algorithm).stemWord
    first = fold(stem(word))
    bare = fold(word)
    if bare == word:
        return (first,)
    second = fold(stem(bare))
    return (first,) if second == first else (first, second)


def _algorithm(language: str) -> str | None:
    return SNOWBALL.get((language or "").split("-")[0].lower())


def stemmed(text: str, language: str) -> str:
    """The text as stems of its language, for the index ('' when porter is enough or there is no stemmer)."""
    if (language or "").split("-")[0].lower() in _CJK_LANGUAGES:
        return " ".join(cjk_grams(text))
    algorithm = _algorithm(language)
    if not algorithm:
        return ""
    return " ".join(s for word in _WORD.findall(text.lower()) if not word.isdigit() for s in _stems(algorithm, word))


def terms(query: str) -> list[str]:
    """The words of a query, lower case, each once; a run of CJK characters becomes its character pairs."""
    words = []
    for word in _WORD.findall(query.lower()):
        if _CJK.search(word):
            words.extend(cjk_grams(word))
            words.extend(_CJK.sub(" ", word).split())
        else:
            words.append(word)
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _query_stems(word: str, languages) -> list[str]:
    if _is_cjk(word):
        return [word] if any((lang or "").split("-")[0].lower() in _CJK_LANGUAGES for lang in languages) else []
    found = set()
    for language in languages:
        algorithm = _algorithm(language)
        if algorithm and not word.isdigit():
            found.update(_stems(algorithm, word))
    return sorted(found)
