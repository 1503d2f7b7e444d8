"""The periodic tasks, and the tick that queues each of them at most once per period.

django-tasks runs what is queued but has no clock. Every `partnerpost tasks worker` (and
`partnerpost tasks schedule`) ticks: for each periodic task whose current period has no `PeriodicRun`
row yet, it inserts the row and queues the task in the same transaction. The unique (name, period)
pair decides between workers that tick at the same moment, on PostgreSQL as on SQLite: the loser's
insert fails and it queues nothing. A period in which no worker ran is not made up for; the next one
runs, and the tasks are written so that one run catches up (publish_due_items starts where the
previous run stopped).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnerpost.content.tasks import publish_due_items, recount_live_total
from partnerpost.importer.feed_tasks import poll_partner_feeds
from partnerpost.registration.tasks import registration_upkeep

from .housekeeping import prune_task_history
from .models import PeriodicRun


@dataclass(frozen=True)
class Periodic:
    name: str
    task: object  # a django_tasks Task
    every: int  # seconds; periods are counted from 1970-01-01 UTC, so a day starts at midnight UTC

    def period_start(self, now: dt.datetime) -> dt.datetime:
        seconds = int(now.timestamp()) // self.every * self.every
        return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)


PERIODIC = (
    Periodic("publish_due_items", publish_due_items, 60),
    Periodic("prune_task_history", prune_task_history, 24 * 3600),
    Periodic("poll_partner_feeds", poll_partner_feeds, max(1, settings.FEEDS_POLL_MINUTES) * 60),
    Periodic("registration_upkeep", registration_upkeep, 5 * 60),
    Periodic("recount_live_total", recount_live_total, 24 * 3600),
)


@dataclass
class Ticked:
    job: Periodic
    period_start: dt.datetime
    result: object | None  # the TaskResult when this tick queued it; None when the period was already taken


def tick(now: dt.datetime | None = None, jobs=PERIODIC) -> list[Ticked]:
    """Queue every job whose current period is still free. Safe to call from any number of processes."""
    now = now or timezone.now()
    ticked = []
    for job in jobs:
        start = job.period_start(now)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    run = PeriodicRun.objects.create(name=job.name, period_start=start)
            except IntegrityError:
                ticked.append(Ticked(job, start, None))
                continue
            result = job.task.enqueue()
            run.result_id = str(result.id)
            run.save(update_fields=["result_id"])
        ticked.append(Ticked(job, start, result))
    return ticked
