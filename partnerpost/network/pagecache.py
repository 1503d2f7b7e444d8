"""Whole public pages kept for anonymous readers, until the content changes.

Listing and search pages cost many times more than the content they show changes: readers ask for the same
archive page, the same search, again and again. For visitors who are not signed in (who all see the same
page), a GET answer is kept in the cache under its address, the active language and the content version
(moved on by every saved item, partner or edition, and the same in every process: see `paging`), for at most a minute — an item
scheduled to go live appears with no save. Signed-in people, POSTs, and answers that set cookies or carry a
one-time message are never kept.

Only the query parameters that public pages read make a page's address (PAGE_PARAMS); any other one is
dropped before the view runs, so the view renders, counts and caches exactly the page without it. A crawler
adding random parameters then gets the kept page (and the kept total) instead of tying up a worker each time.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils.translation import get_language

from .paging import current_version

PAGE_SECONDS = 60

#: The query parameters public pages read: the item filters (content.filters.NAMES), the page number, the
#: search words and the calendar's month. tests/network/test_pagecache_params.py keeps it in line with the filters.
PAGE_PARAMS = frozenset({"page", "q", "month", "kind", "partner", "theme", "region", "country", "language", "year",
                         "date_from", "date_to"})


def _drop_unknown_params(request) -> None:
    """Remove the parameters no public page reads, from request.GET and from the query string alike."""
    if all(name in PAGE_PARAMS for name in request.GET):
        return
    kept = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name in PAGE_PARAMS:
            kept.setlist(name, values)
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def for_anonymous(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (request.method not in ("GET", "HEAD") or request.user.is_authenticated
                or "messages" in request.COOKIES):
            return view(request, *args, **kwargs)
        _drop_unknown_params(request)
        # The site's address is part of the key: pages carry absolute links, which follow SITE_URL.
        path = hashlib.sha1(f"{settings.SITE_URL} {request.get_full_path()}".encode()).hexdigest()
        key = f"page:{current_version()}:{get_language()}:{path}"
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if (response.status_code == 200 and not getattr(response, "streaming", False) and not response.cookies
                and not getattr(request, "_messages", None)):
            cache.set(key, (response.content, response["Content-Type"]), PAGE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapped
