"""From lines of a newsletter to items: clean, find the period, split into partner sections and items,
and read each item's fields with where they came from and how sure we are.

No Django here. Known partners arrive as plain dicts ({"acronym": ..., "name": ...}).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from partnerpost.lib import dateranges
from partnerpost.lib.langguess import guess_language

from .reading import Document, Line, unescape_markdown

# --- small text helpers -----------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents, punctuation squeezed to spaces: for comparing, never for showing."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


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


# --- partners ----------------------------------------------------------------------------------------------


@dataclass
class PartnerIndex:
    partners: list[dict]
    by_acronym: dict[str, str] = field(default_factory=dict)
    names: list[tuple[str, str]] = field(default_factory=list)  # (folded name, acronym)
    pattern: re.Pattern | None = None

    @classmethod
    def build(cls, partners: list[dict] | None) -> "PartnerIndex":
        index = cls(partners=list(partners or []))
        alternatives = []
        for p in index.partners:
            acronym = p["acronym"]
            index.by_acronym[fold(acronym)] = acronym
            alternatives.append(re.escape(acronym))
            if " " in acronym:  # "UN DESA" is also written "UNDESA"
                alternatives.append(re.escape(acronym.replace(" ", "")))
                index.by_acronym[fold(acronym.replace(" ", ""))] = acronym
            for name in [p.get("name", "")] + list(p.get("aliases", [])):
                if name:
                    index.names.append((fold(name), acronym))
        if alternatives:
            alternatives.sort(key=len, reverse=True)
            index.pattern = re.compile(r"(?<!\w)(" + "|".join(alternatives) + r")(?!\w)")
        return index

    def find(self, text: str) -> list[tuple[int, str]]:
        """(position, acronym) of every partner named in text, by acronym (exact case) or full name."""
        found: list[tuple[int, str]] = []
        if self.pattern:
            found += [(m.start(), m.group(1)) for m in self.pattern.finditer(text)]
        folded = fold(text)
        for name, acronym in self.names:
            if len(name) > 6:
                at = folded.find(name)
                if at >= 0:
                    # a position in the folded text is close enough for ordering
                    found.append((at, acronym))
        canonical = []
        for pos, acr in sorted(found):
            canonical.append((pos, self.by_acronym.get(fold(acr), acr)))
        return canonical

    def abbreviate(self, text: str) -> str:
        """Replace each known partner's full name with its acronym ("The Network of Institutes and Schools ...
        (NISPAcee)" -> "NISPAcee"), so that splitting a list of organizers keeps names whole."""
        if not hasattr(self, "_name_patterns"):
            self._name_patterns = []
            for p in self.partners:
                for name in [p.get("name", "")] + list(p.get("aliases", [])):
                    words = re.findall(r"\w+", name)
                    if len(words) >= 2:
                        body = r"\W+".join(re.escape(w) for w in words)
                        self._name_patterns.append((re.compile(
                            rf"(?:\bthe\s+)?\b{body}\b(?:\s*\(\s*{re.escape(p['acronym'])}\s*\))?", re.I),
                            p["acronym"]))
        for pattern, acronym in self._name_patterns:
            text = pattern.sub(acronym, text)
        return text

    def match_heading(self, text: str) -> str | None:
        """The partner a section heading names ("ICAP Events", "News from EROPA"), if it names nothing else."""
        rest = _heading_words(text)
        if not rest:
            return None
        if rest in self.by_acronym:
            return self.by_acronym[rest]
        for name, acronym in self.names:
            name, short = _heading_words(name), _heading_words(acronym)
            if rest in (name, f"{name} {short}", f"{short} {name}"):
                return acronym
        return None


def _heading_words(text: str) -> str:
    """A heading's words without the generic ones ("News from", "Events", "and"), for comparing names."""
    rest = re.sub(r"\b(events?|news|noticias|eventos|actualites|nouvelles|publications?|publicaciones|"
                  r"activities|actividades|updates?|corner|section|highlights|from|the|de|del|la|les|des|"
                  r"and|y|et|partner|partners|socio|member|of|in|for)\b", " ", fold(text))
    return " ".join(rest.split())


# --- blocks ------------------------------------------------------------------------------------------------


@dataclass
class Block:
    lines: list[Line]
    heading: int = 0  # Markdown level; 0 if not a Markdown heading
    emphasis: float = 0.0  # PDF: how much bigger or bolder than body text (0 = body)

    @property
    def raw(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end


BOILERPLATE = re.compile(
    r"^(disclaimer\b|descargo|avertissement|aviso legal|copyright|©|\(c\) \d{4}|all rights reserved|"
    r"to contact\b|contact us\b|follow\b|to (un)?subscribe\b|(un)?subscribe\b|you are receiving|"
    r"if you (no longer )?wish|this (newsletter|bulletin) is (published|produced|prepared)|"
    r"page \d+( of \d+)?$|\d+\s*/\s*\d+$|\d+$|\**(jump to|skip to|go to|back to top|saltar al?|ir a|volver|"
    r"aller au|retour|posted|publicado el|publi[ée] le|share this|compartir|partager|tags?:|categor)\b)",
    re.I,
)
TOC_HEADING = re.compile(r"^(table of contents|contents|in this issue|inside this issue|índice|sumario|sommaire|"
                         r"dans ce num[ée]ro|en este n[úu]mero)\W*$", re.I)


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", fold(text))


def remove_boilerplate(doc: Document) -> tuple[list[Line], list[Line]]:
    """Drop running headers and footers, repeated notices and page numbers.

    Returns (kept, removed). In text converted from a PDF, a notice that repeats is where a page ended,
    so each one removed starts a new page for provenance."""
    lines = doc.lines
    removed: set[int] = set()
    shapes = [_shape(line.text) for line in lines]
    counts = Counter(shapes)
    if doc.format == "pdf" and doc.pages > 1:
        pages_of: dict[str, set[int]] = {}
        for line, shape in zip(lines, shapes):
            if line.top is not None and (line.top < 0.1 or line.top > 0.9):
                pages_of.setdefault(shape, set()).add(line.page)
        need = max(2, doc.pages // 2)
        running = {shape for shape, pages in pages_of.items() if len(pages) >= need}
        for i, (line, shape) in enumerate(zip(lines, shapes)):
            if shape in running and line.top is not None and (line.top < 0.1 or line.top > 0.9):
                removed.add(i)
    for i, (line, shape) in enumerate(zip(lines, shapes)):
        text = normalise(line.text)
        if (BOILERPLATE.match(text) and len(text) < 400) or not re.search(r"\w", text):
            removed.add(i)  # notices, page numbers, and rules such as "---" or "==="
        elif counts[shape] >= 3 and len(shape) >= 25 and not line.heading:
            removed.add(i)  # the same long sentence on three or more pages is a notice, not news
    kept = []
    page_shift = 0
    for i, line in enumerate(lines):
        if i - 1 in removed:
            line.blank_before = True
        if i in removed:
            if doc.format != "pdf" and counts[shapes[i]] >= 2 and len(shapes[i]) >= 25:
                page_shift += 1
            continue
        if doc.format != "pdf":
            line.page += page_shift
        kept.append(line)
    return kept, [lines[i] for i in sorted(removed)]


def make_blocks(doc: Document, lines: list[Line]) -> list[Block]:
    body_size = None
    if doc.format == "pdf":
        sizes = Counter(round(line.size or 0) for line in lines for _ in range(max(1, len(line.text) // 20)))
        body_size = sizes.most_common(1)[0][0] if sizes else None
    blocks: list[Block] = []
    current: list[Line] = []

    def style(line: Line) -> tuple:
        if doc.format != "pdf":
            return (line.heading,)
        big = body_size and line.size and line.size >= body_size * 1.12
        return (bool(big), line.bold and len(line.text) < 160)

    for line in lines:
        starts_new = (
            not current
            or line.blank_before
            or line.heading
            or current[-1].heading
            or style(line) != style(current[-1])
            or (doc.format != "pdf" and _LIST_ITEM.match(line.text) and not _LIST_ITEM.match(current[-1].text))
            or (doc.format != "pdf" and len(current) == 1 and not _FACT_LINE.match(current[-1].text)
                and (_FACT_LINE.match(line.text) or _short_dated(line.text))
                and not dateranges.find_dates(current[-1].text, default_year=2000))
        )
        if starts_new and current:
            blocks.append(_finish_block(current, body_size))
            current = []
        current.append(line)
    if current:
        blocks.append(_finish_block(current, body_size))
    return _join_broken_blocks(blocks)


_FACT_LINE = re.compile(r"^\W*(when|where|date|dates|time|venue|place|location|fecha|fechas|lugar|hora|sede|lieu|"
                        r"quand|o[uù]|deadline|fee|cost|cu[aá]ndo|d[oó]nde|dates?\s+et\s+lieu)\s*:", re.I)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•▪·]|\d{1,2}[.)])\s+")


def _short_dated(text: str) -> bool:
    """A short line that carries a date: "New York, 14-15 April 2015", "Deadline for abstracts: 30 April 2015"."""
    return len(text.split()) <= 9 and bool(dateranges.find_dates(text, default_year=2000))


def _finish_block(lines: list[Line], body_size: float | None) -> Block:
    block = Block(lines=list(lines), heading=lines[0].heading)
    if body_size and lines[0].size:
        ratio = lines[0].size / body_size
        block.emphasis = max(0.0, ratio - 1.0) + (0.15 if all(line.bold for line in lines) else 0.0)
    return block


def _join_broken_blocks(blocks: list[Block]) -> list[Block]:
    """Glue a paragraph cut by a page break back together: "Govern-" + "ment", "build a" + "more resilient"."""
    out: list[Block] = []
    for block in blocks:
        if out and not block.heading and not out[-1].heading and out[-1].emphasis < 0.1 and block.emphasis < 0.1:
            prev_text = out[-1].lines[-1].text
            first = block.lines[0].text
            if (re.search(r"[A-Za-zÀ-ÿ]-$", prev_text) and first[:1].islower()) or (
                first[:1].islower() and not re.search(r"[.!?:;)\]\"”]$", prev_text) and len(out[-1].raw) > 60
            ):
                out[-1].lines.extend(block.lines)
                continue
        out.append(block)
    return out


def join_lines(lines: list[Line]) -> list[tuple[str, int]]:
    """The block's text as (piece, document offset) pairs, with line-end hyphenation undone."""
    pieces: list[tuple[str, int]] = []
    for line in lines:
        text = line.text
        if pieces:
            prev, at = pieces[-1]
            if re.search(r"[A-Za-zÀ-ÿ]-$", prev) and text[:1].islower():
                pieces[-1] = (prev[:-1], at)
                pieces.append((text, line.start))
                continue
            pieces[-1] = (prev + " ", at)
        pieces.append((text, line.start))
    return pieces


# --- headings and items -----------------------------------------------------------------------------------

_NOT_TITLE_END = re.compile(r"([.;,:!?]|\band|\bor|\by|\bet|\bo)$", re.I)
_NOT_TITLE_START = re.compile(r"(for (more|further) (information|details)|more information|read more|click|"
                              r"download|register\b|see (also|more)|access the|view (this|the|online)|"
                              r"m[áa]s informaci[óo]n|plus d'information|pour en savoir)", re.I)
_WHOLE_LINK = re.compile(r"^\[(.+)\]\([^)]*\)\s*$")
_MASTHEAD = re.compile(r"newsletter|bulletin|bolet[ií]n|lettre|boletim|gazette|digest|update|no\.\s*\d+|"
                       r"vol(ume)?\.?\s*\d+|issue\s*\d+|n\.?\s*[º°o]\s*\d+|compiled by|prepared by|edited by|"
                       r"version of|calendar \d{4}|calendario \d{4}", re.I)


def _is_dateline(text: str) -> bool:
    """"Tangier, 29 June 2012" or "20-22 September 2016 · Incheon": a date with a place, no title."""
    plain = strip_markup(text)[0]
    if _is_date_heading(plain) or _is_period_only(plain):
        return False
    hits = dateranges.find_dates(plain, default_year=2000)
    if not hits:
        return False
    rest = plain[:hits[0].span[0]] + " " + plain[hits[0].span[1]:]
    words = re.findall(r"[^\W\d_]{2,}", rest)
    return len(words) <= 4 and not _PROSE_KEYWORDS.search(rest)


def heading_score(block: Block, doc_format: str) -> float:
    """How much a block looks like a title (0 = body text)."""
    text = normalise(block.raw)
    if not text or len(text) > 260 or len(block.lines) > 3:
        return 0.0
    if block.heading:
        return 1.0
    if _is_dateline(text):
        return 0.0
    if doc_format == "pdf":
        if block.emphasis >= 0.1:
            return 0.9
        return 0.0
    if len(block.lines) > 1:
        return 0.0
    if _WHOLE_LINK.match(text):
        return 0.9
    plain, _ = strip_markup(text)
    plain = _LIST_ITEM.sub("", plain) if re.match(r"^\d{1,2}[.)]\s", plain) else plain
    if plain.startswith(("-", "*", "•")) or _NOT_TITLE_START.match(plain):
        return 0.0
    if _NOT_TITLE_END.search(plain.rstrip("\"'”’)")) and not plain.endswith(('."', '.”')):
        return 0.0
    words = plain.split()
    if len(words) > 32 or len(words) < 1:
        return 0.0
    first = plain.lstrip("\"'“‘([¿¡")[:1]
    if not (first.isupper() or first.isdigit()):
        return 0.0
    return 0.7


@dataclass
class RawItem:
    title_block: Block | None
    body: list[Block]
    section: str | None
    section_explicit: bool
    subtitle: str = ""
    entry: bool = False  # a calendar line: "Place, date — Title (ORGANIZER)"
    title_text: str = ""  # a title read from prose, when the item has no heading of its own


_GENERIC_SECTION = re.compile(
    r"^(\d{1,2}[.)]\s*)?((upcoming|past|forthcoming|recent|other|partner|network|member|regional|latest)\s+)?"
    r"(events?|news|publications?|resources|calls?( for (papers|proposals|nominations))?|calls and awards|awards?|"
    r"announcements|opportunities|training|courses|webinars|highlights|activities|updates|in brief|"
    r"activities of member \w+|noticias|eventos|publicaciones|convocatorias|actualit[ée]s|nouvelles|"
    r"[ée]v[ée]nements|publications r[ée]centes|around the region|from the region|agenda|calendar|calendario|"
    r"calendar of (events|activities)|events calendar|calendario de (eventos|actividades)|news in brief|"
    r"short news|noticias breves|en bref|br[èe]ves|new publications|nuevas publicaciones|nouvelles publications)"
    r"(\s+(and|&|y|et)\s+\w+)?$", re.I)
_SKIPPED_SECTION = re.compile(
    r"^(\d{1,2}[.)]\s*)?(editorial|overview|introduction|foreword|preface|welcome|from the (editor|secretariat)|"
    r"a word from|message from|about\b|contacts?\b|how to\b|subscri|unsubscri|get in touch|follow us|"
    r"presentaci[óo]n|acerca de|[àa] propos|sobre (el|este|a)\b|contacto|contactez)", re.I)


_NAMED_SECTION = re.compile(r"^([A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3}) (?i:events|news|publications|activities|"
                            r"updates|corner|noticias|eventos|publicaciones|actividades|actualit[ée]s|[ée]v[ée]nements)$")


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) / len(letters) > 0.85


def segment(blocks: list[Block], doc_format: str, partners: PartnerIndex, period_text: str | None):
    """Split blocks into items and sections. Returns (items, masthead_title)."""
    scores = [heading_score(b, doc_format) for b in blocks]
    top_emphasis = max((b.emphasis for b in blocks[:8]), default=0.0)
    items: list[RawItem] = []
    section, explicit = None, False
    masthead = None
    mode = "start"  # start, item, prose (body under a section heading), skip (boilerplate section)

    def take_item(start: int, heading_blocks: int, subtitle: str = "") -> int:
        """An item headed at blocks[start] (with a subtitle block when heading_blocks is 2), its body the
        body blocks that follow; returns the index after it."""
        item = RawItem(blocks[start], [], section, explicit, subtitle=subtitle)
        items.append(item)
        k = start + heading_blocks
        while k < len(blocks) and not scores[k]:
            item.body.append(blocks[k])
            k += 1
        return k

    i = 0
    while i < len(blocks):
        block, score = blocks[i], scores[i]
        text, _ = strip_markup(normalise(block.raw))
        text = re.sub(r"^\s*(?:\d{1,2}[.)])\s+(?=\S)", "", text) if score else text
        if score:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            nxt_score = scores[i + 1] if nxt is not None else 0.0
            nxt_text = strip_markup(normalise(nxt.raw))[0] if nxt is not None else ""
            named = partners.match_heading(text)
            if TOC_HEADING.match(text) or re.match(r"^(in this (edition|issue)|inside)\b", text, re.I):
                mode = "skip"
                i += 1
                continue
            if named:
                section, explicit, mode = named, True, "prose"
                i += 1
                continue
            if _ISSUE_LINE.search(text) and len(text) < 120:
                masthead = masthead or text  # "Boletín N.º 58 · Network Newsletter No. 58", wherever it sits
                i += 1
                continue
            if not items and (
                _MASTHEAD.search(text) or (period_text and fold(period_text) in fold(text))
                or (i == 0 and nxt is not None and (nxt_score or _MASTHEAD.search(nxt.raw)))
                or (doc_format == "pdf" and block.emphasis >= top_emphasis > 0 and block.page == 1)
                or (block.heading == 1 and mode == "start")
            ):
                masthead = masthead or text
                i += 1
                continue
            if _is_date_heading(text) or _is_period_only(text):
                i += 1
                continue
            if _SKIPPED_SECTION.match(text):
                mode = "skip"
                i += 1
                continue
            named_events = _NAMED_SECTION.match(text)
            if named_events and not _GENERIC_SECTION.match(text):
                section, explicit, mode = named_events.group(1), True, "prose"  # "ICAP Events", unknown partner
                i += 1
                continue
            if _GENERIC_SECTION.match(text) or (_is_caps(text) and len(text.split()) <= 8
                                                and not _PROSE_KEYWORDS.search(text) and ":" not in text):
                mode = "prose"
                section, explicit = None, True  # "New publications" gathers every partner's
                i += 1
                continue
            if _entry_like(text):
                entry = RawItem(block, [], section, explicit, entry=True)
                items.append(entry)
                i += 1
                while i < len(blocks) and not scores[i] and not _split_entries(blocks[i]):
                    entry.body.append(blocks[i])
                    i += 1
                mode = "item"
                continue
            if nxt_score and nxt.heading and not block.heading and len(text.split()) <= 3:
                i += 1  # a category label ("Formación") printed above a heading
                continue
            if nxt_score and i + 2 < len(blocks) and not scores[i + 2] and dateranges.find_dates(
                    nxt_text, default_year=2000) and not _entry_like(nxt_text):
                # a title, then a line of facts ("8-19 August 2016 · Kuala Lumpur"), then the body
                i, mode = take_item(i, 2, subtitle=nxt_text), "item"
                continue
            if nxt_score:
                bigger = (block.heading and (nxt.heading == 0 or block.heading < nxt.heading)) or (
                    doc_format == "pdf" and block.emphasis > nxt.emphasis + 0.1)
                if bigger and len(text.split()) <= 6 and not partners.match_heading(nxt_text):
                    mode = "prose"  # a group heading such as "Highlights": items follow
                    i += 1
                    continue
                if (i + 2 < len(blocks) and not scores[i + 2] and not partners.match_heading(nxt_text)
                        and not _SKIPPED_SECTION.match(nxt_text) and not _GENERIC_SECTION.match(nxt_text)
                        and not TOC_HEADING.match(nxt_text)):
                    # a title, a one-line subtitle (often the date and place), then the body
                    i, mode = take_item(i, 2, subtitle=nxt_text), "item"
                    continue
            i, mode = take_item(i, 1), "item"
            continue
        # body text outside any item
        if mode == "skip":
            i += 1
            continue
        entries = _split_entries(block)
        if entries:
            for entry_block, rest in entries:
                items.append(RawItem(entry_block, rest, section, explicit, entry=True))
            mode = "item"
        elif mode == "start" and not items and _MASTHEAD.search(block.raw):
            pass  # the masthead's second line: number, period, strapline
        elif mode == "prose" and _dashed_item(block):
            title, rest = _dashed_item(block)
            item = RawItem(block, [], section, explicit, title_text=title)
            item.prose = [rest]
            items.append(item)
        elif mode in ("prose", "start"):
            items.extend(prose_items(block, section, explicit, strict=(mode == "start")))
        i += 1
    return items, masthead


_DASHED = re.compile(r"^\s*(?:[-*•▪·]|\d{1,2}[.)])\s+(.{6,220}?)\s+(?:—|–|--)\s+(.+)$", re.S)


def _dashed_item(block: Block) -> tuple[str, str] | None:
    """A list entry "- Title — Publisher, June 2017. What it is." as (title, the rest)."""
    plain = strip_markup(" ".join(line.text for line in block.lines))[0]
    m = _DASHED.match(plain)
    if not m:
        return None
    title = m.group(1).strip(" *_")
    if not title[:1].isupper() or len(title.split()) < 2 or title.endswith("."):
        return None
    return title, m.group(2).strip()


def _is_period_only(text: str) -> bool:
    period = dateranges.find_period(text)
    return bool(period) and len(fold(text)) - len(fold(period.label)) <= 3


# --- prose: items inside paragraphs ------------------------------------------------------------------------

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


_MONTHS = (r"(january|february|march|april|may|june|july|august|september|october|november|december|"
           r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
           r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)")
_ISSUE_LINE = re.compile(r"(newsletter|bulletin|bolet[ií]n|lettre|boletim|digest)\b.{0,40}?"
                         r"(no\.?|n\.?\s*[º°o]|issue|vol\.?|n[úu]mero|num[ée]ro)\s*\d+", re.I)
_DATE_HEADING = re.compile(rf"^{_MONTHS}(\s+\d{{4}})?$|^q[1-4]\s+\d{{4}}$|^\d{{4}}$", re.I)


def _is_date_heading(text: str) -> bool:
    return bool(_DATE_HEADING.match(fold(text)))


_ENTRY = re.compile(r"\s[–—-]\s|:\s|\|")


_UNDATED_ENTRY = re.compile(r"^[^—–|]{2,60}\s[—–]\s+(.{8,})$")


def _entry_like(text: str) -> bool:
    """A one-line calendar entry: a date near the start and a title after a dash or colon; or, with the
    date still unknown, "Venue to be announced — Global Dialogue on ...": a short lead, a dash, an activity."""
    hits = dateranges.find_dates(text, default_year=2000)
    if hits:
        if hits[0].span[0] >= 60:
            return False
        after = text[hits[0].span[1]:]
        dotted = re.match(r"\s*(?:\([^)]{0,30}\)\s*)?[·•]\s*([^·•]+)", after)
        if dotted and hits[0].span[0] <= 2:  # "5-9 March · Course on Public Procurement · Lima, Peru · USD 600"
            segment_text = dotted.group(1).strip()
            return (segment_text[:1].isupper() and len(segment_text.split()) >= 3
                    and bool(_PROSE_KEYWORDS.search(segment_text)))
        sep = _ENTRY.search(after)
        if not sep or sep.start() > 60:
            return False
        title = text[hits[0].span[1] + sep.end():].strip()
        return title[:1].isupper() and len(title.split()) >= 3
    m = _UNDATED_ENTRY.match(text)
    return bool(m) and len(m.string[:m.start(1)].split()) <= 7 and bool(_PROSE_KEYWORDS.search(m.group(1)))


def _split_entries(block: Block) -> list[tuple[Block, list[Block]]]:
    """Lines of a calendar list ("Brasilia, 2-4 May — Seminar on ..."), one item each; the indented lines
    under an entry are its text."""
    groups: list[tuple[Block, list[Block]]] = []
    for line in block.lines:
        text, _ = strip_markup(_LIST_ITEM.sub("", line.text))
        if len(text) < 300 and _entry_like(text):
            groups.append((Block(lines=[line]), []))
        elif groups:
            groups[-1][1].append(Block(lines=[line]))
        else:
            return []
    return groups
