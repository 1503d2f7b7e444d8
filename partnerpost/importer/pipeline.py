"""The whole import of one document, from bytes to the JSON the CLI prints and the review screen shows.

`extract()` is pure: it reads no database and writes nothing. The caller passes the known partners and
country names; `partnerpost.importer.services` supplies them from the database.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

from partnerpost.lib import dateranges

from . import fields as field_reader
from .parsing import PartnerIndex, fold, make_blocks, normalise, remove_boilerplate, segment
from .reading import MAX_BYTES, MAX_INFLATED, MAX_PAGES, MAX_TEXT, read


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
) -> dict:
    """Everything found in one newsletter: {"period": ..., "items": [...], "document": ...}.

    Raises reading.Rejected for files that cannot be imported."""
    timer = timer or Timer()
    doc = read(data, filename, max_bytes=max_bytes, max_pages=max_pages, max_inflated=max_inflated,
               max_text=max_text)
    timer.lap("read")
    kept, removed = remove_boilerplate(doc)
    if kept:
        doc.pages = max(doc.pages, max(line.page for line in kept))
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
    items = _drop_repeats(items)
    timer.lap("fields")
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label}
        if period else None,
        "items": items,
        "document": {"format": doc.format, "pages": doc.pages, "title": masthead, "sha256": content_hash(data),
                     "characters": len(doc.text), "removed_lines": len(removed)},
    }


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
