"""What /readyz checks: each dependency a web process needs before it should be sent requests."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder


def _database() -> dict:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "engine": connections[DEFAULT_DB_ALIAS].vendor}


#: The number of applied-migration rows when every migration of this code was last found applied. Loading
#: the migration graph costs tens of milliseconds; the code's migrations cannot change while the process runs,
#: so while the row count stays the same the answer does too.
_all_applied_at = None


def _migrations() -> dict:
    global _all_applied_at
    connection = connections[DEFAULT_DB_ALIAS]
    rows = MigrationRecorder(connection).migration_qs.count()
    if rows == _all_applied_at:
        return {"ok": True}
    loader = MigrationExecutor(connection).loader
    missing = [f"{app}.{name}" for app, name in sorted(set(loader.graph.nodes) - set(loader.applied_migrations))]
    if missing:
        return {"ok": False, "error": f"{len(missing)} migration(s) not applied; run `partnerpost migrate`",
                "unapplied": missing[:20]}
    _all_applied_at = rows
    return {"ok": True}


def _cache() -> dict:
    backend = settings.CACHES["default"]["BACKEND"]
    ping = getattr(cache, "ping_shared", None)
    if ping is not None:  # the shared (Redis) cache: ask it, not the per-process stand-in
        ping()
        return {"ok": True, "backend": "redis"}
    cache.set("readyz", "1", 5)
    if cache.get("readyz") != "1":
        return {"ok": False, "error": "the cache did not keep a value"}
    return {"ok": True, "backend": backend.rsplit(".", 1)[-1]}


def _task_queue() -> dict:
    if settings.TASKS_BACKEND != "database":
        return {"ok": True, "backend": settings.TASKS_BACKEND}
    from django_tasks_db.models import DBTaskResult

    return {"ok": True, "backend": "database", "ready": DBTaskResult.objects.ready().count()}


def _media() -> dict:
    """Object storage (MEDIA_STORAGE=s3): the bucket answers. The file system needs no network."""
    from django.core.files.storage import default_storage

    reachable = getattr(default_storage, "reachable", None)
    if reachable is None:
        return {"ok": True, "backend": "filesystem"}
    reachable()
    return {"ok": True, "backend": "s3"}


CHECKS = {"database": _database, "migrations": _migrations, "cache": _cache, "task_queue": _task_queue,
          "media": _media}


def readiness() -> dict:
    """Every check's outcome, and the names of those that failed."""
    results = {}
    for name, check in CHECKS.items():
        if name in ("migrations", "task_queue") and not results["database"]["ok"]:
            results[name] = {"ok": False, "error": "the database is unreachable"}
            continue
        try:
            results[name] = check()
        except Exception as exc:  # any failure of a dependency is an answer here, not a crash
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {str(exc).strip()[:300]}"}
    failing = [name for name, outcome in results.items() if not outcome["ok"]]
    return {"status": "ready" if not failing else "unavailable", "failing": failing, "checks": results}
