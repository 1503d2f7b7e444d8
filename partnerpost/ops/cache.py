"""The shared cache (Redis) that degrades to a per-process memory cache when Redis goes away.

With CACHE_URL=redis://..., every process and machine shares rate-limit counters, kept pages, page totals,
the content version and cached sessions through Redis. If Redis stops answering (refused, reset, timed out),
a request must not fail with a 500: this backend logs one warning, then serves every call from the
process's own memory cache, and tries Redis again every RETRY_SECONDS, logging again when it answers.

While Redis is away:
- rate limits count per process (each process allows the full rate), kept pages and totals are per process,
  and a change made in one process may be seen by the others only when their kept page expires (a minute);
- sessions are read from and written to the database only (they are `cached_db` sessions): no session is
  kept in process memory, where a sign-out made in another process would not reach it. The session keys
  written or deleted meanwhile are remembered, and deleted from Redis when it answers again, so a copy
  Redis held from before the outage cannot bring back a session that was signed out or changed.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5
#: Django's cached_db session keys start with this.
SESSION_PREFIX = "django.contrib.sessions.cache"
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
_WRITES = {"set", "add", "touch", "delete", "incr", "set_many", "delete_many"}


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params):
        options = {"socket_connect_timeout": 1, "socket_timeout": 2, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._local = LocMemCache(f"partnerpost-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._lock = threading.Lock()
        self._down_until = 0.0  # 0 while Redis answers; else when to try it again
        self._stale_sessions: set[str] = set()

    @property
    def shared_available(self) -> bool:
        return not self._down_until

    def ping_shared(self) -> None:
        """Ask Redis itself (for /readyz); raises when it does not answer."""
        self._cache.get_client(write=True).ping()

    def _went_away(self, exc: Exception) -> None:
        with self._lock:
            first = not self._down_until
            self._down_until = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning("The shared cache (Redis at %s) does not answer (%s): this process uses its own memory "
                           "cache until it does; rate limits and kept pages are per process meanwhile.",
                           self._servers[0], exc)

    def _came_back(self) -> None:
        """Redis answers again: first drop its copies of the sessions changed meanwhile, then use it."""
        with self._lock:
            stale = list(self._stale_sessions)
        if stale:
            RedisCache.delete_many(self, stale)  # raises if Redis is still away: then nothing changes
        with self._lock:
            self._stale_sessions.difference_update(stale)
            self._down_until = 0.0
        logger.warning("The shared cache (Redis at %s) answers again; %d session copy(ies) changed meanwhile were "
                       "dropped from it.", self._servers[0], len(stale))

    def _call(self, method: str, keys: list, *args, **kwargs):
        if not self._down_until or time.monotonic() >= self._down_until:
            try:
                if self._down_until:
                    self._came_back()  # before any read, so no stale session copy is ever read
                return getattr(RedisCache, method)(self, *args, **kwargs)
            except _UNREACHABLE as exc:
                self._went_away(exc)
        return self._fallback(method, keys, *args, **kwargs)

    def _fallback(self, method: str, keys: list, *args, **kwargs):
        sessions = [key for key in keys if str(key).startswith(SESSION_PREFIX)]
        if sessions:  # sessions go to the database only; Redis's copy is dropped when it comes back
            if method in _WRITES:
                with self._lock:
                    self._stale_sessions.update(sessions)
            if len(sessions) == len(keys):
                return {"get": kwargs.get("default", args[1] if len(args) > 1 else None), "get_many": {},
                        "has_key": False, "add": False, "touch": False, "delete": True, "set_many": [],
                        "delete_many": None, "set": None}.get(method)
        return getattr(self._local, method)(*args, **kwargs)

    # Each public call tries Redis first, then the process's own cache.
    def add(self, key, *args, **kwargs):
        return self._call("add", [key], key, *args, **kwargs)

    def get(self, key, *args, **kwargs):
        return self._call("get", [key], key, *args, **kwargs)

    def set(self, key, *args, **kwargs):
        return self._call("set", [key], key, *args, **kwargs)

    def touch(self, key, *args, **kwargs):
        return self._call("touch", [key], key, *args, **kwargs)

    def delete(self, key, *args, **kwargs):
        return self._call("delete", [key], key, *args, **kwargs)

    def has_key(self, key, *args, **kwargs):
        return self._call("has_key", [key], key, *args, **kwargs)

    def incr(self, key, *args, **kwargs):
        return self._call("incr", [key], key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        keys = list(keys)
        return self._call("get_many", keys, keys, *args, **kwargs)

    def set_many(self, data, *args, **kwargs):
        return self._call("set_many", list(data), data, *args, **kwargs)

    def delete_many(self, keys, *args, **kwargs):
        keys = list(keys)
        return self._call("delete_many", keys, keys, *args, **kwargs)

    def clear(self):
        return self._call("clear", [])
