"""CSV that spreadsheets read as data, never as formulas. No Django here.

A cell beginning with =, +, -, @, a tab or a carriage return is taken by Excel, LibreOffice and
Google Sheets as the start of a formula (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3`), even inside quotes.
Every CSV the product writes goes through `writer()`, which puts an apostrophe before such a cell:
spreadsheets then show the text as typed, and a person reading the file sees what was stored.
"""

from __future__ import annotations

import csv

#: The first characters that make a spreadsheet evaluate a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a cell that no spreadsheet evaluates. Numbers, dates and None pass unchanged;
    text that a spreadsheet would evaluate gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer with every cell passed through `safe_cell`."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **options) -> SafeWriter:
    """The one way the product writes CSV: like csv.writer, with formula cells neutralized."""
    return SafeWriter(stream, **options)
