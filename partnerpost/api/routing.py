"""What the routes share: the /v1 router, paging parameters and answers, the Link header, response sets."""

from __future__ import annotations

from functools import wraps
from typing import Optional

from django.conf import settings
from ninja import Query, Router

from .schemas import NO_NUL, Error

v1 = Router()
PUBLIC_TAGS = ["Public reads"]
TOKEN_TAGS = ["Partner (token)"]


def _limit(value: Optional[int]) -> int:
    return value or settings.API_PAGE_SIZE


LIMIT = Query(None, ge=1, le=100, description="Rows per page (default 20, at most 100).")
CURSOR = Query(None, max_length=1000, pattern=NO_NUL, description="From the `next` URL of the previous page.")


def _next_url(request, cursor: str | None, limit: int) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    params["limit"] = str(limit)
    return request.build_absolute_uri(request.path + "?" + params.urlencode())


def _page(request, rows: list, cursor: str | None, limit: int) -> dict:
    next_url = _next_url(request, cursor, limit)
    if next_url:
        request._api_link = next_url
    return {"results": rows, "next": next_url, "limit": limit}


def _with_link(run):
    """Send the next page's URL as a Link header too."""

    @wraps(run)
    def wrapped(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        link = getattr(request, "_api_link", None)
        if link and response.status_code == 200:
            response["Link"] = f'<{link}>; rel="next"'
        return response

    return wrapped


READ = {304: None, 400: Error, 422: Error, 429: Error}
ONE = {304: None, 404: Error, 422: Error, 429: Error}
TOKEN = {401: Error, 422: Error, 429: Error}
