"""Tables in PDF newsletters, read row by row.

PDFium hands out a table's text cell by cell, and wraps each cell on its own, so plain text extraction mixes
a row's date with the first words of its title and spreads the rest over many lines. Here the page's text runs
(PDFium "rects", each with its position) are laid out again: a header line with three or more separate runs
gives the columns; runs below it are sorted into columns by their left edge and into rows by the vertical
gaps between them. Each row then reads "date · title · place · organizer", the form the calendar-entry rules
already understand; a row with a single cell that spans the columns (a partner's group label) becomes a
heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Run:
    text: str
    top: float  # points from the top of the page
    left: float
    right: float
    size: float
    bold: bool


def page_runs(textpage, height: float, style) -> list[Run]:
    """Every text run of the page with its box; `style(x, y)` gives (size, bold) at a point."""
    runs = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        text = " ".join(textpage.get_text_bounded(left, bottom, right, top).split())
        if not text:
            continue
        size, bold = style(left + 1, (top + bottom) / 2)
        runs.append(Run(text, round(height - top, 1), left, right, size or (top - bottom), bold))
    return runs


def _header(runs: list[Run]) -> list[Run] | None:
    """The first line of three or more short runs standing apart from each other: a table's header."""
    by_line: dict[int, list[Run]] = {}
    for run in runs:
        by_line.setdefault(round(run.top / 3), []).append(run)
    for key in sorted(by_line):
        line = sorted(by_line[key] + by_line.get(key + 1, []), key=lambda r: r.left)
        if len(line) < 3 or any(len(r.text) > 30 or r.text in "•·-" for r in line):
            continue
        gaps = [b.left - a.right for a, b in zip(line, line[1:])]
        if min(gaps) > 2 * max(r.size for r in line) and all(len(r.text.split()) <= 3 for r in line):
            return line
    return None


@dataclass
class Row:
    cells: list[list[Run]]
    group: bool = False

    @property
    def top(self) -> float:
        return min(run.top for cell in self.cells for run in cell)


def read_table(runs: list[Run]) -> tuple[float, float, list[Row]] | None:
    """(top, bottom, rows) of the page's table, or None when the page has none."""
    header = _header(runs)
    if not header:
        return None
    anchors = [run.left for run in header]
    header_top = header[0].top
    tolerance = 6.0
    body = sorted((r for r in runs if r.top > header_top + 2), key=lambda r: (r.top, r.left))
    table: list[Run] = []
    for run in body:
        if run.left < anchors[0] - tolerance:
            break  # text back at the margin: the table has ended
        table.append(run)
    if not table:
        return None
    line_step = _line_step(table)
    rows: list[Row] = []
    current: list[Run] = []
    lowest = None

    def column(run: Run) -> int:
        return max((i for i, x in enumerate(anchors) if x <= run.left + tolerance), default=0)

    def close():
        if current:
            cells: list[list[Run]] = [[] for _ in anchors]
            for run in current:
                cells[column(run)].append(run)
            spans = len(current) == 1 and current[0].right > anchors[1] + tolerance
            rows.append(Row(cells, group=spans))

    for run in table:
        spans = run.right > anchors[1] + tolerance and column(run) == 0
        if (not current and rows and rows[-1].group and run.bold and column(run) == 0
                and run.top - rows[-1].top < 2.2 * line_step):
            rows[-1].cells[0].append(run)  # a group label wrapped onto a second line
            continue
        if current and (spans or run.top > lowest + 1.6 * line_step):
            close()
            current, lowest = [], None
        current.append(run)
        lowest = run.top if lowest is None else max(lowest, run.top)
        if spans:
            close()
            current, lowest = [], None
    close()
    return header_top, max(run.top + run.size for run in table), rows


def _line_step(runs: list[Run]) -> float:
    """The usual distance from one line of a cell to the next."""
    steps = []
    by_left: dict[int, list[float]] = {}
    for run in runs:
        by_left.setdefault(round(run.left / 4), []).append(run.top)
    for tops in by_left.values():
        tops.sort()
        steps += [b - a for a, b in zip(tops, tops[1:]) if b - a > 1]
    if not steps:
        return max(run.size for run in runs) * 1.3
    steps.sort()
    return steps[len(steps) // 4]  # a low quartile: the plain line spacing, not the gaps between rows


def row_lines(row: Row) -> tuple[str, str]:
    """The row as one line ("date · title · place · organizer") and the remaining text of its cells."""
    if row.group:
        return _join([run.text for cell in row.cells for run in cell]), ""
    heads, details = [], []
    for cell in row.cells:
        if not cell:
            continue
        cell = sorted(cell, key=lambda r: (r.top, r.left))
        bold = [r.text for r in cell if r.bold]
        plain = [r.text for r in cell if not r.bold]
        if bold and plain and len(bold) < len(cell):
            heads.append(_join(bold))
            details.append(_join(plain))
        else:
            heads.append(_join([r.text for r in cell]))
    return " · ".join(h for h in heads if h), " ".join(details)


def _join(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if text.endswith("-") and part[:1].islower():
            text = text[:-1] + part
        elif text.endswith("/"):
            text += part
        else:
            text = f"{text} {part}" if text else part
    return re.sub(r"\s+", " ", text).strip()
