"""Around every operation: read limits per client address, then cacheable, conditional GET answers (ETag, 304)."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from partnerpost.network import ratelimit

from .auth import SAFE_METHODS, too_many
from .errors import RateLimited
from .handlers import error_response


def for_read(request) -> ratelimit.Verdict:
    """Reads are counted per client address."""
    return ratelimit.hit(f"read:{ratelimit.client_ip(request) or 'unknown'}", settings.API_READ_RATE)


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    bare = etag.strip('"')
    return any(tag.removeprefix("W/").strip('"') == bare for tag in parse_etags(header))


def guarded(run):
    """Around every operation: count reads per client address, then make GET answers cacheable and conditional."""

    @wraps(run)
    def wrapped(request, *args, **kwargs):
        verdict = None
        if request.method in SAFE_METHODS:
            verdict = for_read(request)
            if not verdict.allowed:
                return error_response(request, RateLimited(too_many(verdict), headers=verdict.headers()))
        response = run(request, *args, **kwargs)
        verdict = getattr(request, "api_rate", None) or verdict
        if verdict is not None:
            for name, value in verdict.headers().items():
                response.headers.setdefault(name, value)
        if request.method == "GET" and response.status_code == 200:
            response = _conditional(request, response)
        return response

    return wrapped


def _conditional(request, response):
    etag = _etag(response.content)
    response["ETag"] = etag
    if getattr(request, "api_token", None) is not None:
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Authorization"])
    else:
        response["Cache-Control"] = f"public, max-age={settings.API_CACHE_SECONDS}"
    if _matches(request.headers.get("If-None-Match", ""), etag):
        not_modified = HttpResponse(status=304)
        for name in ("ETag", "Cache-Control", "Vary", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
            if name in response:
                not_modified[name] = response[name]
        return not_modified
    return response
