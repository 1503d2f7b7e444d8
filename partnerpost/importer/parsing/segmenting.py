"""Blocks into items: which blocks are headings, sections and entries, and segment()."""

from __future__ import annotations

import re

from partnerpost.lib import dateranges

from .blocks import _LIST_ITEM, TOC_HEADING, Block, RawItem
from .partners import PartnerIndex
from .prose import _PROSE_KEYWORDS, prose_items
from .text import fold, normalise, strip_markup


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
            item.dashed = True  # a list entry, not a phrase read out of prose
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


# Matched against folded text (lower case, accents off): the month names of lib/dateranges.py.
_MONTHS = "(" + "|".join(sorted(dateranges.MONTH_NAMES, key=len, reverse=True)) + ")"
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
