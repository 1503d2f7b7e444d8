"""Lines into blocks: boilerplate (repeated headers and footers, tables of contents) removed, broken
paragraphs joined; the raw item a heading and its body blocks make."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from partnerpost.lib import dateranges

from ..reading import Document, Line
from .text import fold, normalise


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


@dataclass
class RawItem:
    title_block: Block | None
    body: list[Block]
    section: str | None
    section_explicit: bool
    subtitle: str = ""
    entry: bool = False  # a calendar line: "Place, date — Title (ORGANIZER)"
    title_text: str = ""  # a title read from prose, when the item has no heading of its own
