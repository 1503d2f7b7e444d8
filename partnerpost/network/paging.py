"""Pages of published items whose total is counted once, not on every request.

Counting a million live items takes longer than reading the page itself, and the total only changes
when an item does. The count is kept in the cache under the page's address (without its page number)
and a content version that every item change moves on; it also expires after a minute, because an item
scheduled to go live appears without any change being saved.
"""

from __future__ import annotations

import hashlib
from functools import cached_property

from django.core.cache import cache
from django.core.paginator import Paginator

VERSION_KEY = "content-version"
COUNT_SECONDS = 60


def bump_version(**kwargs) -> None:
    """Called on every item change: every cached count is stale from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


class CachedCountPaginator(Paginator):
    def __init__(self, object_list, per_page, *, key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        path, _sep, query = key.partition("?")
        parts = sorted(p for p in query.split("&") if p and not p.startswith("page="))
        self._key = hashlib.sha1(f"{path}?{'&'.join(parts)}".encode()).hexdigest()

    @cached_property
    def count(self) -> int:
        version = cache.get(VERSION_KEY, 0)
        key = f"count:{version}:{self._key}"
        total = cache.get(key)
        if total is None:
            total = super().count
            cache.set(key, total, COUNT_SECONDS)
        return total
