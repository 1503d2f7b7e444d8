"""Line labels for the hand-labelled documents of the train split, derived from their item labels.

A line is a title when it is (or holds, as a calendar entry does) an expected item's title; before the
first title, lines are noise (masthead, introduction); a Markdown heading or a short line in capitals
that is no title is a heading; a short line with a date is a date line; everything else under a title
is body. The derivation is rough where items live inside prose (no line is their title): those lines
are body, which is what the model should call them."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

from partnerpost.lib import dateranges

from ..parsing.text import fold, strip_markup
from ..reading import Line
from .features import document_features

REPO = Path(__file__).resolve().parents[3]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def _is_title(line: str, titles: list[str]) -> bool:
    n = _norm(re.sub(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+", "", strip_markup(line)[0]))
    if not n:
        return False
    for t in titles:
        if n == t or (len(t) >= 12 and t in n and n.find(t) <= 60):
            return True
        if difflib.SequenceMatcher(None, n, t, autojunk=False).ratio() >= 0.88:
            return True
    return False


_TIME_ONLY = re.compile(r"^\W*(?:[01]?\d|2[0-3])[:h.][0-5]\d(?:\s*[-–]\s*(?:[01]?\d|2[0-3])[:h.][0-5]\d)?\W*$")


def derive_labels(lines, expected: list[dict], year: int | None) -> list[str]:
    titles = [_norm(item["title"]) for item in expected]
    texts = [strip_markup(line.text)[0] for line in lines]
    hits = [dateranges.find_dates(t, default_year=year or 2000) for t in texts]
    dated = [len(t.split()) <= 14 and bool(h) for t, h in zip(texts, hits)]
    # mostly a date ("Monday, 8 April", "October 2013"): what a day or month heading is made of
    mostly = [bool(h) and sum(x.span[1] - x.span[0] for x in h) >= 0.6 * len(t.strip()) for t, h in zip(texts, hits)]
    timed = [bool(_TIME_ONLY.match(t)) for t in texts]
    labels = []
    for i, (line, text) in enumerate(zip(lines, texts)):
        if _is_title(line.text, titles):
            labels.append("title")
        elif timed[i]:
            labels.append("date")
        elif line.heading or (text.isupper() and len(text.split()) <= 8):
            labels.append("heading")
        elif mostly[i] and i + 1 < len(lines) and (timed[i + 1] or dated[i + 1]):
            labels.append("heading")  # a day heading over time lines, a month over dated lines
        elif dated[i]:
            labels.append("date")
        elif i and labels[-1] in ("title", "date") and len(text.split()) <= 6 and not text.endswith("."):
            labels.append("place")
        else:
            labels.append("body")
    # before the first item (its title and the date lines and headings right above it): the masthead
    first = labels.index("title") if "title" in labels else len(labels)
    while first > 0 and labels[first - 1] == "date":
        first -= 1
    if first > 0 and labels[first - 1] == "heading":
        first -= 1
    return ["noise"] * first + labels[first:]


def train_documents(root: Path | None = None, exclude=frozenset()) -> list[tuple[str, Path, dict]]:
    """(source, label file, labels) of every document of the train split whose file is present."""
    root = root or REPO
    split = json.loads((root / "tests" / "importer" / "split.json").read_text(encoding="utf-8"))
    out = []
    for source, entry in split["sources"].items():
        if entry["split"] != "train" or source in exclude:
            continue
        for doc in entry["documents"]:
            path = root / "tests" / "importer" / f"{doc}.expected.json"
            labels = json.loads(path.read_text(encoding="utf-8"))
            if labels.get("render"):
                continue  # a rendering of a document already in the list
            if (path.parent / labels["source"]).exists():
                out.append((source, path, labels))
    return out


def corpus_sequences(root: Path | None = None, exclude=frozenset()):
    from .train import prepared_lines

    for _source, path, labels in train_documents(root, exclude):
        source = (path.parent / labels["source"]).resolve()
        _doc, lines = prepared_lines(source.read_bytes(), source.name)
        year = int(labels["period"]["start"][:4]) if labels.get("period") else None
        yield document_features(lines, year), derive_labels(lines, labels["items"], year)


def correction_sequences(exported: list[dict]):
    """Sequences from the editors' reviewed candidates (services.training_examples, exported by
    `partnerpost import-corrections --export FILE`): the passage's lines, labelled from the item as the
    editor left it, the same way as the corpus's lines are."""
    from .train import prepared_lines

    for record in exported:
        _doc, lines = prepared_lines(record["text"].encode("utf-8"), "passage.txt")
        item = dict(record["item"])
        if not item.get("title") or not lines:
            continue
        yield document_features(lines, record.get("year")), derive_labels(lines, [item], record.get("year"))
