"""The task queue's own upkeep: queued once a day like any periodic task."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .models import PeriodicRun


@task()
def prune_task_history() -> dict:
    """Forget finished task results older than TASKS_KEEP_DAYS, and periodic-run rows older than two days
    (a row is only needed while its period can still be ticked)."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    results, _ = DBTaskResult.objects.finished().filter(
        finished_at__lt=now - dt.timedelta(days=settings.TASKS_KEEP_DAYS)
    ).delete()
    runs, _ = PeriodicRun.objects.filter(period_start__lt=now - dt.timedelta(days=2)).delete()
    return {"results": results, "periodic_runs": runs}
