"""Two worker processes share one send on PostgreSQL without sending anything twice."""

import os
import subprocess
import sys
from collections import Counter

import pytest
from django.db import connection

from partnerpost.audience.models import Subscriber
from tests.conftest import SmtpSink

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_workers_share_a_send_without_overlap(settings):
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
        Subscriber(email=f"reader{n}@example.org", email_key=f"reader{n}@example.org", status="confirmed") for n in range(400)
    )
    assert send_edition(OPERATOR, edition) == 400
    sink = SmtpSink()
    sink.delay = 0.002
    sink.start()
    try:
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {**os.environ, "DATABASE_URL": url, "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}", "MAILING_BATCH": "5",
               "MAILING_CONNECTIONS": "2"}
        workers = [subprocess.Popen([sys.executable, "-m", "partnerpost", "worker", "--until-idle"], env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        outputs = [w.communicate(timeout=300)[0] for w in workers]
        assert all(w.returncode == 0 for w in workers), outputs
    finally:
        sink.stop()
    counts = Counter(to[0] for to, _ in sink.messages)
    assert len(counts) == 400 and max(counts.values()) == 1
    # The worker column holds each claim's token: the worker's name, "#", the claim's number.
    by_worker = Counter(token.rsplit("#", 1)[0] for token in Delivery.objects.values_list("worker", flat=True))
    assert len(by_worker) == 2, f"one worker did everything: {by_worker}"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
