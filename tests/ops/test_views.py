import json
import logging

import pytest
from django.db import connection
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from partnerpost.audience.models import Subscriber
from partnerpost.mailing.models import Delivery
from partnerpost.mailing.outbox import send_edition
from partnerpost.mailing.worker import Worker
from tests.conftest import free_port


def _samples(text: str) -> dict:
    """{(sample name, sorted label pairs): value} from Prometheus text; parsing fails on malformed text."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


@pytest.fixture
def edition(db, settings):
    from partnerpost.content import demo
    from partnerpost.editions import demo as edition_demo

    settings.MAILING_RETRY_SECONDS = 0
    demo.load(log=lambda *_: None)
    return edition_demo.load(log=lambda *_: None)


def test_healthz_answers_without_asking_anything():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert response["Content-Type"] == "application/json"
    assert len(response["X-Request-ID"]) == 32


def test_readyz_lists_each_check(db, settings):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready", "failing": [],
        "checks": {"database": {"ok": True, "engine": connection.vendor}, "migrations": {"ok": True},
                   "cache": {"ok": True, "backend": "LocMemCache"},
                   "task_queue": {"ok": True, "backend": "database", "ready": 0},
                   "media": {"ok": True, "backend": "filesystem"}},
    }


def test_readyz_names_an_unreachable_cache(db, settings):
    port = free_port()  # nothing listens there
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{port}/6"}}
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["failing"] == ["cache"]
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["cache"]["error"].startswith("ConnectionError: ")
    assert body["checks"]["database"] == {"ok": True, "engine": connection.vendor}


def test_readyz_names_unapplied_migrations(db):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'mailing' AND name = '0001_initial'")
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["migrations"]
    assert body["checks"]["migrations"]["unapplied"][0] == "mailing.0001_initial"
    assert body["checks"]["migrations"]["error"].endswith("migration(s) not applied; run `partnerpost migrate`")


def test_metrics_parse_and_hold_the_delivery_counters(edition, smtp, settings):
    from partnerpost.network.models import User

    for i in range(3):
        Subscriber.objects.create(email=f"reader{i}@example.org", status="confirmed", language="en")
    Subscriber.objects.create(email="gone@example.org", status="bounced", hard_bounces=2)
    send_edition(User.objects.get(username="editor"), edition)
    Worker(connections=1).run(until_idle=True)
    Subscriber.objects.create(email="late@example.org", status="confirmed")
    send_edition(User.objects.get(username="editor"), edition)  # one more waiting
    client = Client()
    assert client.get("/search/", {"q": "governance"}).status_code == 200
    assert client.get("/healthz").status_code == 200

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    found = _samples(response.content.decode())
    assert Delivery.objects.filter(status="sent").count() == 3
    assert found[("partnerpost_deliveries", (("state", "sent"),))] == 3
    assert found[("partnerpost_deliveries", (("state", "pending"),))] == 1
    assert found[("partnerpost_deliveries", (("state", "failed"),))] == 0
    assert found[("partnerpost_deliveries_sent_total", ())] == 3
    assert found[("partnerpost_delivery_rate_per_second", ())] == 0.01  # 3 sent in the last 300 s
    assert found[("partnerpost_queue_depth", (("queue", "deliveries"),))] == 1
    assert found[("partnerpost_queue_depth", (("queue", "tasks"),))] == 0
    assert found[("partnerpost_hard_bounces_total", ())] == 2
    assert found[("partnerpost_subscribers_bounced", ())] == 1
    assert found[("partnerpost_task_failures", ())] == 0
    assert found[("partnerpost_imports_total", ())] == 0
    assert found[("partnerpost_database_up", ())] == 1
    assert found[("partnerpost_http_requests_total", (("method", "GET"), ("status", "200"), ("view", "ops:healthz")))] >= 1
    assert found[("partnerpost_search_duration_seconds_count", (("face", "page"),))] >= 1
    assert found[("partnerpost_http_request_duration_seconds_count", (("view", "search"),))] >= 1


def test_metrics_refuse_other_networks_unless_the_token_is_sent(db, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    outside = Client(REMOTE_ADDR="203.0.113.9")
    refused = outside.get("/metrics")
    assert refused.status_code == 403
    assert refused.content == b"Metrics are open to the networks in METRICS_ALLOWED_NETWORKS, or with METRICS_TOKEN.\n"
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token").status_code == 200
    assert Client(REMOTE_ADDR="::1").get("/metrics").status_code == 200
    settings.METRICS_TOKEN = ""
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403
    import ipaddress

    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("203.0.113.0/24")]
    assert outside.get("/metrics").status_code == 200
    assert Client().get("/metrics").status_code == 403  # loopback only while it is in the list


def test_json_logs_carry_the_request_id(db, settings):
    from partnerpost.ops.logs import JsonFormatter, RequestIdFilter

    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("partnerpost.requests")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        response = Client().get("/healthz", HTTP_X_REQUEST_ID="proxy-id-0001")
        Client().get("/healthz", HTTP_X_REQUEST_ID="<script>")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    assert response["X-Request-ID"] == "proxy-id-0001"
    first, second = (json.loads(line) for line in lines)
    assert first["request_id"] == "proxy-id-0001" and first["message"] == "GET /healthz 200"
    assert (first["logger"], first["level"], first["method"], first["path"], first["status"], first["view"]) == (
        "partnerpost.requests", "INFO", "GET", "/healthz", 200, "ops:healthz")
    assert isinstance(first["duration_ms"], float) and first["time"].endswith("+00:00")
    assert len(second["request_id"]) == 32 and second["request_id"] != "<script>"  # a made-up id is replaced


def test_multiprocess_mode_adds_up_every_worker_process(db, tmp_path, monkeypatch):
    """Two separate processes count requests into PROMETHEUS_MULTIPROC_DIR; one scrape sees both."""
    import os
    import subprocess
    import sys

    from partnerpost.ops import metrics

    directory = tmp_path / "prometheus"
    directory.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory), "PYTHONPATH": os.getcwd()}
    code = "from partnerpost.ops import metrics; metrics.observe_request('portal:home', 'GET', 200, 0.02)"
    for _ in range(2):
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    found = _samples(metrics.exposition().decode())
    assert found[("partnerpost_http_requests_total", (("method", "GET"), ("status", "200"), ("view", "portal:home")))] == 2
    assert found[("partnerpost_http_request_duration_seconds_bucket", (("le", "0.025"), ("view", "portal:home")))] == 2
    assert found[("partnerpost_deliveries", (("state", "sent"),))] == 0
