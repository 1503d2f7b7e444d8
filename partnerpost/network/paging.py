"""Pages of published items whose total is counted once, not on every request; the content version.

Counting a million live items takes longer than reading the page itself, and the total only changes
when an item does. The count is kept in the cache under the page's address (without its page number)
and a content version that every item change moves on; it also expires after a minute, because an item
scheduled to go live appears without any change being saved.

The content version must be the same in every process. With a shared cache (CACHE_URL=redis://...) it
lives there. With the default memory cache each process has its own cache, so the version lives in a
small file instead (CONTENT_VERSION_FILE, in PARTNERPOST_VAR_DIR): a change made in one process (a
withdrawal) writes a new version there, and every other process reads it before it answers from its
own cache, so none keeps serving the old page.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import tempfile
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator

VERSION_KEY = "content-version"
COUNT_SECONDS = 60

logger = logging.getLogger(__name__)

#: Cache backends whose entries live in one process only.
_PROCESS_LOCAL = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


def _version_file() -> Path | None:
    """The shared file that holds the version, or None when the cache itself is shared."""
    if settings.CACHES["default"]["BACKEND"] not in _PROCESS_LOCAL:
        return None
    return Path(settings.CONTENT_VERSION_FILE)


def current_version() -> str:
    """The content version every process agrees on; it changes with every item, partner or edition."""
    path = _version_file()
    if path is None:
        return str(cache.get(VERSION_KEY, 0))
    try:
        return path.read_text(encoding="ascii").strip() or "0"
    except FileNotFoundError:
        return "0"
    except OSError as exc:  # unreadable: keep nothing rather than risk a stale page
        logger.warning("Cannot read the content version from %s (%s): pages are not kept", path, exc)
        return secrets.token_hex(8)


def bump_version(**kwargs) -> None:
    """Called on every item change: every cached count and kept page is stale from now on, in every process."""
    path = _version_file()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A new random value, not a count: two processes bumping at once still both move it on.
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".content-version-")
            with os.fdopen(handle, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(8))
            os.replace(temporary, path)
            return
        except OSError as exc:
            logger.warning("Cannot write the content version to %s (%s): other processes may show stale pages "
                           "for up to a minute", path, exc)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


#: How many items a kept total counts at most. Beyond it the list says "10,000+" and its pages stop there:
#: counting every item of a broad filter (a theme, a region) at a million items took seconds, and that count ran
#: again whenever the content changed.
COUNT_CAP = 10_000


class CachedCountPaginator(Paginator):
    """Counts at most `cap` items (and one more, to know there are more), once per content version and list.
    When there are more, `capped` is true, `count` is `cap` and the pages end at `cap` items."""

    def __init__(self, object_list, per_page, *, key: str, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        # `key` names the list (the caller leaves out the page number and anything that does not change it).
        self._key = hashlib.sha1(key.encode()).hexdigest()
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def _counted(self) -> int:
        """Up to cap + 1."""
        key = f"count:{current_version()}:{self.cap}:{self._key}"
        total = cache.get(key)
        if total is None:
            # Unordered and limited: the database stops after cap + 1 rows instead of counting them all.
            total = self.object_list.order_by()[: self.cap + 1].count()
            cache.set(key, total, COUNT_SECONDS)
        return total

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap

    @property
    def cap_label(self) -> str:
        """The cap as the active language writes a number, with its digit groups: "10,000", "10 000"."""
        from django.utils.formats import number_format

        return number_format(self.cap, force_grouping=True)


class KnownCountPaginator(Paginator):
    """Pages of a list whose total is already known (kept elsewhere, never counted here)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known
