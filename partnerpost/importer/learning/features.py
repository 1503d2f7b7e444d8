"""What the sequence model sees of each line: its words, its shape, its layout and its neighbours."""

from __future__ import annotations

import re

from partnerpost.lib import dateranges

from ..parsing.blocks import BOILERPLATE
from ..parsing.prose import _PROSE_KEYWORDS
from ..parsing.text import fold, strip_markup

_TIME = re.compile(r"(?<![\w:])(?:[01]?\d|2[0-3])(?:[:h.][0-5]\d|\s?[ap]\.?m\.?)(?!\w)", re.I)
_LABEL = re.compile(r"^\W*([A-Za-zÀ-ÿ ]{2,24})\s*:")
_BULLET = re.compile(r"^\s*(?:[-*•▪·]|\d{1,2}[.)])\s+")
_WEEKDAY = re.compile(r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|"
                      r"vendredi|samedi|dimanche|lunes|martes|miercoles|jueves|viernes|sabado|domingo|montag|"
                      r"dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|segunda|terca|quarta|quinta|sexta)\b")
_PLACE_WORDS = re.compile(r"\b(online|virtual|en ligne|en linea|webinar|zoom|room|salle|sala|headquarters|"
                          r"university|universidad|universite|hotel|centre|center|centro|plataforma|via)\b")
_VERB = re.compile(r"\b(is|are|was|were|will|has|have|had|es|son|fue|sera|est|sont|a ete|sera|ist|sind|wird|"
                   r"held|took|took place|organized|organised|released|published)\b")


def _bucket(n: int, edges=(1, 2, 3, 5, 8, 12, 20, 35, 60)) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return "more"


def line_facts(text: str, year: int | None) -> dict:
    """Features of one line read alone (the part that does not depend on the neighbours)."""
    plain = strip_markup(text)[0] if ("[" in text or "*" in text or "<" in text) else text
    folded = fold(plain)
    words = plain.split()
    n = len(words)
    # a long paragraph is body whatever dates it mentions: scanning it for dates would cost most of the
    # time the model takes, so only lines of heading, date-line or title length are scanned
    hits = dateranges.find_dates(plain, default_year=year or 2000) if len(plain) <= 160 else []
    covered = sum(h.span[1] - h.span[0] for h in hits)
    f = {
        "bias": 1.0,
        "n": _bucket(n),
        "chars": _bucket(len(plain), (10, 25, 50, 80, 120, 200, 400)),
        "date": bool(hits),
        "date_start": bool(hits) and hits[0].span[0] <= 3,
        "date_most": bool(hits) and covered >= 0.6 * max(1, len(plain.strip())),
        "date_day": any(h.precision == "day" for h in hits),
        "time": bool(_TIME.search(plain)) or any(h.time for h in hits),
        "time_only": bool(_TIME.fullmatch(plain.strip())) or bool(re.fullmatch(r"\W*(?:[01]?\d|2[0-3])[:h.][0-5]\d"
                                                                           r"(?:\s*[-–]\s*(?:[01]?\d|2[0-3])[:h.][0-5]\d)?\W*", plain)),
        "weekday": bool(_WEEKDAY.match(folded)),
        "bullet": bool(_BULLET.match(text)),
        "numbered": bool(re.match(r"^\s*\d{1,2}[.)]\s", text)),
        "end_stop": plain.rstrip().endswith((".", "!", "?")),
        "end_colon": plain.rstrip().endswith(":"),
        "comma": "," in plain,
        "label": bool(_LABEL.match(plain)),
        "caps": n > 0 and plain.upper() == plain and any(c.isalpha() for c in plain),
        "title_case": n > 0 and sum(1 for w in words if w[:1].isupper()) / n >= 0.5,
        "lower_start": plain[:1].islower(),
        "keyword": bool(_PROSE_KEYWORDS.search(plain)),
        "verb": bool(_VERB.search(folded)),
        "place_word": bool(_PLACE_WORDS.search(folded)),
        "boilerplate": bool(BOILERPLATE.match(plain.strip())),
        "url": bool(re.search(r"https?://|www\.|@\w", plain)),
        "quote": bool(re.search(r"[“”\"«»]", plain)),
        "digits": bool(re.search(r"\d", plain)),
    }
    if f["label"]:
        f["label=" + fold(_LABEL.match(plain).group(1))[:12]] = True
    if words:
        f["w0=" + fold(words[0])[:10]] = True
        f["wl=" + fold(words[-1])[:10]] = True
    return f


def document_features(lines, year: int | None) -> list[dict]:
    """Features of every line of a document, with those of its neighbours (prefixed -1: and +1:).

    `lines` are reading.Line objects (text, blank_before, heading, size, bold)."""
    alone = [line_facts(line.text, year) for line in lines]
    sizes = sorted(line.size for line in lines if line.size)
    body_size = sizes[len(sizes) // 2] if sizes else None
    out = []
    total = len(lines)
    for i, (line, facts) in enumerate(zip(lines, alone)):
        f = dict(facts)
        f["blank_before"] = bool(line.blank_before) or i == 0
        f["blank_after"] = i + 1 >= total or bool(lines[i + 1].blank_before)
        f["alone"] = f["blank_before"] and f["blank_after"]
        f["md_heading"] = str(min(line.heading, 4)) if line.heading else "0"
        if body_size and line.size:
            f["bigger"] = line.size >= body_size * 1.12
        f["bold"] = bool(line.bold)
        f["pos"] = "first" if i < 3 else ("head" if i < total * 0.08 else ("tail" if i > total * 0.92 else "mid"))
        for d, tag in ((-1, "-1:"), (1, "+1:"), (-2, "-2:"), (2, "+2:")):
            j = i + d
            if 0 <= j < total:
                other = alone[j]
                for key in ("date", "date_most", "time_only", "weekday", "n", "end_stop", "label", "keyword",
                            "title_case", "bullet", "caps", "verb"):
                    if abs(d) == 2 and key not in ("date_most", "time_only", "n", "keyword"):
                        continue
                    value = other[key]
                    if value is True or (isinstance(value, str)):
                        f[tag + key + ("=" + value if isinstance(value, str) else "")] = True
                if abs(d) == 1:
                    f[tag + "heading"] = bool(lines[j].heading)
            else:
                f[tag + "edge"] = True
        out.append({k: v for k, v in f.items() if v is not False})
    return out
