"""The whole import of one document, from bytes to the JSON the CLI prints and the review screen shows.

`extract()` is pure: it reads no database and writes nothing. The caller passes the known partners and
country names; `partnerpost.importer.services` supplies them from the database.
"""

from __future__ import annotations

import hashlib
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
        learned = _read_items(assemble(kept, labels, index, year=year, sure=sure), doc, period, index, countries,
                              default_partner)
        timer.lap("model")
        items = learned if use_model == "model" else combine(items, learned)
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
        if learned:  # read by the line model: its own probabilities
            confidence["title"] = round(learned["title"], 2)
            if "dates" in confidence and "dates" in learned:
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
    """Lines in reading order. PDFium gives them in the order they were drawn; when a page's lines come
    back up the page (a second column drawn after the first), that order is kept, since it is the order
    the columns are read in. Only lines drawn out of order within a column are left as they are: the
    PDFs met so far draw each column top to bottom."""
    return lines


def as_paragraphs(lines: list[Line]) -> list[Line]:
    """Join the lines of each paragraph (no vertical gap before them, same page) into one line, undoing
    hyphenation at line ends, so that a wrapped title or sentence reads as one."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and not line.blank_before and line.page == prev.page:
            if re.search(r"[A-Za-zÀ-ÿ]-$", prev.text) and line.text[:1].islower():
                text = prev.text[:-1] + line.text
            else:
                text = prev.text + " " + line.text
            out[-1] = replace(prev, text=text, end=line.end, size=None, bold=False)
            continue
        out.append(replace(line, size=None, bold=False))
    return out


def combine(rules: list[dict], learned: list[dict]) -> list[dict]:
    """The rules' items, completed by the model's: an item the model found that the rules did not (no rule
    item has a similar title, and its title is not a piece of a rule item's text) is added when it has a
    date; a rule item without a date takes the date of the model's item of the same title."""
    out = list(rules)
    keys = [(fold(item["title"]), item) for item in rules]
    texts = " ".join(fold(item["title"] + " " + item["body"]) for item in rules)
    for item in learned:
        key = fold(item["title"])
        same = next((rule for k, rule in keys if k == key or (len(key) > 12 and (key in k or k in key))), None)
        if same is not None:
            if same["start"] is None and item["start"] is not None:
                for name in ("start", "end", "dates", "precision", "time", "end_time", "timezone"):
                    same[name] = item[name]
                same["confidence"]["dates"] = item["confidence"].get("dates", 0.5)
            continue
        if item["start"] is None or (len(key) > 12 and key in texts):
            continue
        out.append(item)
    out.sort(key=lambda item: item["source"]["start"])
    return out


def _page_at(doc, offset: int) -> int:
    for line in doc.lines:
        if line.end >= offset:
            return line.page
    return doc.pages


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
