"""The shipped line model: loading it once, and labelling a document's lines with it."""

from __future__ import annotations

import threading
from pathlib import Path

from .features import document_features

MODEL_PATH = Path(__file__).resolve().parent / "lines.crfsuite"
_lock = threading.Lock()
_taggers: dict[str, object] = {}


def tagger(path: Path | str | None = None):
    """A pycrfsuite.Tagger for the model file (the shipped one by default), opened once per process."""
    import pycrfsuite

    key = str(path or MODEL_PATH)
    with _lock:
        if key not in _taggers:
            t = pycrfsuite.Tagger()
            t.open(key)
            _taggers[key] = t
        return _taggers[key]


def available(path: Path | str | None = None) -> bool:
    return Path(path or MODEL_PATH).exists()


def label_lines(lines, year: int | None, path: Path | str | None = None) -> tuple[list[str], list[float]]:
    """The label of every line and the model's probability for it (its marginal)."""
    if not lines:
        return [], []
    t = tagger(path)
    with _lock:  # a Tagger holds the last sequence it was given: one document at a time
        labels = t.tag(document_features(lines, year))
        sure = [t.marginal(label, i) for i, label in enumerate(labels)]
    return labels, sure
