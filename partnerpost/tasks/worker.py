"""The task worker: django-tasks-db's worker, one task at a time, with the periodic tick between tasks.

django-tasks-db's own loop (`db_worker`) claims a ready task under a row lock (SKIP LOCKED on PostgreSQL,
an exclusive transaction on SQLite), runs it and records the outcome. It is used here one task per round,
so that between two tasks, and while the queue is empty, this loop can tick the periodic schedule and
notice a stop request.

Stopping: the first SIGINT or SIGTERM lets the task under way finish, then the worker exits; a second one
interrupts the task (it is recorded as failed) and exits.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable

from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as _DatabaseWorker

from . import schedule


class _OneRound(_DatabaseWorker):
    """django-tasks-db's worker, counting and reporting the tasks it runs."""

    def __init__(self, *, report, **options):
        super().__init__(**options)
        self.report = report
        self.ran = 0

    def run_task(self, db_task_result):
        started = time.monotonic()
        try:
            super().run_task(db_task_result)
        finally:
            self.ran += 1
            self.report(db_task_result, time.monotonic() - started)


def default_worker_id() -> str:
    return f"{socket.gethostname()[:48]}-{os.getpid()}"


class TaskWorker:
    def __init__(self, *, queues: list[str], interval: float = 1.0, max_tasks: int | None = None,
                 until_empty: bool = False, periodic: bool = True, worker_id: str | None = None,
                 report: Callable = lambda result, seconds: None, on_tick: Callable = lambda ticked: None):
        self.queues, self.interval, self.max_tasks = queues, interval, max_tasks
        self.until_empty, self.periodic = until_empty, periodic
        self.worker_id = worker_id or default_worker_id()
        self.report, self.on_tick = report, on_tick
        self.ran = 0
        self.stopping = False
        self._round = None
        self._seen = {}  # periodic task name -> the last period this worker ticked

    def stop(self, signum=None, frame=None):
        if self.stopping:
            raise KeyboardInterrupt  # asked twice: do not wait for the task any longer
        self.stopping = True
        if self._round is not None:
            self._round.running = False  # django-tasks-db's loop ends after the task under way

    def tick(self):
        """Tick the jobs whose period changed since this worker last looked: one insert per job and period."""
        now = timezone.now()
        due = [job for job in schedule.PERIODIC if self._seen.get(job.name) != job.period_start(now)]
        if not due:
            return
        ticked = schedule.tick(now, due)
        for t in ticked:
            self._seen[t.job.name] = t.period_start
        self.on_tick(ticked)

    def run(self) -> int:
        """Work until stopped (or until the queue is empty, or max_tasks ran). Returns the tasks run."""
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            while not self.stopping:
                close_old_connections()
                if self.periodic:
                    self.tick()
                self._round = _OneRound(
                    report=self.report, queue_names=self.queues, interval=self.interval, batch=True,
                    backend_name="default", startup_delay=False, max_tasks=1, worker_id=self.worker_id,
                    excluded_queue_names=[],
                )
                if self.stopping:
                    break
                self._round.run()
                ran, self._round = self._round.ran, None
                self.ran += ran
                if self.max_tasks is not None and self.ran >= self.max_tasks:
                    break
                if not ran:
                    if self.until_empty:
                        break
                    self._sleep(self.interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return self.ran

    def _sleep(self, seconds: float):
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
