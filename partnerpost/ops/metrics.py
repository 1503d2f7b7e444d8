"""Prometheus metrics: what each process counts, and what the database knows, read at scrape time.

Two kinds of figures, because the web server runs several worker processes (granian --workers N) and the
scrape reaches only one of them:

- Request counts and latencies (and search latency) are counted by the process that answered. With
  PROMETHEUS_MULTIPROC_DIR set (the Dockerfile, compose file and systemd units set it), prometheus-client
  writes them to memory-mapped files in that directory and /metrics adds up every process's files, so any
  worker answers for all of them. Without it, each process reports only its own requests (fine for one
  process, misleading behind several). The directory must be emptied when the server (re)starts.
- Deliveries by state, the delivery rate, queue depths, task failures, imports and bounces are facts held
  in the database; they are counted when /metrics is read (the `DatabaseCollector`), so every process and
  every machine gives the same answer and nothing has to be shared between processes.
"""

from __future__ import annotations

import datetime as dt
import os

from django.db import DatabaseError
from django.db.models import Count, Sum
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

disable_created_metrics()  # the *_created series only double the output

#: The registry of this process's own counters (used as is when not in multi-process mode).
PROCESS = CollectorRegistry(auto_describe=True)

REQUESTS = Counter("partnerpost_http_requests", "HTTP requests answered, by view, method and status.",
                   ["view", "method", "status"], registry=PROCESS)
LATENCY = Histogram("partnerpost_http_request_duration_seconds", "Time to answer a request, by view.", ["view"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), registry=PROCESS)
SEARCH_LATENCY = Histogram("partnerpost_search_duration_seconds",
                           "Time to answer a search (portal page or API), from request to response.", ["face"],
                           buckets=(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5), registry=PROCESS)

#: The minutes over which the delivery rate is averaged.
RATE_MINUTES = 5


def multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def observe_request(view: str, method: str, status: int, seconds: float, *, search_face: str = "") -> None:
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view).observe(seconds)
    if search_face:
        SEARCH_LATENCY.labels(face=search_face).observe(seconds)


class DatabaseCollector:
    """Figures counted in the database when /metrics is read."""

    def describe(self):
        return []

    def collect(self):
        up = GaugeMetricFamily("partnerpost_database_up", "1 when the database answered this scrape's queries.")
        try:
            families = list(self._families())
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self):
        from django_tasks_db.models import DBTaskResult

        from partnerpost.audience.models import Subscriber
        from partnerpost.audience.enums import SubscriberStatus
        from partnerpost.importer.models import Decision, ImportBatch, ImportCandidate, ImportJob, JobState
        from partnerpost.mailing.models import Delivery, DeliveryStatus

        by_state = dict(Delivery.objects.values_list("status").annotate(n=Count("pk")).order_by())
        deliveries = GaugeMetricFamily("partnerpost_deliveries", "Delivery rows (one email of an edition to a "
                                       "subscriber, or of a message to a registrant) by state.",
                                       labels=["state"])
        for state in DeliveryStatus.values:
            deliveries.add_metric([state], by_state.get(state, 0))
        yield deliveries

        sent = CounterMetricFamily("partnerpost_deliveries_sent", "Emails of editions accepted by the relay, ever "
                                   "(use rate() for the sending rate).")
        sent.add_metric([], by_state.get(DeliveryStatus.SENT, 0))
        yield sent

        since = timezone.now() - dt.timedelta(minutes=RATE_MINUTES)
        recent = Delivery.objects.filter(status=DeliveryStatus.SENT, sent_at__gte=since).count()
        rate = GaugeMetricFamily("partnerpost_delivery_rate_per_second",
                                 f"Emails of editions sent per second over the last {RATE_MINUTES} minutes.")
        rate.add_metric([], round(recent / (RATE_MINUTES * 60), 3))
        yield rate

        tasks = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")).order_by())
        depth = GaugeMetricFamily("partnerpost_queue_depth", "Work waiting: deliveries not yet sent (waiting or "
                                  "being sent) and background tasks ready to run.", labels=["queue"])
        depth.add_metric(["deliveries"], by_state.get(DeliveryStatus.PENDING, 0) + by_state.get(DeliveryStatus.SENDING, 0))
        depth.add_metric(["tasks"], tasks.get("READY", 0))
        yield depth

        task_family = GaugeMetricFamily("partnerpost_tasks", "Background task results kept (TASKS_KEEP_DAYS), by status.",
                                        labels=["status"])
        for status in ("READY", "RUNNING", "SUCCESSFUL", "FAILED"):
            task_family.add_metric([status.lower()], tasks.get(status, 0))
        yield task_family
        failures = GaugeMetricFamily("partnerpost_task_failures", "Background tasks that failed, among those kept.")
        failures.add_metric([], tasks.get("FAILED", 0))
        yield failures

        imports = CounterMetricFamily("partnerpost_imports", "Newsletters imported (analysed into candidate items).")
        imports.add_metric([], ImportBatch.objects.count())
        yield imports
        jobs = dict(ImportJob.objects.values_list("state").annotate(n=Count("pk")).order_by())
        job_family = GaugeMetricFamily("partnerpost_import_jobs", "Background newsletter analyses, by state.",
                                       labels=["state"])
        for state in JobState.values:
            job_family.add_metric([state], jobs.get(state, 0))
        yield job_family
        candidates = dict(ImportCandidate.objects.values_list("decision").annotate(n=Count("pk")).order_by())
        candidate_family = GaugeMetricFamily("partnerpost_import_candidates", "Items found by imports, by the "
                                             "editors' decision.", labels=["decision"])
        for decision in Decision.values:
            candidate_family.add_metric([decision], candidates.get(decision, 0))
        yield candidate_family

        bounces = CounterMetricFamily("partnerpost_hard_bounces", "Permanent delivery failures counted against "
                                      "subscribers.")
        bounces.add_metric([], Subscriber.objects.aggregate(n=Sum("hard_bounces"))["n"] or 0)
        yield bounces
        bounced = GaugeMetricFamily("partnerpost_subscribers_bounced", "Subscribers who no longer receive editions "
                                    "because of bounces.")
        bounced.add_metric([], Subscriber.objects.filter(status=SubscriberStatus.BOUNCED).count())
        yield bounced


PROCESS.register(DatabaseCollector())


def exposition() -> bytes:
    """The text /metrics answers, in the Prometheus text format."""
    if not multiprocess():
        return generate_latest(PROCESS)
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    registry.register(DatabaseCollector())
    return generate_latest(registry)
