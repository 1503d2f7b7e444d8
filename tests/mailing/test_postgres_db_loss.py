"""A worker whose database connections are killed in the middle of a send (PostgreSQL's
pg_terminate_backend, as an administrator or a fail-over would) reconnects and finishes the send:
every recipient gets the edition exactly once, and every row ends up sent."""

import os
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.db import connection

from partnerpost.audience.models import Subscriber
from tests.conftest import SmtpSink

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

RECIPIENTS = 300
APPLICATION = "partnerpost-db-loss-test-worker"


def _kill_worker_connections() -> int:
    """Terminate every database connection the worker holds (its SMTP threads' and its heartbeat's)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE application_name = %s AND pid <> pg_backend_pid()", [APPLICATION])
        return cursor.fetchone()[0]


def test_a_worker_that_loses_the_database_mid_send_reconnects_and_loses_nobody(settings):
    from partnerpost.content import demo
    from partnerpost.editions import demo as edition_demo
    from partnerpost.mailing.models import Delivery
    from partnerpost.mailing.outbox import send_edition
    from partnerpost.network.permissions import OPERATOR

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    demo.load(log=lambda *_: None)
    edition = edition_demo.load(log=lambda *_: None)
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.org", email_key=f"reader{n}@example.org", status="confirmed")
        for n in range(RECIPIENTS)
    )
    queued = send_edition(OPERATOR, edition)
    expected = set(Delivery.objects.values_list("email", flat=True))
    assert queued == len(expected) >= RECIPIENTS
    sink = SmtpSink()
    sink.delay = 0.01  # a slow relay, so that the kills land while the send runs
    sink.start()
    try:
        db = connection.settings_dict
        url = (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
               f"?application_name={APPLICATION}")
        env = {**os.environ, "DATABASE_URL": url, "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}", "MAILING_BATCH": "10",
               "MAILING_CONNECTIONS": "3", "MAILING_LEASE_SECONDS": "30"}
        worker = subprocess.Popen([sys.executable, "-m", "partnerpost", "worker", "--until-idle"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        killed = []
        deadline = time.monotonic() + 120
        for share in (3, 2):  # once a third of the messages are out, then again at half
            while len(sink.messages) < queued // share:
                assert worker.poll() is None, worker.communicate()[0][-3000:]
                assert time.monotonic() < deadline, "the worker sent too little before the deadline"
                time.sleep(0.01)
            killed.append((len(sink.messages), _kill_worker_connections()))
        output = worker.communicate(timeout=300)[0]
        assert worker.returncode == 0, output[-3000:]
    finally:
        sink.stop()
    assert all(connections >= 1 for _, connections in killed), killed
    assert all(sent < queued for sent, _ in killed), f"the send was over before a kill: {killed}"
    assert "Database error" in output and "Recovered from" in output, output[-3000:]
    counts = Counter(to[0] for to, _ in sink.messages)
    assert set(counts) == expected, "a recipient was lost"
    # The connections were killed, not the worker: with its leases renewed as soon as it reconnected,
    # the bound for a live worker (a lease that ran out while a message was in flight) is never reached.
    assert max(counts.values()) == 1, f"sent twice: {[a for a, n in counts.items() if n > 1]}"
    assert Counter(Delivery.objects.values_list("status", flat=True)) == {"sent": queued}
