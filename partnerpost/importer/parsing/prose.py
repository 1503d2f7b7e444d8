"""Prose: items inside paragraphs ("ICAP will host a workshop on ... in ..."), titled from the sentence."""

from __future__ import annotations

import re

from partnerpost.lib import dateranges

from .blocks import Block, RawItem, join_lines
from .text import strip_markup


_PROSE_KEYWORDS = re.compile(
    r"\b(webinars?|workshops?|courses?|forums?|symposium|conferences?|ceremony|meetings?|seminars?|summer school|"
    r"school|training|round ?tables?|summit|dialogues?|congress|lectures?|programmes?|programs?|awards?|prizes?|"
    r"reports?|compendium|handbook|guide|toolkit|policy briefs?|journal|survey|call for \w+|"
    r"taller|curso|seminario|conferencia|congreso|foro|diplomado|jornadas?|encuentro|premios?|informe|"
    r"atelier|colloque|s[ée]minaire|journ[ée]e d'[ée]changes|journ[ée]e|formation|conf[ée]rence|rencontre|"
    r"diplomas?|diplomado|certificate programme|clinic|bootcamp|hackathon|study tour|study visit|"
    r"memorandum of understanding|cooperation agreement|convenio|accord de coop[ée]ration|board meeting|"
    r"governing board|general assembly|asamblea|assembl[ée]e g[ée]n[ée]rale|studies no\.? ?\d+|yearbook)\b",
    re.I)
_CONNECTORS = {"on", "of", "for", "and", "the", "in", "to", "de", "del", "la", "las", "los", "el", "y", "sobre",
               "en", "sur", "des", "du", "et", "le", "les", "l'", "d'", "&", "a", "e", "da", "do", "das", "dos"}
_PLACE_CONNECTORS = {"in", "at", "à", "em"}
_ARTICLES = {"the", "a", "an", "its", "their", "his", "her", "our", "un", "une", "el", "la", "le", "les", "los", "las",
             "su", "sus", "nuevo", "nueva", "new", "o", "um", "uma", "this", "that", "next", "first", "second",
             "third"}
_PROSE_VERB = re.compile(r"\b(will (host|hold|organi[sz]e|launch|run|offer)|hosted|held|organi[sz]ed|launched|"
                         r"released|published|opened|delivered|ran|presented|announced|invites|"
                         r"celebrar[áa]|organizar[áa]|present[óo]|organisera|a accueilli|accueillera|lancera)\b", re.I)
_CALL_CUE = re.compile(r"\b(nominations?|applications?|invites|call for|submissions?|convocatoria|candidatures)\b",
                       re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý¿¡\"“])")
_QUOTED = re.compile(r"[\"“]([^\"”]{12,200})[\"”]")
_TOKEN = re.compile(r"[\w'’.-]+|[^\w\s]", re.U)


def prose_items(block: Block, section, explicit, strict: bool = False) -> list[RawItem]:
    """Items mentioned inside running text: one per sentence that names an activity or publication
    and gives a date (or quotes a title); sentences after it, up to the next such one, are its text."""
    pieces = join_lines(block.lines)
    text = "".join(piece for piece, _ in pieces)
    plain, _ = strip_markup(text)
    items: list[RawItem] = []
    for sentence in _SENTENCE.split(plain):
        title = prose_title(sentence)
        dated = bool(dateranges.find_dates(sentence, default_year=2000))
        if title and (dated or (not strict and (_QUOTED.search(sentence) or _CALL_CUE.search(sentence)))):
            item = RawItem(block, [], section, explicit, title_text=title)
            item.prose = [sentence]
            items.append(item)
        elif items:
            items[-1].prose.append(sentence)
    return items


def prose_title(sentence: str) -> str:
    quoted = _QUOTED.search(sentence)
    if quoted and len(quoted.group(1).split()) >= 3:
        return quoted.group(1).strip()
    matches = list(_PROSE_KEYWORDS.finditer(sentence))
    if not matches:
        return ""
    verb = _PROSE_VERB.search(sentence)
    after = [k for k in matches if verb and k.start() >= verb.end()]
    m = after[0] if after else matches[0]
    tokens = [(t.group(), t.start(), t.end()) for t in _TOKEN.finditer(sentence)]
    index = next((k for k, tok in enumerate(tokens) if tok[2] > m.start()), None)
    if index is None:
        return ""
    keyword = tokens[index][0]
    if keyword[:1].isupper():
        left = index
        while left > 0:
            word = tokens[left - 1][0]
            if word[:1].isupper() or word.isdigit() or re.fullmatch(r"\d+(st|nd|rd|th)", word):
                if word.lower() in _ARTICLES and left - 1 == 0:
                    break
                left -= 1
            elif word.lower() in _CONNECTORS and left > 1 and tokens[left - 2][0][:1].isupper():
                left -= 1
            else:
                break
        while left < index and tokens[left][0].lower() in _ARTICLES | _CONNECTORS:
            left += 1
        right = index + 1
        while right < len(tokens):
            word = tokens[right][0]
            if word[:1].isupper() or word.isdigit() or word in (":", "-", "–"):
                right += 1
            elif word.lower() in _CONNECTORS and right + 1 < len(tokens) and (
                    tokens[right + 1][0][:1].isupper() or tokens[right + 1][0].lower() in _CONNECTORS):
                if word.lower() in _PLACE_CONNECTORS and _place_follows(tokens, right + 1):
                    break
                right += 1
            else:
                break
        while right > index + 1 and tokens[right - 1][0].lower() in _CONNECTORS | {":", "-", "–"}:
            right -= 1
        title = sentence[tokens[left][1]:tokens[right - 1][2]]
    else:
        tail = sentence[m.start():]
        hits = dateranges.find_dates(tail, default_year=2000)
        cut = min([hits[0].span[0]] if hits else [] + [len(tail)])
        stop = re.search(r"[,;.(]|\s(destin[ée]s?|que|qui|which|who|for (the )?(senior|officials|staff))\b", tail)
        if stop:
            cut = min(cut, stop.start())
        title = tail[:cut].strip()
        words = title.split()
        title = " ".join(words[:16])
        title = title[:1].upper() + title[1:]
    return title.strip(" ,;:-–")


def _place_follows(tokens, k) -> bool:
    """Whether tokens[k:] read as a place closing the phrase: "in Nairobi from ...", "in Kampala, ..."."""
    j = k
    while j < len(tokens) and tokens[j][0][:1].isupper():
        j += 1
    if j == k:
        return False
    following = tokens[j][0].lower() if j < len(tokens) else "."
    return following in {",", ".", ";", "from", "on", "between", "during", "this", "next", "in", "at", "(", "del",
                         "du", "el", "le", "de"} or following.isdigit()
