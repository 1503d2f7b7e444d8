"""Checks of translation catalogues (gettext .po files): every message translated, none fuzzy,
and every translation carrying the placeholders and markup of its English source.

Pure Python on Babel's .po reader, so tests and scripts can run it without Django:

    python -m partnerpost.lib.catalogues partnerpost/locale/*/LC_MESSAGES/django.po
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

#: %(name)s, %s, %d, %%-free; {name} and {{ name }} as written in source strings.
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdfr]|%[sdfr]|\{\{\s*[\w.]+\s*\}\}|\{[A-Za-z_][\w]*\}")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\b[^>]*>")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    msgid: str
    what: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.what} — msgid {self.msgid[:70]!r}"


def _marks(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def _tags(text: str) -> Counter:
    return Counter(re.sub(r"\s+", " ", t) for t in TAG.findall(text))


def check(path: str | Path) -> list[Problem]:
    """Every problem of one catalogue, in file order; [] when it is complete and consistent."""
    path = str(path)
    with open(path, "rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        line = message.lineno or 0

        def problem(what):
            problems.append(Problem(path, line, ids[0], what))

        if message.fuzzy:
            problem("marked fuzzy")
        if not all(strings) or not strings:
            problem("not translated" if not any(strings) else "a plural form is empty")
            continue
        expected_tags = _tags(ids[0])
        if len(ids) == 1:
            if _marks(strings[0]) != _marks(ids[0]):
                problem(f"placeholders {sorted(_marks(ids[0]))} became {sorted(_marks(strings[0]))}")
        else:
            allowed = set(_marks(ids[0])) | set(_marks(ids[1]))
            for number, text in enumerate(strings):
                extra = set(_marks(text)) - allowed
                if extra:
                    problem(f"plural form {number} has placeholders the English has not: {sorted(extra)}")
            if set(_marks(strings[-1])) != set(_marks(ids[1])):
                problem(f"the last plural form lacks {sorted(set(_marks(ids[1])) - set(_marks(strings[-1])))}")
        for text in strings:
            if _tags(text) != expected_tags:
                problem(f"markup {sorted(expected_tags)} became {sorted(_tags(text))}")
                break
    return problems


def main(paths: list[str]) -> int:
    found = [p for path in paths for p in check(path)]
    for problem in found:
        print(problem)
    print(f"{len(paths)} catalogues, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
