"""Cursor pagination over a stable order.

A cursor is the sort key of the last row of a page, signed so nobody can forge one and
scoped to its endpoint so a cursor of one list cannot be fed to another. Rows added or
removed between two requests never make a page repeat or skip what is still there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.db.models import Q


class CursorError(ValueError):
    """The cursor was not given out by this endpoint."""


def encode(scope: str, values: list) -> str:
    return signing.dumps(values, salt=f"partnerpost.api.cursor.{scope}")


def decode(scope: str, cursor: str, length: int) -> list:
    try:
        values = signing.loads(cursor, salt=f"partnerpost.api.cursor.{scope}")
    except (signing.BadSignature, ValueError, UnicodeError):
        values = None
    if not isinstance(values, list) or len(values) != length:
        raise CursorError(
            "cursor: this is not a cursor this list gave out. Use the `next` link of the previous page, "
            "or leave the cursor out to start at the first page."
        )
    return values


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Keyset:
    """An ordering by several columns, the last one unique (usually the id)."""

    scope: str
    #: (name, descending) pairs; names may be annotations of the queryset
    keys: tuple[tuple[str, bool], ...]

    def order(self) -> list[str]:
        return [("-" if desc else "") + name for name, desc in self.keys]

    def _after(self, values: list) -> Q:
        condition = Q()
        for i, (name, desc) in enumerate(self.keys):
            step = Q(**{f"{name}__{'lt' if desc else 'gt'}": values[i]})
            for earlier, (other, _) in enumerate(self.keys[:i]):
                step &= Q(**{other: values[earlier]})
            condition |= step
        return condition

    def page(self, queryset, cursor: str | None, limit: int) -> tuple[list, str | None]:
        """(rows of this page, cursor of the next page or None)."""
        queryset = queryset.order_by(*self.order())
        if cursor:
            queryset = queryset.filter(self._after(decode(self.scope, cursor, len(self.keys))))
        rows = list(queryset[: limit + 1])
        if len(rows) <= limit:
            return rows, None
        rows = rows[:limit]
        last = rows[-1]
        return rows, encode(self.scope, [_plain(getattr(last, name)) for name, _ in self.keys])
