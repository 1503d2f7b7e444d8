"""The periodic poll of partners' feeds, run by the task worker (see partnerpost.tasks.schedule)."""

from __future__ import annotations

from django_tasks import task

from .feed_workflows import poll_feeds


@task()
def poll_partner_feeds() -> dict:
    """Poll every active feed once. Returns the totals and the feeds that failed."""
    reports = poll_feeds()
    return {
        "feeds": len(reports),
        "new": sum(r["new"] for r in reports),
        "updated": sum(r["updated"] for r in reports),
        "skipped": sum(r["skipped"] for r in reports),
        "failed": {r["url"]: r["error"] for r in reports if r["error"]},
    }
