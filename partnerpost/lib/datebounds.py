"""The range of dates Partnerpost accepts and shows: 1900-01-01 to 2100-12-31. No Django here.

Nothing the network publishes lies outside it, and everything that computes with dates (the day
after an event, a time in another zone, the month after this one) stays far from the limits of
Python's `date` (years 1 to 9999), where such arithmetic overflows.
"""

from __future__ import annotations

import datetime as dt

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


def as_date(value) -> dt.date | None:
    """The calendar date of a date or datetime (its own, not converted to another zone)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def in_range(value) -> bool:
    """True for a date or datetime within EARLIEST..LATEST, and for None (no date at all)."""
    day = as_date(value)
    return day is None or EARLIEST <= day <= LATEST

