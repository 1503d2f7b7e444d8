"""The whole import of one document, from bytes to the JSON the CLI prints and the review screen shows.

`extract()` is pure: it reads no database and writes nothing. The caller passes the known partners and
country names; `partnerpost.importer.services` supplies them from the database.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace

from partnerpost.lib import dateranges

from . import fields as field_reader
from .parsing import PartnerIndex, fold, make_blocks, normalise, remove_boilerplate, segment
from .learning.assemble import assemble
from .learning.model import available as model_available
from .learning.model import label_lines
from .reading import MAX_BYTES, MAX_INFLATED, MAX_PAGES, MAX_TEXT, Line, read


@dataclass
class Timer:
    stages: dict[str, float] = field(default_factory=dict)
    _last: float = field(default_factory=time.perf_counter)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stages[name] = self.stages.get(name, 0.0) + (now - self._last) * 1000
        self._last = now


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extract(
    data: bytes,
    filename: str,
    partners: list[dict] | None = None,
    *,
    default_partner: str | None = None,
    countries: set[str] | None = None,
    max_bytes: int = MAX_BYTES,
    max_pages: int = MAX_PAGES,
    max_inflated: int = MAX_INFLATED,
    max_text: int = MAX_TEXT,
    timer: Timer | None = None,
    use_model: str = "combined",
    model_path=None,
) -> dict:
    """Everything found in one newsletter: {"period": ..., "items": [...], "document": ...}.

    Raises reading.Rejected for files that cannot be imported.

    Text (and PDFs read as text) goes through two readers: the rules (parsing.segment) and the learned
    line model (learning: a CRF labels lines, items are assembled around date lines and headings).
    `use_model` picks "rules", "model" or "combined" (the default: see `combine`); `model_path` names
    another model file than the shipped one (the evaluation's leave-one-source-out runs)."""
    timer = timer or Timer()
    doc = read(data, filename, max_bytes=max_bytes, max_pages=max_pages, max_inflated=max_inflated,
               max_text=max_text)
    timer.lap("read")
    kept, removed = remove_boilerplate(doc)
    if kept:
        doc.pages = max(doc.pages, max(line.page for line in kept))
    source_format, method = doc.format, "layout" if doc.format == "pdf" else "text"
    if doc.format == "pdf" and not has_typographic_cues(kept):
        # A "save as PDF" with titles at body size: type gives nothing away, so read the lines as plain
        # text, one paragraph per run of lines without a gap, as the text method expects.
        kept = as_paragraphs(order_columns(kept))
        doc = replace(doc, format="text")
        method = "text"
    timer.lap("clean")
    head_text = "\n".join(line.text for line in kept[:60])
    # the masthead's own line first: "Training Calendar 2024" is the year, not its first month heading
    period = (dateranges.find_period(kept[0].text) if kept else None) or dateranges.find_period(head_text) \
        or dateranges.find_period(doc.text[:3000])
    index = PartnerIndex.build(partners)
    blocks = make_blocks(doc, kept)
    raw_items, masthead = segment(blocks, doc.format, index, period.label if period else None)
    timer.lap("split")
    countries = countries if countries is not None else set()
    items = _read_items(raw_items, doc, period, index, countries, default_partner)
    if method == "text" and use_model != "rules" and model_available(model_path):
        year = period.start.year if period else None
        labels, sure = label_lines(kept, year, model_path)
        learned_raw = assemble(kept, labels, index, year=year, sure=sure)
        if use_model != "model":  # only what combine() can use: items the rules missed or left undated,
            # whose title line the model is fairly sure of
            # (for an item the rules left undated, only when the model gives it a date line or heading)
            known = {fold(item["title"]): item["start"] is not None for item in items}
            learned_raw = [raw for raw in learned_raw if raw.sure["title"] >= 0.8 and (
                known.get(fold(field_reader.item_title(raw)[0])) is None
                or (known[fold(field_reader.item_title(raw)[0])] is False and raw.subtitle))]
        learned = _read_items(learned_raw, doc, period, index, countries, default_partner)
        timer.lap("model")
        label_at = {line.start: (label if label != "noise" or p < 0.97 else "sure-noise")
                    for line, label, p in zip(kept, labels, sure)}
        # title lines that open a block (a gap, a date line or a heading before them), not a line that
        # happens to sit inside a hard-wrapped paragraph
        openers = {line.start for i, line in enumerate(kept)
                   if line.blank_before or i == 0 or labels[i - 1] in ("date", "heading")}
        items = learned if use_model == "model" else combine(items, learned, label_at, openers)
    items = _drop_repeats(items)
    timer.lap("fields")
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label}
        if period else None,
        "items": items,
        "document": {"format": source_format, "method": method, "pages": doc.pages, "title": masthead, "sha256": content_hash(data),
                     "characters": len(doc.text), "removed_lines": len(removed)},
    }


def _read_items(raw_items, doc, period, index, countries, default_partner) -> list[dict]:
    """Each raw item's fields read (fields.read_fields), with its section, provenance and confidence."""
    items = []
    running = None
    last_heading = None
    for raw in raw_items:
        raw_title, _links = field_reader.item_title(raw)
        if raw.section_explicit and raw.section != last_heading:
            running = last_heading = raw.section
        named = {p for _, p in index.find(raw_title)} if not raw.title_text else set()
        if len(named) == 1 and next(iter(named)) != running:
            running = next(iter(named))
        section = running
        found = field_reader.read_fields(raw, period=period, partners=index, countries=countries, section=section)
        title = found["title"]
        if not title or len(title) < 4:
            continue
        if not found["body"] and found["start"] is None:
            continue  # a stray heading: nothing under it and no date
        if section is None:
            known = [o for o in found["organizers"] if fold(o) in index.by_acronym]
            section = known[0] if known else default_partner
        block = raw.title_block
        end = raw.body[-1].end if raw.body else block.end
        confidence = found.pop("_confidence")
        spans = found.pop("_spans")
        confidence["title"] = 0.9 if raw.body else 0.6
        learned = getattr(raw, "sure", None)
        reader = "model" if learned else ("rules-prose" if raw.title_text and not getattr(raw, "dashed", False)
                                            else "rules")
        if learned:  # read by the line model: its own probabilities
            confidence["title"] = round(learned["title"], 2)
            if "dates" in learned:
                confidence["date_line"] = round(learned["dates"], 2)
                if "dates" in confidence:
                    confidence["dates"] = round(confidence["dates"] * learned["dates"], 2)
        item = {
            "title": title,
            "kind": found["kind"],
            "start": found["start"],
            "end": found["end"],
            "dates": found["dates"],
            "precision": found["precision"],
            "time": found["time"],
            "end_time": found.get("end_time"),
            "timezone": found["timezone"],
            "location": found["location"],
            "online": found["online"],
            "organizers": found["organizers"],
            "supporters": found["supporters"],
            "links": found["links"],
            "fee": found["fee"],
            "currency": found["currency"],
            "deadline": found["deadline"],
            "section": section,
            "language": found["language"],
            "summary": _summary(found["body"]),
            "body": found["body"],
            "source": {"page": block.page, "start": block.start, "end": end},
            "reader": reader,
            "confidence": confidence,
            "provenance": {name: {"page": _page_at(doc, span[0]), "start": span[0], "end": span[1]}
                           for name, span in spans.items() if span},
        }
        items.append(item)
    return items


def has_typographic_cues(lines: list[Line]) -> bool:
    """Whether some lines stand out from the body text by size or weight (two or more such lines)."""
    sizes = Counter()
    for line in lines:
        sizes[round(line.size or 0)] += len(line.text)
    if not sizes:
        return False
    body = sizes.most_common(1)[0][0]
    marked = sum(1 for line in lines if (body and line.size and line.size >= body * 1.12)
                 or (line.bold and len(line.text) < 160))
    return marked >= 2


def order_columns(lines: list[Line]) -> list[Line]:
    """Lines in reading order, with the paragraph gaps measured again.

    PDFium gives lines in the order they were drawn, which puts a running header after the body or between
    the columns. On a page set in two columns (several lines start in each half), read the lines that span
    the middle above the columns first (a running header, a masthead), then the left column top to bottom,
    the right column, and what spans the middle below them (a footer). The first line of each column (and
    of each page) is marked `column_start`: it begins a paragraph unless `as_paragraphs` finds that the
    column before ended mid-sentence.

    A gap between paragraphs is where the distance from one line's baseline to the next is clearly more
    than the document's usual line spacing (see `_paragraph_gaps`): the glyphs' own boxes, which the reader
    compares, vary with the letters (a "J" or a "g" reaches lower) and miss a paragraph spacing of half a
    line."""
    out: list[Line] = []
    pages: dict[int, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    furniture = _page_furniture(pages)
    for page in sorted(pages):
        rows = [line for line in pages[page] if id(line) not in furniture]
        if not rows:
            continue
        placed = [line for line in rows if line.left is not None and line.right is not None and line.top is not None]
        left_half = [line for line in placed if line.right < 0.52]
        right_half = [line for line in placed if line.left > 0.48]
        if len(placed) < len(rows) or len(left_half) < 3 or len(right_half) < 3:
            for k, line in enumerate(rows):
                jumped = k > 0 and _above(line, rows[k - 1])
                out.append(replace(line, column_start=True, blank_before=True) if k == 0 or jumped else line)
            continue
        body_top = min(line.top for line in left_half + right_half)
        left_ids = {id(line) for line in left_half}
        right_ids = {id(line) for line in right_half}

        def key(line: Line):
            if id(line) in left_ids:
                return (1, 0, line.top)
            if id(line) in right_ids:
                return (1, 1, line.top)
            return (0 if line.top <= body_top else 2, 0, line.top)

        ordered = sorted(rows, key=key)
        for k, line in enumerate(ordered):
            if k == 0 or key(line)[:2] != key(ordered[k - 1])[:2]:
                line = replace(line, blank_before=True, column_start=True)
            out.append(line)
    return _paragraph_gaps(out)


def _page_furniture(pages: dict[int, list[Line]]) -> set[int]:
    """The lines printed in a page's top or bottom margin, apart from the text (a running header such as
    the newsletter's name, a footer notice): they sit in the outer tenth of the page with a gap of more
    than two lines between them and the text. They are left out of the lines read (they would stand before
    the first line, or in the middle of a sentence that runs on to the next page); the period is still
    looked for in the whole text. (A header repeated on most pages is removed before, with the
    boilerplate.)"""
    steps = []  # from one line to the next as drawn (down a column), for the usual line spacing
    for rows in pages.values():
        steps += [b.top - a.top for a, b in zip(rows, rows[1:])
                  if a.top is not None and b.top is not None and 0.002 < b.top - a.top < 0.1]
    if len(steps) < 4:
        return set()
    usual = sorted(steps)[len(steps) // 5]
    out: set[int] = set()
    for rows in pages.values():
        placed = sorted((line for line in rows if line.top is not None), key=lambda line: line.top)
        heights: list[list[Line]] = []  # lines side by side (a header's left and right parts) together
        for line in placed:
            if heights and line.top - heights[-1][0].top < 0.004:
                heights[-1].append(line)
            else:
                heights.append([line])
        if len(heights) < 6:
            continue
        if heights[0][0].top < 0.1 and heights[1][0].top - heights[0][0].top > 2.2 * usual:
            out.update(id(line) for line in heights[0])
        if heights[-1][0].top > 0.9 and heights[-1][0].top - heights[-2][0].top > 2.2 * usual:
            out.update(id(line) for line in heights[-1])
    return out


def _above(line: Line, before: Line) -> bool:
    """Whether `line` sits higher on the page than the line read before it (a new column, a header drawn
    late)."""
    return line.top is not None and before.top is not None and line.top < before.top - 0.005


def _paragraph_gaps(lines: list[Line]) -> list[Line]:
    """Mark a paragraph gap before each line whose baseline is more than 1.2 times the usual line spacing
    below the one before it in the same column. The usual spacing is a low percentile of the spacings
    (most lines of a document follow the line above them within a paragraph); a document whose every line
    is a paragraph of its own keeps the gaps the reader found."""
    steps = [b.bottom - a.bottom for a, b in zip(lines, lines[1:])
             if not b.column_start and a.page == b.page and a.bottom is not None and b.bottom is not None
             and b.bottom > a.bottom]
    if len(steps) < 4:
        return lines
    usual = sorted(steps)[len(steps) // 5]
    out = [lines[0]]
    for before, line in zip(lines, lines[1:]):
        if (not line.column_start and not line.blank_before and line.bottom is not None and before.bottom is not None
                and line.page == before.page and line.bottom - before.bottom > 1.2 * usual):
            line = replace(line, blank_before=True)
        out.append(line)
    return out


#: line-end hyphens as PDF text layers give them: a hyphen-minus, the Unicode hyphens, a soft hyphen, and
#: U+FFFE, which PDFium puts where a word was broken at the end of a line
_HYPHENS = ("-", "\u2010", "\u2011", "\u00ad", "\ufffe")


def _date_line(text: str) -> bool:
    """A line that is mostly a date, with or without a weekday and time ("Jueves 18 de mayo de 2023,
    16:30 h", "3-14 March 2025"): a line of its own, never the continuation of a wrapped one."""
    if len(text) > 80 or not re.search(r"\d", text):
        return False
    hits = dateranges.find_dates(text, default_year=2000)
    covered = sum(h.span[1] - h.span[0] for h in hits)
    return bool(hits) and covered >= 0.6 * len(text.strip())


def _runs_on(text: str) -> bool:
    """Whether a paragraph's last words ask for more, so that a capital at the start of the next line is
    no sign of a new start: it ends with a short lowercase word ("of", "on", "the", "de"), a comma or a
    number (a day, before its month), or it is set in title case (four longer words in five capitalised),
    where every line of a wrapped title begins with a capital. (A place printed under such a title, that
    would not have fitted at its end, is then read as part of it: nothing in the PDF tells them apart.)"""
    if re.search(r"(?:[,\d]|\b[a-zà-ÿ]{1,4})$", text):
        return True
    words = [w for w in text.split() if len(w) > 3 and w[:1].isalpha()]
    return bool(words) and sum(1 for w in words if w[:1].isupper()) >= 0.8 * len(words)


def as_paragraphs(lines: list[Line]) -> list[Line]:
    """Join the lines of each paragraph into one line, undoing hyphenation at line ends, so that a wrapped
    title or sentence reads as one. A line is joined to the one before when there is no paragraph gap
    between them and the one before was wrapped: the next line's first word would not have fitted at its
    end before the right edge of its column (in a PDF; elsewhere, it is as long as the longer lines of the
    document), or it ends with a hyphen. A short line ended where its author pressed Enter (a date line, a
    place): it stays a line of its own, and so does a date line whatever its length. A full line before a
    capital is joined only when it runs on (see `_runs_on`): "...Performance Contracts" + "A regional
    workshop..." is a title and its paragraph, whatever the width.

    At the top of a column or page (`column_start`), the last line of the column before is continued the
    same way. When it was not wrapped, nothing shows whether a paragraph ended there: the line goes on the
    paragraph before after a date line, in a document whose date lines are followed without a gap (a date
    line and its title, printed on either side of the break, stay together as in the text), and after a
    line that ends without a stop, in a document where such lines are followed without a gap (a title and
    its place); otherwise it starts a paragraph."""
    lengths = sorted(len(line.text) for line in lines)
    full = lengths[int(len(lengths) * 0.9)] if lengths else 0
    # where the text ends on each page: the right margin mirrors the left one (the page's leftmost line),
    # unless the page is set in two columns, where a left-column line ends at the column's own edge
    pages: dict[int, list[Line]] = {}
    for line in lines:
        if line.left is not None and line.right is not None:
            pages.setdefault(line.page, []).append(line)
    margin, gutter, char_width = {}, {}, {}
    for page, rows in pages.items():
        margin[page] = max(max(line.right for line in rows), 1 - min(line.left for line in rows))
        # the page's usual width of a character, for a line PDFium gave as two printed lines joined at a
        # hyphen (its own would be half of it)
        widths = sorted((line.right - line.left) / len(line.text) for line in rows if len(line.text) >= 20)
        if widths:
            char_width[page] = widths[len(widths) // 2]
        left_half = [line.right for line in rows if line.right < 0.52]
        if len(left_half) >= 3 and sum(1 for line in rows if line.left > 0.48) >= 3:
            gutter[page] = max(left_half)

    def edge_of(line: Line) -> float:
        if line.page in gutter and line.right < 0.52:
            return gutter[line.page]
        return margin[line.page]

    date_lines: dict[int, bool] = {}

    def is_date(line: Line) -> bool:
        if id(line) not in date_lines:
            date_lines[id(line)] = _date_line(line.text)
        return date_lines[id(line)]

    def was_wrapped(line: Line, after: Line, so_far: str) -> bool:
        """Whether the next line's first word would not have fitted at the end of this one. A next line
        that opens with a label ("Date:", "Venue:") or is a date line starts something new whatever the
        width (unless this line ends with the day or the word that the date completes: "on 12" /
        "October 2023, the agreement...")."""
        if line.text.endswith(_HYPHENS):
            return True
        if re.match(r"^[A-ZÀ-Ý][\w ]{0,20}:\s", after.text):
            return False
        if line.left is not None and line.right is not None and len(line.text) > 1:
            per_char = (line.right - line.left) / len(line.text)
            if per_char < 0.7 * char_width.get(line.page, 0):  # two printed lines given as one
                per_char = char_width[line.page]
            first_word = len(after.text.split()[0]) if after.text.split() else 0
            fits = line.right + per_char * (first_word + 1) < edge_of(line) - per_char
        else:
            fits = len(line.text) < 0.7 * full
        if fits:
            return False
        if is_date(line):
            return False
        if after.text[:1].isupper() and not _runs_on(so_far):
            return False  # a capital after a complete line: a title and then its first sentence, a place
        return not is_date(after) or bool(re.search(r"(?:\d|\b[a-zà-ÿ]{1,4})$", line.text))

    # after a date line, does this document go on without a gap (date line, then its title or place)?
    followed = [not b.blank_before for a, b in zip(lines, lines[1:]) if not b.column_start and is_date(a)]
    date_then_more = bool(followed) and sum(followed) > len(followed) / 2
    # and after a line that ends without a stop and was not wrapped (a title, a place)?
    followed = [not b.blank_before for a, b in zip(lines, lines[1:])
                if not b.column_start and a.page == b.page and not is_date(a)
                and not re.search(r"[.!?:;]\W?$", a.text) and not was_wrapped(a, b, a.text)]
    open_then_more = bool(followed) and sum(followed) > len(followed) / 2

    out: list[Line] = []
    last: Line | None = None  # the previous line as printed, before joining
    for line in lines:
        prev = out[-1] if out else None
        wrapped = last is not None and was_wrapped(last, line, prev.text if prev is not None else last.text)
        before = last
        last = line
        if prev is not None and wrapped and (line.column_start or (not line.blank_before and line.page == prev.page)):
            if prev.text.endswith(_HYPHENS) and line.text[:1].islower() and re.search(r"[^\W\d_]\W$", prev.text):
                text = prev.text[:-1] + line.text
            elif prev.text.endswith(_HYPHENS):
                text = prev.text[:-1] + "-" + line.text
            else:
                text = prev.text + " " + line.text
            out[-1] = replace(prev, text=text, end=line.end, size=None, bold=False)
            continue
        if line.column_start and before is not None and not is_date(line) and (
                (date_then_more and is_date(before)) or (open_then_more and not is_date(before)
                                                       and not re.search(r"[.!?:;]\W?$", before.text))):
            line = replace(line, blank_before=False)
        out.append(replace(line, size=None, bold=False))
    return out


def combine(rules: list[dict], learned: list[dict], label_at: dict[int, str] | None = None,
            openers: set[int] | None = None) -> list[dict]:
    """The rules' items, completed by the model's.

    - A rule item whose title line the model is all but certain (0.97) is noise is dropped.
    - A rule item whose title line the model reads as noise or a heading (a masthead, a day heading),
      and inside which the model found items of its own, gives way to those items; so does an item the
      rules read out of a paragraph's sentences, when the model is sure (0.9) it sees title lines there:
      a line printed as a title is better evidence than a phrase cut out of prose.
    - An item the model found that the rules did not (no rule item has a similar title, and its title
      is not a piece of a rule item's text) is added when it has a date.
    - A rule item without a date takes the date of the model's item of the same title."""
    label_at = label_at or {}
    out, taken = [], set()
    for rule in rules:
        start, end = rule["source"]["start"], rule["source"]["end"]
        inner = [item for item in learned if start <= item["source"]["start"] <= end and item["start"] is not None
                 and fold(item["title"]) != fold(rule["title"])]
        if label_at.get(start) == "sure-noise" and not inner and rule.get("reader") == "rules":
            continue  # a masthead or a mail header the model is all but certain is no item
        if inner and (label_at.get(start) in ("noise", "sure-noise", "heading") or (
                rule.get("reader") == "rules-prose" and inner and all(
                    item["confidence"]["title"] >= 0.9 and item["source"]["start"] in (openers or ())
                    and item["title"][:1].isupper() for item in inner))):
            inner = [item for item in inner if id(item) not in taken]
            out.extend(inner)
            taken.update(id(item) for item in inner)
        else:
            out.append(rule)
    rules = [item for item in out if id(item) not in taken]
    keys = [(fold(item["title"]), item) for item in rules]
    texts = " ".join(fold(item["title"] + " " + item["body"]) for item in rules)
    for item in learned:
        if id(item) in taken:
            continue
        key = fold(item["title"])
        same = next((rule for k, rule in keys if k == key or (len(key) > 12 and (key in k or k in key))), None)
        if same is not None:
            if same["start"] is None and item["start"] is not None:
                for name in ("start", "end", "dates", "precision", "time", "end_time", "timezone"):
                    same[name] = item[name]
                same["confidence"]["dates"] = item["confidence"].get("dates", 0.5)
            continue
        sure_of_it = item["confidence"]["title"] >= 0.95 and item["confidence"].get("date_line", 0) >= 0.9
        if item["start"] is None or item["confidence"]["title"] < 0.8 or (
                len(key) > 12 and key in texts and not sure_of_it):
            # only a dated item the model is sure of is added to what the rules found; one the rules read
            # as part of another item's text needs a title line and a date line the model is very sure of
            continue
        out.append(item)
    out.sort(key=lambda item: item["source"]["start"])
    return out


def _page_at(doc, offset: int) -> int:
    """The page of the first line ending at or after offset (the lines' ends only grow)."""
    ends = doc.__dict__.setdefault("_ends", [line.end for line in doc.lines])
    at = bisect_left(ends, offset)
    return doc.lines[at].page if at < len(ends) else doc.pages


def _summary(body: str, limit: int = 400) -> str:
    text = normalise(body)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    stop = max(cut.rfind(". "), cut.rfind("; "))
    return (cut[: stop + 1] if stop > limit // 2 else cut.rsplit(" ", 1)[0] + " …").strip()


def _drop_repeats(items: list[dict]) -> list[dict]:
    """A table of contents or a repeated teaser names an item twice: keep the fuller one."""
    best: dict[str, dict] = {}
    for item in items:
        key = fold(item["title"])
        if key not in best or len(item["body"]) > len(best[key]["body"]):
            best[key] = item
    keep = {id(v) for v in best.values()}
    return [item for item in items if id(item) in keep]
