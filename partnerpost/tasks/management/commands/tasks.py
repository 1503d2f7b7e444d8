import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partnerpost.tasks import schedule
from partnerpost.tasks.worker import TaskWorker

STATUSES = ["ready", "running", "successful", "failed"]


def _positive_number(text, name, kind=float, minimum=0):
    try:
        value = kind(text)
    except ValueError:
        raise CommandError(f"{name} must be a number, not {text!r}.") from None
    if not value >= minimum:  # also refuses nan
        raise CommandError(f"{name} must be at least {minimum}, not {text}.")
    return value


def _database_backend():
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        raise CommandError(
            f"TASKS_BACKEND is {settings.TASKS_BACKEND!r}: tasks run where they are queued, so there is no queue "
            "to work through or list. Set TASKS_BACKEND=database for a worker."
        )
    return backend


class Command(BaseCommand):
    help = (
        "Background tasks (django-tasks). `partnerpost tasks worker` runs queued tasks and queues the periodic "
        "ones; `partnerpost tasks schedule` queues the periodic tasks due now; `partnerpost tasks list` shows "
        "recent results. Newsletters are sent by `partnerpost worker`, not here."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        worker = sub.add_parser("worker", help="Run queued tasks, and queue the periodic ones, until stopped (Ctrl-C).")
        worker.add_argument("--queue", default="default", help="Comma-separated queue names, or * for all (default: default).")
        worker.add_argument("--interval", default="1", help="Seconds between looks at an empty queue (default: 1).")
        worker.add_argument("--max-tasks", help="Exit after running this many tasks.")
        worker.add_argument("--until-empty", action="store_true", help="Exit once nothing is ready to run.")
        worker.add_argument("--no-periodic", action="store_true",
                            help="Only run queued tasks; leave the periodic ones to other workers.")
        worker.add_argument("--worker-id", help="A name for this worker in task results (default: host-pid).")
        sub.add_parser("schedule", help="Queue the periodic tasks whose current period nobody queued yet, and list them.")
        listing = sub.add_parser("list", help="The most recent task results, newest first.")
        listing.add_argument("--limit", default="20", help="How many (1 to 1000, default 20).")
        listing.add_argument("--status", choices=STATUSES, help="Only results in this state.")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    # -- worker ---------------------------------------------------------------------------------

    def handle_worker(self, *, queue, interval, max_tasks, until_empty, no_periodic, worker_id, verbosity, **options):
        _database_backend()
        queues = [name.strip() for name in queue.split(",") if name.strip()]
        if not queues:
            raise CommandError("--queue needs at least one queue name (or * for all).")
        known = settings.TASKS["default"].get("QUEUES") or []
        unknown = [name for name in queues if name != "*" and known and name not in known]
        if unknown:
            raise CommandError(f"No queue named {', '.join(unknown)}; the queues are: {', '.join(known)}.")
        interval = _positive_number(interval, "--interval")
        if max_tasks is not None:
            max_tasks = _positive_number(max_tasks, "--max-tasks", int, 1)
        if worker_id is not None and not 0 < len(worker_id) <= 64:
            raise CommandError("--worker-id must be 1 to 64 characters long.")

        def report(db_result, seconds):
            status = db_result.status.lower()
            line = f"{timezone.localtime():%H:%M:%S} {db_result.task_name} {status} in {seconds:.2f} s"
            if status == "failed":
                self.stderr.write(f"{line}: {db_result.exception_class_path}")
            elif verbosity >= 1:
                self.stdout.write(line + (f": {db_result.return_value}" if db_result.return_value is not None else ""))

        def on_tick(ticked):
            if verbosity >= 2:
                for t in ticked:
                    if t.result is not None:
                        self.stdout.write(f"Queued {t.job.name} for the period from {t.period_start:%Y-%m-%d %H:%M:%S} UTC.")

        worker = TaskWorker(queues=queues, interval=interval, max_tasks=max_tasks, until_empty=until_empty,
                            periodic=not no_periodic, worker_id=worker_id, report=report, on_tick=on_tick)
        if verbosity >= 1 and not until_empty:
            self.stdout.write(f"Task worker {worker.worker_id} on queue {', '.join(queues)}"
                              f"{'' if no_periodic else ', with the periodic schedule'}. Ctrl-C stops it after the task under way.")
        try:
            ran = worker.run()
        except KeyboardInterrupt:
            self.stderr.write("Stopped at once; a task under way is recorded as failed.")
            sys.exit(1)
        if verbosity >= 1:
            self.stdout.write(f"Task worker stopped after {ran} task{'' if ran == 1 else 's'}.")

    # -- schedule -------------------------------------------------------------------------------

    def handle_schedule(self, **options):
        for t in schedule.tick():
            when = f"{t.period_start:%Y-%m-%d %H:%M:%S} UTC"
            every = f"every {t.job.every // 60} min" if t.job.every < 86400 else f"every {t.job.every // 86400} day"
            if t.result is None:
                self.stdout.write(f"{t.job.name} ({every}): already queued for the period from {when}.")
            else:
                self.stdout.write(f"{t.job.name} ({every}): queued for the period from {when} ({t.result.status.lower()}).")

    # -- list -----------------------------------------------------------------------------------

    def handle_list(self, *, limit, status, **options):
        from django_tasks_db.models import DBTaskResult

        limit = _positive_number(limit, "--limit", int, 1)
        if limit > 1000:
            raise CommandError(f"--limit must be at most 1000, not {limit}.")
        _database_backend()
        results = DBTaskResult.objects.order_by("-enqueued_at")
        if status:
            results = results.filter(status=status.upper())
        rows = list(results[:limit])
        if not rows:
            self.stdout.write("No task results" + (f" with status {status}." if status else " yet."))
            return
        self.stdout.write(f"{'queued':<19}  {'task':<24}  {'status':<10}  {'took':>8}  id")
        for row in rows:
            took = f"{(row.finished_at - row.started_at).total_seconds():.2f} s" if row.finished_at and row.started_at else ""
            line = (f"{timezone.localtime(row.enqueued_at):%Y-%m-%d %H:%M:%S}  {row.task_name:<24}  "
                    f"{row.status.lower():<10}  {took:>8}  {row.id}")
            if row.status == "FAILED":
                line += f"  {row.exception_class_path}: {_last_line(row.traceback)}"
            self.stdout.write(line)


def _last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1].split(": ", 1)[-1] if lines else ""
