"""Whole public pages kept for anonymous readers, until the content changes.

Listing and search pages cost many times more than the content they show changes: readers ask for the same
archive page, the same search, again and again. For visitors who are not signed in (who all see the same
page), a GET answer is kept in the cache under its address, the active language and the content version
(moved on by every saved item, partner or edition, and the same in every process: see `paging`), for at most a minute — an item
scheduled to go live appears with no save. Signed-in people, POSTs, and answers that set cookies or carry a
one-time message are never kept.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

from .paging import current_version

PAGE_SECONDS = 60


def for_anonymous(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (request.method not in ("GET", "HEAD") or request.user.is_authenticated
                or "messages" in request.COOKIES):
            return view(request, *args, **kwargs)
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
