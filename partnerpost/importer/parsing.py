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
            for name in [p.get("name", "")] + list(p.get("aliases", [])):
                if name:
                    index.names.append((fold(name), acronym))
        if alternatives:
            alternatives.sort(key=len, reverse=True)
            index.pattern = re.compile(r"(?<![\w-])(" + "|".join(alternatives) + r")(?![\w-])")
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

    def match_heading(self, text: str) -> str | None:
        """The partner a section heading names ("ICAP Events", "News from EROPA"), if it names nothing else."""
        words = fold(text)
        rest = re.sub(r"\b(events?|news|noticias|eventos|actualites|nouvelles|publications?|publicaciones|"
                      r"activities|actividades|updates?|corner|section|highlights|from|the|de|del|la|les|des|"
                      r"and|y|et|partner|partners|socio|member)\b", " ", words)
        rest = " ".join(rest.split())
        if not rest:
            return None
        if rest in self.by_acronym:
            return self.by_acronym[rest]
        for name, acronym in self.names:
            if rest == name or rest == f"{name} {fold(acronym)}" or rest == f"{fold(acronym)} {name}":
                return acronym
        return None


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
    r"to contact\b|contact us\b|follow us\b|to (un)?subscribe\b|(un)?subscribe\b|you are receiving|"
    r"if you (no longer )?wish|this (newsletter|bulletin) is (published|produced|prepared)|"
    r"page \d+( of \d+)?$|\d+\s*/\s*\d+$|\d+$)",
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
        if BOILERPLATE.match(text) and len(text) < 400:
            removed.add(i)
        elif counts[shape] >= 3 and len(shape) >= 25 and not line.heading:
            removed.add(i)  # the same long sentence on three or more pages is a notice, not news
    kept = []
    page_shift = 0
    for i, line in enumerate(lines):
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
        )
        if starts_new and current:
            blocks.append(_finish_block(current, body_size))
            current = []
        current.append(line)
    if current:
        blocks.append(_finish_block(current, body_size))
    return _join_broken_blocks(blocks)


_LIST_ITEM = re.compile(r"^\s*(?:[-*•▪·]|\d{1,2}[.)])\s+")


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
_WHOLE_LINK = re.compile(r"^\[(.+)\]\([^)]*\)\s*$")
_MASTHEAD = re.compile(r"newsletter|bulletin|bolet[ií]n|lettre|boletim|gazette|digest|update|no\.\s*\d+|"
                       r"vol(ume)?\.?\s*\d+|issue\s*\d+", re.I)


def heading_score(block: Block, doc_format: str) -> float:
    """How much a block looks like a title (0 = body text)."""
    text = normalise(block.raw)
    if not text or len(text) > 260 or len(block.lines) > 3:
        return 0.0
    if block.heading:
        return 1.0
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
    if plain.startswith(("-", "*", "•")):
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


def segment(blocks: list[Block], doc_format: str, partners: PartnerIndex, period_text: str | None):
    """Split blocks into items and sections. Returns (items, masthead_title)."""
    scores = [heading_score(b, doc_format) for b in blocks]
    items: list[RawItem] = []
    section = None
    explicit = False
    masthead = None
    seen_body = False
    in_toc = False
    i = 0
    while i < len(blocks):
        block, score = blocks[i], scores[i]
        text, _ = strip_markup(normalise(block.raw))
        if score and TOC_HEADING.match(text):
            in_toc = True
            i += 1
            continue
        if in_toc:
            if score and i + 1 < len(blocks) and not scores[i + 1]:
                in_toc = False
            else:
                i += 1
                continue
        if score:
            named = partners.match_heading(text)
            if named:
                section, explicit = named, True
                i += 1
                continue
            if not seen_body and masthead is None and not items and (
                _MASTHEAD.search(text) or (period_text and fold(period_text) in fold(text))
            ):
                masthead = text
                i += 1
                continue
            if _is_date_heading(text):
                i += 1
                continue
            next_score = scores[i + 1] if i + 1 < len(blocks) else 0.0
            if next_score and i + 1 < len(blocks):
                nxt = blocks[i + 1]
                nxt_text, _ = strip_markup(normalise(nxt.raw))
                own_date = bool(dateranges.find_dates(text, default_year=2000))
                if own_date and _entry_like(text):
                    items.append(RawItem(block, [], section, explicit))
                    i += 1
                    continue
                bigger = (block.heading and nxt.heading and block.heading < nxt.heading) or (
                    doc_format == "pdf" and block.emphasis > nxt.emphasis + 0.1)
                if bigger and len(text.split()) <= 6 and not partners.match_heading(nxt_text):
                    section, explicit = text, True  # an unnamed group heading such as "Publications"
                    i += 1
                    continue
                if (not bigger and i + 2 < len(blocks) and not scores[i + 2]
                        and not partners.match_heading(nxt_text) and not _is_date_heading(nxt_text)):
                    # a title followed by a one-line subtitle, then the body
                    items.append(RawItem(block, [], section, explicit, subtitle=nxt_text))
                    i += 2
                    while i < len(blocks) and not scores[i]:
                        items[-1].body.append(blocks[i])
                        i += 1
                    continue
                if _entry_like(text) and not bigger:
                    items.append(RawItem(block, [], section, explicit))
                    i += 1
                    continue
                i += 1
                continue
            items.append(RawItem(block, [], section, explicit))
            i += 1
            while i < len(blocks) and not scores[i]:
                items[-1].body.append(blocks[i])
                i += 1
            seen_body = True
            continue
        # body text outside any item: a calendar line, or an introduction
        seen_body = True
        entries = _split_entries(block)
        if entries:
            for entry in entries:
                items.append(RawItem(entry, [], section, explicit))
        elif items and items[-1].title_block is not None and not items[-1].body:
            items[-1].body.append(block)
        i += 1
    return items, masthead


_MONTHS = (r"(january|february|march|april|may|june|july|august|september|october|november|december|"
           r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
           r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)")
_DATE_HEADING = re.compile(rf"^{_MONTHS}(\s+\d{{4}})?$|^q[1-4]\s+\d{{4}}$|^\d{{4}}$", re.I)


def _is_date_heading(text: str) -> bool:
    return bool(_DATE_HEADING.match(fold(text)))


_ENTRY = re.compile(r"\s[–—-]\s|:\s|\|")


def _entry_like(text: str) -> bool:
    """A one-line calendar entry: a date near the start and a title after a dash or colon."""
    hits = dateranges.find_dates(text, default_year=2000)
    return bool(hits) and hits[0].span[0] < 60 and bool(_ENTRY.search(text[hits[0].span[0]:]))


def _split_entries(block: Block) -> list[Block]:
    """Lines of a calendar list ("Brasilia, 2-4 May — Seminar on ..."), one item each."""
    lines = block.lines
    candidates = []
    for line in lines:
        text, _ = strip_markup(_LIST_ITEM.sub("", line.text))
        if len(text) < 300 and _entry_like(text):
            candidates.append(line)
    if candidates and len(candidates) >= max(1, len(lines) * 0.6):
        return [Block(lines=[line]) for line in candidates]
    return []
