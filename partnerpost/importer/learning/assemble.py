"""Items from labelled lines: a title starts an item; date lines go to the title they belong to, before or
after it, as the document's own habit shows; headings that are dates (a day, a month) date the items under
them; place and body lines follow their title."""

from __future__ import annotations

from partnerpost.lib import dateranges

from ..parsing.blocks import Block, RawItem
from ..parsing.segmenting import _LIST_ITEM as _BULLET
from ..parsing.segmenting import _entry_like
from ..parsing.text import strip_markup


def dates_come_first(labels: list[str]) -> bool:
    """Whether this document prints an item's date line before its title (counted over the document:
    a date line right before a title against one right after it)."""
    before = after = 0
    seq = [lab for lab in labels if lab != "noise"]
    for a, b in zip(seq, seq[1:]):
        if a == "date" and b == "title":
            before += 1
        elif a == "title" and b == "date":
            after += 1
    return before > after


def assemble(lines, labels: list[str], partners, *, year: int | None = None, sure: list[float] | None = None
             ) -> list[RawItem]:
    """RawItems for the field reader. A day or month heading's text goes into each item's subtitle, ahead
    of the item's own date line, so that "Lundi 14 octobre" + "09h30" reads as a dated, timed item."""
    first = dates_come_first(labels)
    items: list[RawItem] = []
    context = ""  # the last heading that is a date: its items inherit it
    section, explicit = None, False
    pending: list = []  # date lines waiting for their title (date-first documents)
    current: RawItem | None = None
    dated: set[int] = set()  # items that already have a date line of their own
    sure = sure or [1.0] * len(lines)
    for line, label, p in zip(lines, labels, sure):
        text = strip_markup(line.text)[0]
        if label == "noise":
            continue
        if label == "heading":
            current = None
            pending = []
            if dateranges.find_dates(text, default_year=year or 2000):
                context = text
                continue
            partner = partners.match_heading(text)
            section, explicit = (partner, True) if partner else (None, True)
            context = ""
            continue
        if label == "title":
            entry = _entry_like(_BULLET.sub("", text))
            # a calendar entry holds its own date: read it first, the heading's month after it
            own = [text] if entry else []
            subtitle = " ".join(own + [context] + [strip_markup(d.text)[0] for d, _p in pending]).strip()
            current = RawItem(Block(lines=[line]), [], section, explicit, subtitle=subtitle, entry=entry)
            current.sure = {"title": p}
            if pending:
                dated.add(id(current))
                current.sure["dates"] = min(p_ for _l, p_ in pending)
            pending = []
            items.append(current)
            continue
        if label == "date":
            if first or current is None or id(current) in dated:
                pending.append((line, p))
                continue
            current.subtitle = f"{current.subtitle} {text}".strip()
            current.sure["dates"] = p
            dated.add(id(current))
            continue
        if current is not None:  # place and body lines
            current.body.append(Block(lines=[line]))
    return items
