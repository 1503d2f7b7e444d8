"""Read an item's fields from its title and text: kind, dates, time, place, organizers, links, fee, deadline,
language. Each field comes with a confidence (0..1) and, where it was read from one spot, its character span
in the document. No Django here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from partnerpost.content import kinds
from partnerpost.lib import dateranges
from partnerpost.lib.langguess import guess_language

from .parsing import PartnerIndex, fold, join_lines, normalise, strip_markup

# --- the item's text with a map back to document offsets -------------------------------------------------


@dataclass
class Passage:
    text: str
    marks: list[tuple[int, int]]  # (offset in text, offset in document), ascending

    @classmethod
    def from_pieces(cls, pieces: list[tuple[str, int]]) -> "Passage":
        text, marks = [], []
        at = 0
        for piece, doc_at in pieces:
            marks.append((at, doc_at))
            text.append(piece)
            at += len(piece)
        return cls("".join(text), marks)

    def to_document(self, offset: int) -> int:
        best = self.marks[0] if self.marks else (0, 0)
        for at, doc_at in self.marks:
            if at > offset:
                break
            best = (at, doc_at)
        return best[1] + (offset - best[0])


# --- kinds ----------------------------------------------------------------------------------------------------

#: The words (any language) that announce each kind, declared by the kinds themselves (content.kinds).
KIND_WORDS = {kind.value: kind.import_words for kind in kinds.all() if kind.import_words}
#: On a tie, the kind named earlier here wins.
_KIND_ORDER = [kind.value for kind in sorted(kinds.all(), key=lambda k: k.import_priority) if kind.import_words]
_KIND_RE = {kind: re.compile(rf"\b({words})\b", re.I) for kind, words in KIND_WORDS.items()}
_HEADLINE_VERB = re.compile(r"\b(promoted|announced|announces|celebrates|celebrated|welcomes|welcomed|signs|signed|"
                            r"joins|joined|elected|appointed|wins|won|opens|opened|marks|marked|becomes|sign|"
                            r"renew|renews|renewed|moves|moved|relocates|"
                            r"is celebrating|has become)\b", re.I)
_HEAD_SPLIT = re.compile(r"\s(on|about|of|for|in|at|to|sobre|de|en|sur|du|des|:)\s|[:\"“«(]", re.I)
_EVENT_VERBS = re.compile(r"\b(held|hosted|took place|will take place|takes place|organi[sz]ed|convened|"
                          r"se (realizó|llevó a cabo|celebró)|a eu lieu|aura lieu|realizou-se)\b", re.I)
_PUB_VERBS = re.compile(r"\b(released|published|issued|launched (its|the|a) [\w ]{0,30}(report|bulletin|issue|"
                        r"publication|journal|survey|guide)|download|publicó|publié|publicou)\b", re.I)


def guess_kind(title: str, body: str) -> tuple[str, float]:
    """The kind from the title's head noun first ("Webinar on ...": event; "Compendium of ...": publication),
    then from the title as a whole, then from what the text says happened."""
    call = _KIND_RE["call"].search(title) or re.search(r"\b(call for \w+|convocatoria|appel)\b", title, re.I)
    if call and _KIND_RE["award"].search(title):
        return "award", 0.8  # a call for nominations to an award programme belongs to the programme
    if call:
        return "call", 0.9
    if _HEADLINE_VERB.search(title):
        return "news", 0.6
    if _KIND_RE["award"].search(title) and re.search(r"\b(ceremony|winners?|laureates?|champions|ceremonia)\b",
                                                   title, re.I):
        return "award", 0.75
    head = _HEAD_SPLIT.split(title, maxsplit=1)[0] if not title.lstrip().startswith(('"', "“")) else ""
    for text, confidence in ((head, 0.85), (title, 0.7)):
        best = None
        for kind in _KIND_ORDER:
            for m in _KIND_RE[kind].finditer(text):
                if best is None or m.start() > best[0]:
                    best = (m.start(), kind)
        if best:
            return best[1], confidence
    start = body[:600]
    if _KIND_RE["call"].search(start):
        return "call", 0.6
    if _EVENT_VERBS.search(start) and dateranges.find_dates(start, default_year=2000):
        return "event", 0.6
    if _PUB_VERBS.search(start):
        return "publication", 0.55
    for kind in ("event", "publication", "award"):
        if len(_KIND_RE[kind].findall(start)) >= 2:
            return kind, 0.45
    return "news", 0.4


# --- dates ------------------------------------------------------------------------------------------------------

_DEADLINE_CUE = re.compile(
    r"(?:(deadline|closes?|closing date|due|no later than|apply|register|submit(ted)?|nominations?|applications?|"
    r"registration|enrol(l)?ment|inscripci[óo]n(es)?|matr[íi]cula|fecha l[íi]mite|plazo|date limite|inscriptions?|"
    r"prazo|inscri[çc][õo]es)\W{0,3}(\w+\W{1,3}){0,4}"
    r"|\b(by|until|before|no later than|hasta( el)?|antes del?|a m[áa]s tardar( el)?|avant le|au plus tard le|"
    r"jusqu'au|até)\s+(the\s+)?)$",
    re.I,
)
_MOVED_CUE = re.compile(r"\b(postponed (to|until)|rescheduled (to|for)|moved to|new dates?:?|now (on|takes place)|"
                        r"aplazad[oa] (al|hasta)|pospuest[oa] (al|para)|report[ée]e? (au|à)|adiad[oa] para)\s*$", re.I)
_DEADLINE_WORD = re.compile(r"\b(deadline|registration|plazo|fecha l[íi]mite|date limite|closes|apply by|"
                            r"inscripci[óo]n|inscriptions?)\b", re.I)
_PUBLISHED_CUE = re.compile(r"(publi\w*|releas\w*|issued|appeared|came out|out|edici[óo]n|parut?)\W+"
                            r"(\w+\W+){0,2}(in|on|en|em|el|le)?\s*$", re.I)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")


_LOOSE_TIME = re.compile(r"(?<![\d:.])(\d{1,2}[:.h]\d{2}|\d{1,2}\s?[ap]\.?\s?m\.?)(?![\d])", re.I)


def loose_time(text: str) -> tuple[str, str | None] | None:
    """A time written apart from its date ("Online, 11:00 (GMT-5)"), read with the date grammar's own
    rules by putting a placeholder date in front of it."""
    m = _LOOSE_TIME.search(text)
    if not m:
        return None
    hits = dateranges.find_dates("1 January 2000, " + text[m.start():m.start() + 60])
    if hits and hits[0].time:
        return hits[0].time.strftime("%H:%M"), hits[0].timezone
    return None


def own_year(title: str) -> int | None:
    years = set(_YEAR.findall(title))
    return int(years.pop()) if len(years) == 1 else None


@dataclass
class DateChoice:
    event: dateranges.DateHit | None = None
    deadline: dateranges.DateHit | None = None
    others: list = field(default_factory=list)


def choose_dates(text: str, period, year_hint: int | None, kind: str = "event") -> DateChoice:
    hits = dateranges.find_dates(text, period=None if year_hint else period, default_year=year_hint)
    if not hits and year_hint is None and period is None:
        return DateChoice()
    choice = DateChoice()
    for hit in hits:
        before = text[max(0, hit.span[0] - 60):hit.span[0]]
        if _DEADLINE_CUE.search(before):
            if choice.deadline is None:
                choice.deadline = hit
            continue
        if re.search(r"\b(from|since|desde|depuis)\s*$", before, re.I) and re.search(
                r"^\s*(until|to|till|hasta|jusqu)", text[hit.span[1]:hit.span[1] + 12], re.I):
            continue  # "from October 2019 until ..." describes a span covered, not the item's date
        # "— ReSPA, July 2017, 140 pp.": a single month right under a publication's title is when it appeared
        imprint = (kind == "publication" and hit.span[0] - text.find("\n") < 80 and hit.precision == "month"
                   and (hit.start.year, hit.start.month) == (hit.end.year, hit.end.month)
                   and not re.match(r"(from|between|desde|entre|du|del)\b", hit.text, re.I))
        if kind != "event" and ((hit.precision != "day" and not _PUBLISHED_CUE.search(before) and not imprint)
                                or re.search(
                r"\b(from|since|between|until|desde|depuis|entre)\s*$", before, re.I)):
            continue  # a publication or news item is dated by the day it appeared, not by what it covers
        choice.others.append(hit)
    moved = [h for h in choice.others if _MOVED_CUE.search(text[max(0, h.span[0] - 40):h.span[0]])]
    if moved:  # "postponed to 9-11 October 2024": the new dates are the event's dates
        choice.others = moved + [h for h in choice.others if h not in moved]
    days = [h for h in choice.others if h.precision == "day"]
    choice.event = days[0] if days else (choice.others[0] if choice.others else None)
    return choice


# --- place ------------------------------------------------------------------------------------------------------

_ONLINE = re.compile(r"\b(online|on-line|virtual(ly)?|webinar|web-based|via zoom|zoom|microsoft teams|webex|"
                     r"livestream(ed)?|en l[íi]nea|virtuel(le)?|en ligne|a distancia|remote|remoto|distance)\b", re.I)
_IN_PLACE = re.compile(r"\b(?:in|en|à|em|at)\s+((?:[A-Z][\w'’.-]+\s?){1,3}),\s*((?:[A-Z][\w'’.-]+\s?){1,4})")
_LABELLED_PLACE = re.compile(r"\b(?:venue|place|location|lugar|sede|lieu|local)\s*:\s*([^\n.;]{3,80})", re.I)


def find_place(title: str, text: str, countries: set[str]) -> tuple[str | None, float]:
    m = _LABELLED_PLACE.search(text)
    if m:
        return normalise(m.group(1)).rstrip(","), 0.8
    for m in _IN_PLACE.finditer(text):
        city, country = m.group(1).strip(), m.group(2).strip().rstrip(".")
        country_words = country.split()
        for n in range(len(country_words), 0, -1):
            candidate = " ".join(country_words[:n])
            if fold(candidate) in countries:
                return f"{city}, {candidate.rstrip('.,;')}", 0.8
    # "Brasilia, 2-4 May — ...": a place before the date of a calendar line
    hits = dateranges.find_dates(title, default_year=2000)
    if hits and hits[0].span[0] > 0:
        lead = title[:hits[0].span[0]].strip(" ,:-–—")
        if lead and len(lead.split()) <= 4 and lead[:1].isupper() and not _ONLINE.search(lead):
            return lead, 0.6
    return None, 0.0


# --- organizers -------------------------------------------------------------------------------------------------

_ROLE_CUES = [
    ("supporter", re.compile(r"\b(with the support of|supported by|sponsored by|funded by|con el apoyo de|"
                             r"avec le soutien de|com o apoio de)\b", re.I)),
    ("co_organizer", re.compile(r"\b(in collaboration with|in cooperation with|in partnership with|together with|"
                                r"jointly with|en colaboraci[óo]n con|en coop[ée]ration avec|em parceria com)\b",
                                re.I)),
    ("organizer", re.compile(r"\b((?:organi[sz]ed|hosted|convened|held)(?: [\w-]+){0,3}? by|prepared by|published by|"
                             r"released by|jointly organi[sz]ed by|organizado por|organis[ée] par|"
                             r"organizado pela?|coordinated by)\b", re.I)),
]


def find_organizers(title: str, text: str, partners: PartnerIndex, section: str | None = None
                    ) -> tuple[list[str], list[str], float]:
    """(organizers, supporters, confidence). Known partners are given by acronym; other bodies by name."""
    found: dict[str, list[str]] = {"organizer": [], "co_organizer": [], "supporter": []}
    confidence = 0.0
    sentences = re.split(r"(?<=[.!?])\s+", text)
    for sentence in sentences:
        for role, cue in _ROLE_CUES:
            for m in cue.finditer(sentence):
                tail = sentence[m.end():]
                stop = [c.start() for _, other in _ROLE_CUES for c in other.finditer(tail)]
                tail = tail[: min(stop)] if stop else tail
                tail = re.split(r"[.;]|\bfor more\b|\bon \d|\bfrom \d|\bin (?=[A-Z][a-z]+,)", tail)[0]
                names = _bodies_in(tail, partners)
                for name in names:
                    if name not in found[role]:
                        found[role].append(name)
                if names:
                    confidence = 0.85
    main = found["organizer"]
    if not main:
        main = _subject_bodies(sentences, partners)
    if not main and section and fold(section) in partners.by_acronym:
        main = [section]
    if not main and found["supporter"]:
        main, found["supporter"] = found["supporter"], []
    if not main and not found["co_organizer"]:
        named = [p for _, p in partners.find(title)]
        if not named and sentences:
            named = [p for pos, p in partners.find(sentences[0]) if pos < 120][:2]
        main = list(dict.fromkeys(named))
        confidence = 0.6 if main else 0.0
    organizers = list(dict.fromkeys(main + found["co_organizer"]))
    confidence = confidence or (0.7 if organizers else 0.0)
    return organizers, found["supporter"], confidence


_DOER_VERB = re.compile(r"\b(held|hosted|organi[sz]ed|convened|launched|released|published|announced|conducted|"
                        r"(will )?(offer|offers|run|runs|host|hosts|organi[sz]es?|present|presents|invites?)|"
                        r"delivered|will (host|hold|organi[sz]e|launch)|has (launched|released|published|opened)|"
                        r"celebr[óa]|organiz[óa]|realiz[óa]|present[óa]|organisera|a (organis[ée]|accueilli)|"
                        r"celebrar[áa]|organizar[áa])\b", re.I)


def _subject_bodies(sentences: list[str], partners: PartnerIndex) -> list[str]:
    """"X and Y held the conference ...": the bodies named before the verb of the first such sentence."""
    for sentence in sentences[:3]:
        m = _DOER_VERB.search(sentence)
        if not m or m.start() > 260:
            continue
        subject = sentence[:m.start()].split("\n")[-1]
        if re.search(r"\b(we|I|nous|nosotros|which|that|who|que|qui)\s*$", subject, re.I):
            continue  # "which we organised": the doer is the writer, named nowhere in the sentence
        if re.search(r"\b(was|were|is|are|been|be|being|fue|fueron|será|a été|ont été|foi)\s+$", subject, re.I):
            continue  # passive: the doer, if named, follows "by"
        subject = re.sub(r"^(at|in|on|during|after|following|with)\s+(the\s+)?\w+\s*,?\s*", "", subject, flags=re.I)
        subject = re.split(r",\s*(?:in|with|through|together|jointly)\b", subject)[0]
        known = [p for _, p in partners.find(subject)]
        names = []
        for part in _split_bodies(partners.abbreviate(subject)):
            part_known = [p for _, p in partners.find(part)]
            if part_known:
                names += part_known
            else:
                names += [n for n in _named_bodies(part) if len(n.split()) >= 2]
        if known or names:
            return list(dict.fromkeys(names or known))
    return []


_NAME_ADJECTIVES = {"economic", "social", "central", "eastern", "western", "northern", "southern", "public",
                    "interior", "science", "research", "planning", "development", "technical", "political",
                    "legal", "financial", "human", "digital", "local", "regional", "national", "international",
                    "training", "education", "culture", "cultural", "justice", "security", "trade", "industry",
                    "labour", "labor", "health", "finance", "budget", "policy", "governance"}
_SPLIT_BODIES = re.compile(r",\s*(?:and\s+|as well as\s+)?(?=(?:the\s+)?[A-Z(\[])|(?<=[\w)\]])\s+(?:and|y|et|e)\s+"
                           r"(?=(?:the\s+|el\s+|la\s+|le\s+|l')?[A-Z])")


def _split_bodies(text: str) -> list[str]:
    """Split "A, B and C" into organizations, but not "Economic and Social Council"."""
    parts, start = [], 0
    for m in _SPLIT_BODIES.finditer(text):
        before = text[start:m.start()].split()
        if m.group(0).strip(" ,") and before and before[-1].lower() in _NAME_ADJECTIVES and "," not in m.group(0):
            continue
        parts.append(text[start:m.start()])
        start = m.end()
    parts.append(text[start:])
    return parts


def _bodies_in(text: str, partners: PartnerIndex) -> list[str]:
    """The organizations a phrase names, known partners by acronym, others as written, in order."""
    names: list[str] = []
    for part in _split_bodies(partners.abbreviate(text)):
        known = [p for _, p in partners.find(part)]
        if known:
            names += known
        else:
            names += [n for n in _named_bodies(part) if len(n.split()) >= 2 or n.isupper()]
    return list(dict.fromkeys(names))


_ORG_WORD = re.compile(
    r"\b(universit\w*|academ\w*|institut\w*|school|escuela|[ée]cole|ministr\w*|minist[eè]re|agenc\w*|"
    r"organi[sz]ation|organizaci[óo]n|association|asociaci[óo]n|network|red|r[ée]seau|cent(re|er|ro)|office|oficina|"
    r"commission|comisi[óo]n|council|consejo|conseil|department|departamento|division|government|gobierno|faculty|"
    r"facultad|foundation|fundaci[óo]n|bank|banco|secretariat|secretar[íi]a|corporation|fund|society|sociedad|"
    r"college|observatory|entity|nations|union|authority|service|agency|forum)\b", re.I)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z][A-Za-z/&-]*$|\([A-Z][A-Za-z/&-]{1,12}\)$")


def _looks_like_body(name: str) -> bool:
    """An organization's name, not a phrase: it has an institution word or is (or ends with) an acronym."""
    words = name.split()
    if not words or not words[0][:1].isupper() or len(words) > 14:
        return False
    return bool(_ORG_WORD.search(name) or _ACRONYM.search(words[-1]) or (len(words) == 1 and _ACRONYM.match(name)))


_NAME_LINKS = {"of", "for", "and", "the", "on", "de", "del", "la", "le", "les", "des", "du", "y", "et", "da", "do",
               "e", "&", "in"}


def _trim_name(text: str) -> str:
    """Cut a name where ordinary words begin: "United Nations under the theme ..." -> "United Nations"."""
    words = text.split()
    kept: list[str] = []
    for word in words:
        if word[:1].islower() and word.lower() not in _NAME_LINKS:
            break
        kept.append(word)
    while kept and kept[-1].lower() in _NAME_LINKS:
        kept.pop()
    return " ".join(kept)


def _named_bodies(text: str) -> list[str]:
    names = []
    for part in _split_bodies(text):
        part = part.strip(" ()[],;:")
        part = re.sub(r"^(the|its|their|el|la|le|les|o|a)\s+", "", part, flags=re.I)
        part = re.sub(r"\s*\((?:[^()]*)\)?$", "", part) if part.count("(") > part.count(")") else part
        part = _trim_name(part).strip(" ,;:")
        if part and len(part) <= 120 and _looks_like_body(part.strip()):
            names.append(part.strip())
    return names[:4]


# --- fee ------------------------------------------------------------------------------------------------------

_CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₩": "KRW", "R$": "BRL"}
_FEE = re.compile(
    r"(?:(?P<code1>USD|EUR|GBP|CHF|JPY|KRW|BRL|MXN|CRC|CAD|AUD)\s?(?P<sign1>)|(?P<sign2>US\$|R\$|[$€£¥₩]))\s?"
    r"(?P<amount>\d{1,3}(?:[,.\s]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"|(?P<amount2>\d{1,3}(?:[,.\s]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s?(?P<code2>USD|EUR|GBP|CHF|euros?|"
    r"d[óo]lares|dollars)\b",
)
_FEE_CUE = re.compile(r"\b(fee|cost|price|tuition|inversi[óo]n|costo|precio|matr[íi]cula|frais|prix|tarif|"
                      r"valor|investimento|registration)\b", re.I)
_FREE = re.compile(r"\b(free of charge|no fee|free registration|sin costo|gratuito|gratuit)\b", re.I)


def find_fee(text: str) -> tuple[Decimal | None, str, tuple[int, int] | None]:
    if _FREE.search(text):
        m = _FREE.search(text)
        return Decimal("0"), "", m.span()
    for m in _FEE.finditer(text):
        if not _FEE_CUE.search(text[max(0, m.start() - 60):m.start() + 1]):
            continue
        amount = m.group("amount") or m.group("amount2")
        code = m.group("code1") or m.group("code2") or _CURRENCY_SIGNS.get(m.group("sign2") or "", "")
        code = {"euro": "EUR", "euros": "EUR", "dolares": "USD", "dólares": "USD", "dollars": "USD"}.get(
            code.lower(), code.upper())
        cleaned = re.sub(r"[,\s](?=\d{3}\b)", "", amount).replace(",", ".")
        try:
            return Decimal(cleaned), code, m.span()
        except InvalidOperation:
            continue
    return None, "", None


# --- all of it ------------------------------------------------------------------------------------------------


def item_title(item) -> tuple[str, list[str]]:
    """The item's title as plain text, and the real links in it."""
    if item.title_text:
        return item.title_text, []
    if item.title_block is None:
        return "", []
    title, links = strip_markup(normalise(item.title_block.raw))
    return re.sub(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+", "", title), links


_ENTRY_SPLIT = re.compile(r"\s*(?:[–—|·]|\s-\s|:)\s*")
_TRAILING_ORG = re.compile(r"\s*\(([^()]{2,80})\)\s*$")


def split_entry(line: str) -> dict:
    """"Brasilia, 2-4 May — Seminar on X (ENAP)" -> place, date text, title and organizer."""
    hits = dateranges.find_dates(line, default_year=2000)
    if not hits:
        lead, _dash, rest = re.split(r"\s([—–])\s", line, maxsplit=1) if re.search(r"\s[—–]\s", line) else (
            "", "", line)
        organizer = None
        trailing = _TRAILING_ORG.search(rest)
        if trailing and (trailing.group(1).isupper() or len(trailing.group(1).split()) <= 6):
            organizer, rest = trailing.group(1).strip(), rest[:trailing.start()]
        lead = re.sub(r"\(.*?\)", "", lead).strip(" ,")
        place = lead if lead and not re.search(r"announced|confirmed|tbc|tba|por confirmar", lead, re.I) else None
        return {"title": rest.strip(), "place": place, "organizer": organizer}
    hit = hits[0]
    after = re.sub(r"^\s*\([^)]{0,30}\)", "", line[hit.span[1]:])  # "Nov 2017 (TBC) · ..."
    if re.match(r"\s*(?:\([^)]{0,30}\)\s*)?[·•]", after):  # "5-9 March · Course on X · Lima, Peru · USD 600 · Deadline 15 Feb · CLAD"
        segments = [s.strip(" *_~") for s in re.split(r"\s*[·•]\s*", after.strip()) if s.strip(" *_~")]
        out = {"title": segments[0] if segments else "", "place": None, "organizer": None}
        for segment in segments[1:]:
            if _ONLINE.fullmatch(segment.split(",")[0].strip()):
                continue
            if out["place"] is None and re.fullmatch(
                    r"[A-ZÀ-Ý][\w .'’-]+,\s*[A-ZÀ-Ý][\w .'’-]+(\s*\([^)]*\))?", segment):
                out["place"] = re.sub(r"\s*\([^)]*\)$", "", segment)
            elif _FEE.search(segment) or _FREE.search(segment) or _DEADLINE_WORD.search(segment) or re.search(
                    r"\d", segment) or segment.isupper() and len(segment) > 6:
                continue
            else:
                out["organizer"] = segment  # the last such segment: organizers close the line
        return out
    place = line[:hit.span[0]].strip(" ,:-–—|·")
    rest = after
    m = re.match(r"\s*(?:[–—|·:]|\s-\s|,)\s*", rest)
    rest = rest[m.end():] if m else rest
    organizer = None
    trailing = _TRAILING_ORG.search(rest)
    if trailing and (trailing.group(1).isupper() or len(trailing.group(1).split()) <= 6):
        organizer, rest = trailing.group(1).strip(), rest[:trailing.start()]
    return {"title": rest.strip(" ,:-–—|·"), "place": place or None, "organizer": organizer}


def passage_for(item) -> tuple[Passage, str, list[str]]:
    """The item's body text (plain) with its document map, the plain title and every real link."""
    title, links = item_title(item)
    links = list(links)
    pieces: list[tuple[str, int]] = []
    if item.title_text:  # an item read from prose: its sentences, placed within the paragraph
        block_pieces = join_lines(item.title_block.lines)
        whole = Passage.from_pieces([(strip_markup(p)[0] + " ", at) for p, at in block_pieces])
        for sentence in getattr(item, "prose", []):
            at = whole.text.find(sentence[:40])
            pieces.append((sentence + " ", whole.to_document(max(at, 0))))
        return Passage.from_pieces(pieces), title, links
    for block in item.body:
        block_pieces = join_lines(block.lines)
        for text, at in block_pieces:
            plain, found = strip_markup(text)
            links += found
            pieces.append((plain + " ", at))
        if pieces:
            pieces[-1] = (pieces[-1][0].rstrip() + "\n", pieces[-1][1])
    return Passage.from_pieces(pieces), title, list(dict.fromkeys(links))


def read_fields(item, *, period, partners: PartnerIndex, countries: set[str], section: str | None = None) -> dict:
    passage, title, links = passage_for(item)
    body = passage.text
    entry = split_entry(title) if item.entry else {}
    if entry.get("title"):
        title_line = title
        title = entry["title"]
        if not item.subtitle:
            item.subtitle = title_line  # date and place stay readable where the dates are looked for
    if item.subtitle:
        body = item.subtitle + "\n" + body
    confidence: dict[str, float] = {}
    spans: dict[str, list[int]] = {}
    kind, confidence["kind"] = guess_kind(title, body)
    year_hint = own_year(title)
    whole = title + "\n" + body
    choice = choose_dates(whole, period, year_hint, kind)
    hit = choice.event
    if hit is None and year_hint is not None and period is not None:
        choice = choose_dates(whole, period, None, kind)
        hit = choice.event

    def doc_span(h):
        offset = len(title) + 1 + (len(item.subtitle) + 1 if item.subtitle else 0)
        if h.span[0] < len(title) + 1 or (item.subtitle and h.span[0] < offset):
            return [item.title_block.start, item.title_block.end] if item.title_block else None
        return [passage.to_document(h.span[0] - offset), passage.to_document(h.span[1] - offset)]

    fields: dict = {"start": None, "end": None, "dates": [], "time": None, "timezone": None, "precision": None}
    if hit is not None:
        fields.update(start=hit.start.isoformat(), end=hit.end.isoformat(),
                      dates=[d.isoformat() for d in hit.days], precision=hit.precision,
                      time=hit.time.strftime("%H:%M") if hit.time else None, timezone=hit.timezone,
                      end_time=hit.end_time.strftime("%H:%M") if hit.end_time else None)
        confidence["dates"] = round(hit.confidence * (0.9 if hit.year_inferred else 1.0), 2)
        spans["dates"] = doc_span(hit)
        if hit.time is None:
            timed = next((h for h in choice.others if h.time and h.start == hit.start), None)
            if timed:
                fields.update(time=timed.time.strftime("%H:%M"), timezone=timed.timezone)
            else:
                loose = loose_time((item.subtitle or "") + " " + body[:300])
                if loose:
                    fields.update(time=loose[0], timezone=loose[1])
    if kind == "call" and hit is not None:
        # a call has no dates of its own: the date it gives is when answers are due
        choice.deadline = choice.deadline or hit
        fields.update(start=None, end=None, dates=[], precision=None, time=None, timezone=None, end_time=None)
        spans.pop("dates", None)
        confidence.pop("dates", None)
    deadline = choice.deadline
    fields["deadline"] = deadline.start.isoformat() if deadline else None
    if deadline:
        confidence["deadline"] = round(deadline.confidence * 0.9, 2)
        spans["deadline"] = doc_span(deadline)
    place, confidence["location"] = find_place(item.subtitle or title, body, countries)
    if entry.get("place") and not _ONLINE.search(entry["place"]):
        place, confidence["location"] = entry["place"], 0.7
    online = bool(_ONLINE.search(title) or _ONLINE.search(body[:800]))
    fields["location"] = place
    fields["online"] = online
    organizers, supporters, confidence["organizers"] = find_organizers(title, body, partners, section)
    if entry.get("organizer"):
        named = _bodies_in(entry["organizer"], partners) or [entry["organizer"]]
        organizers = list(dict.fromkeys(named + organizers))
        confidence["organizers"] = 0.8
    fields["organizers"] = organizers
    fields["supporters"] = supporters
    fee, currency, fee_span = find_fee(body)
    fields["fee"] = str(fee) if fee is not None else None
    fields["currency"] = currency or None
    if fee_span:
        spans["fee"] = [passage.to_document(fee_span[0] - (len(item.subtitle) + 1 if item.subtitle else 0)),
                        passage.to_document(fee_span[1] - (len(item.subtitle) + 1 if item.subtitle else 0))]
        confidence["fee"] = 0.7
    language = guess_language(body) or guess_language(title, minimum=2) or "en"
    fields["language"] = language
    fields["links"] = links
    fields["title"] = title
    fields["kind"] = kind
    fields["body"] = body.strip()
    fields["_confidence"] = confidence
    if item.title_block is not None and not item.title_text:
        spans["title"] = [item.title_block.start, item.title_block.end]
    def locate(value: str | None):
        at = passage.text.find(value) if value else -1
        return [passage.to_document(at), passage.to_document(at + len(value))] if at >= 0 else None

    for name, value in (("location", place), ("organizers", organizers[0] if organizers else None),
                        ("links", links[0] if links else None)):
        found_span = locate(value)
        if found_span:
            spans[name] = found_span
    if item.title_text:  # read from prose: the title is in the first sentence
        spans["title"] = locate(item.title_text) or spans.get("dates")
    fields["_spans"] = spans
    return fields
