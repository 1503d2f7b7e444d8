"""Fixed-window request counters in Django's cache (Redis in production, so all processes share them),
and the one rule for a request's client address. Any app may use them: the API counts reads per
client address and writes per token; the subscription form counts posts per client address.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    #: seconds until the window ends and the count starts again
    reset: int

    def headers(self) -> dict[str, str]:
        if not self.limit:
            return {}
        values = {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(self.remaining),
                  "X-RateLimit-Reset": str(self.reset)}
        if not self.allowed:
            values["Retry-After"] = str(self.reset)
        return values


def hit(bucket: str, limit: int, window: int | None = None) -> Verdict:
    """Count one request in the bucket's current window (API_RATE_WINDOW seconds unless given).
    A limit of 0 means no limit."""
    window = max(1, window or settings.API_RATE_WINDOW)
    if limit <= 0:
        return Verdict(True, 0, 0, 0)
    now = time.time()
    start = int(now // window * window)
    key = f"rate:{hashlib.sha256(bucket.encode()).hexdigest()[:24]}:{window}:{start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    reset = max(1, math.ceil(start + window - now))
    return Verdict(count <= limit, limit, max(0, limit - count), reset)


def client_ip(request) -> str:
    """The caller's address ('' when unknown). Behind API_TRUSTED_PROXIES reverse proxies (the setting
    applies to the whole site, not only the API), it is read from X-Forwarded-For: the address the
    outermost trusted proxy saw, so a client cannot choose its own by sending the header."""
    proxies = settings.API_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [part.strip() for part in forwarded.split(",") if part.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "") or ""
