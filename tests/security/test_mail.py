"""Issue 11, findings 2, 3, 9 and 10 (delivery): what a refusing or absent relay, and a subscriber who
leaves mid-send, may and may not do. Every test talks to a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import re
import threading

import pytest
from django.core.management import call_command
from django.test import Client

from partnerpost.audience.models import Subscriber
from partnerpost.mailing.models import Delivery
from partnerpost.mailing.outbox import send_edition
from partnerpost.mailing.worker import Worker
from tests.conftest import SmtpSink, free_port, run_queued_tasks

BOUNCES = "bounces@newsletter.example.org"


def _newsletter_sender(address):
    """A newsletter's envelope sender: the bounce address with its delivery after a "+" (VERP)."""
    return address.startswith("bounces+") and address.endswith("@newsletter.example.org")
PAUSED_SUBJECT = "Sending paused: UNPAN Partners' Newsletter"


class RefusingRelay(SmtpSink):
    """A relay that refuses our newsletters' envelope sender (at MAIL FROM or at the end of DATA) while
    it refuses nothing else, so the editors' notification, sent from DEFAULT_FROM_EMAIL, gets through."""

    def __init__(self, *, mail_from_reply=None, data_reply=None):
        super().__init__()
        self.mail_from_reply, self.data_reply = mail_from_reply, data_reply

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if _newsletter_sender(address) and self.mail_from_reply:
            return self.mail_from_reply
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if _newsletter_sender(envelope.mail_from) and self.data_reply:
            return self.data_reply
        return await super().handle_DATA(server, session, envelope)


def _use(settings, sink):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@pytest.fixture
def edition(db, settings):
    from partnerpost.content import demo
    from partnerpost.editions import demo as edition_demo

    settings.MAILING_RETRY_SECONDS = 0
    settings.MAILING_BREAKER_SECONDS = 0.05
    settings.MAILING_BREAKER_MAX_SECONDS = 0.2
    settings.MAILING_BOUNCE_ADDRESS = BOUNCES
    settings.BOUNCE_LIMIT = 2
    demo.load(log=lambda *_: None)
    return edition_demo.load(log=lambda *_: None)


@pytest.fixture
def editor(edition):
    from partnerpost.network.models import User

    return User.objects.get(username="editor")


def _readers(n):
    # Each has one hard bounce already: one more (BOUNCE_LIMIT 2) would mark them bounced.
    return [Subscriber.objects.create(email=f"reader{i}@example.org", status="confirmed", hard_bounces=1) for i in range(n)]


def _relay(settings, **replies):
    sink = RefusingRelay(**replies)
    sink.start()
    _use(settings, sink)
    return sink


def _newsletters(sink):
    return sorted(to[0] for to, message in sink.messages if not message["Subject"].startswith("Sending paused"))


def _notifications(sink):
    return sorted(to[0] for to, message in sink.messages if message["Subject"].startswith(PAUSED_SUBJECT))


def _assert_nobody_counted(readers):
    for reader in readers:
        reader.refresh_from_db()
        assert (reader.status, reader.hard_bounces) == ("confirmed", 1), reader.email
    assert set(Delivery.objects.values_list("status", "attempts")) == {("pending", 0)}


def test_relay_refusing_the_sender_bounces_no_subscriber(edition, editor, settings, capsys):
    sink = _relay(settings, mail_from_reply=f"553 5.7.1 <{BOUNCES}>: Sender address rejected: not owned by user")
    try:
        readers = _readers(3)
        send_edition(editor, edition)
        Worker(connections=1).run(until_idle=True)
        Worker(connections=1).run(until_idle=True)  # a second worker, or a restart: still nobody counted, no second email
        _assert_nobody_counted(readers)
        assert _newsletters(sink) == []

        from partnerpost.mailing.models import SendAuditEntry, SendPause

        pause = SendPause.objects.get(edition=edition)
        from partnerpost.mailing.verp import sender_for

        first = sender_for(Delivery.objects.order_by("id").first().pk)
        assert pause.reason == f"MAIL FROM <{first}>: 553 5.7.1 <{BOUNCES}>: Sender address rejected: not owned by user"
        assert list(SendAuditEntry.objects.values_list("action", "note")) == [("pause", pause.reason)]
        assert _notifications(sink) == ["editor@example.org"]  # the secretariat editors, once
        [(_, notice)] = [m for m in sink.messages if m[1]["Subject"].startswith(PAUSED_SUBJECT)]
        assert "Sender address rejected" in notice.get_body(("plain",)).get_content()
        assert f"partnerpost send {edition.slug} --resume" in notice.get_body(("plain",)).get_content()

        # The operator fixes the relay and resumes from the command line; everyone gets it once.
        sink.mail_from_reply = None
        call_command("send", edition.slug, "--resume", "--wait", "--connections", "1")
        assert "sending resumed" in capsys.readouterr().out
        assert _newsletters(sink) == ["reader0@example.org", "reader1@example.org", "reader2@example.org"]
        assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}
        assert not SendPause.objects.exists()
        assert [a for a, in SendAuditEntry.objects.values_list("action")] == ["pause", "resume"]
    finally:
        sink.stop()


def test_relay_refusing_the_whole_message_at_data_bounces_no_subscriber(edition, editor, settings, client):
    sink = _relay(settings, data_reply="554 5.6.0 Message refused by policy")
    try:
        readers = _readers(3)
        send_edition(editor, edition)
        Worker(connections=1).run(until_idle=True)
        _assert_nobody_counted(readers)
        assert _newsletters(sink) == []
        assert _notifications(sink) == ["editor@example.org"]

        from partnerpost.mailing.models import SendPause

        assert SendPause.objects.get(edition=edition).reason == "DATA: 554 5.6.0 Message refused by policy"

        # The edition's page says so and offers to resume; resuming there lets the workers go on.
        client.force_login(editor)
        page = client.get(f"/workspace/editions/{edition.pk}/").content.decode()
        assert "Sending is paused." in page and "554 5.6.0 Message refused by policy" in page
        assert f'action="/workspace/editions/{edition.pk}/sending/resume/"' in page
        sink.data_reply = None
        response = client.post(f"/workspace/editions/{edition.pk}/sending/resume/")
        assert (response.status_code, response["Location"]) == (302, f"/workspace/editions/{edition.pk}/")
        Worker(connections=1).run(until_idle=True)
        assert _newsletters(sink) == ["reader0@example.org", "reader1@example.org", "reader2@example.org"]
        assert _notifications(sink) == ["editor@example.org"]
    finally:
        sink.stop()


def test_relay_down_spends_no_attempts_and_the_worker_resumes_when_it_is_back(edition, editor, settings):
    port = free_port()  # nothing listens here yet: "connection refused"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.MAILING_MAX_ATTEMPTS = 2
    _readers(3)
    send_edition(editor, edition)

    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    sink.port, sink.controller = port, Controller(sink, hostname="127.0.0.1", port=port)
    started = threading.Event()

    def relay_comes_back():
        sink.start()
        started.set()

    later = threading.Timer(1.0, relay_comes_back)
    later.start()
    try:
        worker = Worker(connections=1)
        worker.run(until_idle=True)  # waits for the relay instead of giving up
        later.join()
        assert sorted(to[0] for to, _ in sink.messages) == ["reader0@example.org", "reader1@example.org", "reader2@example.org"]
        assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}  # the successful try only
        assert worker.breaker.trips >= 3  # 0.05 s, 0.1 s, then 0.2 s (the cap) until the relay answered
        assert worker.failed == worker.retried == 0
    finally:
        later.cancel()
        if started.is_set():
            sink.stop()


class BadMinuteRelay(SmtpSink):
    """Answers 451 to the first `refusals` RCPT TO commands, whoever they name, then accepts."""

    def __init__(self, refusals):
        super().__init__()
        self.refusals = refusals

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


STREAK = 10  # partnerpost.mailing.worker.SOFT_REFUSAL_STREAK


def test_relay_answering_4xx_to_everyone_spends_no_attempts(edition, editor, settings):
    settings.MAILING_MAX_ATTEMPTS = 2
    readers = _readers(STREAK + 2)
    smtp = BadMinuteRelay(STREAK)  # 451 to ten recipients in a row: not their trouble
    smtp.start()
    try:
        _use(settings, smtp)
        send_edition(editor, edition)
        worker = Worker(connections=1)
        worker.run(until_idle=True)
        assert len(smtp.messages) == len(readers)
        attempts = sorted(Delivery.objects.values_list("attempts", flat=True))
        # The streak's refusals were given back, and the rest of the batch waited for the breaker untouched.
        assert attempts == [1] * len(readers)
        assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
        from partnerpost.mailing.worker import SOFT_REFUSAL_STREAK

        assert (worker.breaker.trips, SOFT_REFUSAL_STREAK) == (1, STREAK)
    finally:
        smtp.stop()


def _fail_everyone(edition, editor, smtp, settings, n=3):
    settings.MAILING_MAX_ATTEMPTS = 1
    readers = _readers(n)
    for reader in readers:
        smtp.rcpt_script[reader.email] = ["452 4.2.2 Mailbox full"]
    send_edition(editor, edition)
    Worker(connections=1).run(until_idle=True)
    assert set(Delivery.objects.values_list("status", "last_error")) == {("failed", "gave up after 1 attempts: 452 4.2.2 Mailbox full")}
    from partnerpost.audience.workflows import unsubscribe

    unsubscribe(readers[1])  # left since: not sent again
    return readers


def test_resend_failed_deliveries_from_the_command_line(edition, editor, smtp, settings, capsys):
    _fail_everyone(edition, editor, smtp, settings)
    call_command("send", edition.slug, "--retry-failed")
    assert f"{edition.title}: 2 failed deliveries queued again." in capsys.readouterr().out
    assert dict(Delivery.objects.values_list("email", "status")) == {
        "reader0@example.org": "pending", "reader1@example.org": "failed", "reader2@example.org": "pending"}
    Worker(connections=1).run(until_idle=True)
    assert sorted(to[0] for to, _ in smtp.messages) == ["reader0@example.org", "reader2@example.org"]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--at and --retry-failed do not go together"):
        call_command("send", edition.slug, "--retry-failed", "--at", "2030-01-01T09:00")


def test_resend_failed_deliveries_from_the_edition_page(edition, editor, smtp, settings):
    from partnerpost.network.models import User

    _fail_everyone(edition, editor, smtp, settings)
    url = f"/workspace/editions/{edition.pk}/sending/retry-failed/"

    anonymous = Client()
    response = anonymous.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    contributor = Client()
    contributor.force_login(User.objects.get(username="icap"))  # an ICAP contributor
    assert contributor.post(url).status_code == 403
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    assert browser.post(url).status_code == 403  # no CSRF token
    page = browser.get(f"/workspace/editions/{edition.pk}/").content.decode()
    assert "Resend 2 failed deliveries" in page
    form = re.search(rf'<form method="post" action="{url}"[^>]*><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">', page)
    assert browser.get(url).status_code == 405
    response = browser.post(url, {"csrfmiddlewaretoken": form.group(1)})
    assert (response.status_code, response["Location"]) == (302, f"/workspace/editions/{edition.pk}/")
    assert "2 failed deliveries queued again." in browser.get(response["Location"]).content.decode()
    Worker(connections=1).run(until_idle=True)
    assert sorted(to[0] for to, _ in smtp.messages) == ["reader0@example.org", "reader2@example.org"]


def test_unsubscribing_mid_send_stops_the_edition(edition, editor, smtp):
    from partnerpost.audience.workflows import record_hard_bounce, unsubscribe

    readers = _readers(4)
    send_edition(editor, edition)  # queued for all four...
    unsubscribe(readers[1])  # ...then one leaves by the link in last month's edition
    record_hard_bounce(readers[2].pk, "550 5.1.1 No such user")  # and one bounces on another edition
    Worker(connections=1).run(until_idle=True)
    assert sorted(to[0] for to, _ in smtp.messages) == ["reader0@example.org", "reader3@example.org"]
    rows = {d.email: (d.status, d.last_error) for d in Delivery.objects.all()}
    assert rows == {
        "reader0@example.org": ("sent", ""),
        "reader1@example.org": ("skipped", "skipped: the subscriber is unsubscribed now"),
        "reader2@example.org": ("skipped", "skipped: the subscriber is bounced now"),
        "reader3@example.org": ("sent", ""),
    }


def _form(email):
    return {"email": email, "name": "Rui", "language": "en", "consent": "on", "website": ""}


def _queued():
    from django_tasks_db.models import DBTaskResult

    return [(r.task_path, len(r.args_kwargs["args"]), r.args_kwargs["kwargs"], r.status)
            for r in DBTaskResult.objects.order_by("enqueued_at", "id")]


def test_subscribing_takes_one_path_for_new_and_confirmed_addresses(client, db, smtp, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    known = Subscriber.objects.create(email="known@example.org", status="confirmed")
    answers, work = [], []
    for address in ("new@example.org", "known@example.org"):
        DBTaskResult.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/subscribe/", _form(address))
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()).replace(address, "ADDRESS")
        answers.append((response.status_code, body))
        work.append(_queued())
        assert smtp.messages == []  # nothing is sent while the reader waits for the answer
    assert answers[0] == answers[1]
    assert work[0] == work[1] == [("partnerpost.audience.tasks.send_confirmation", 1, {}, "READY")]
    assert list(DBTaskResult.objects.values_list("args_kwargs", flat=True)) == [{"args": [known.pk], "kwargs": {}}]
    assert run_queued_tasks() == 1
    assert smtp.messages == []  # the confirmed address gets nothing, from the background either
    assert Subscriber.objects.get(email_key="known@example.org").status == "confirmed"


def test_subscribing_while_the_relay_is_down_is_not_dropped(client, db, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/subscribe/", _form("reader@example.org"))
    assert run_queued_tasks() == 1
    subscriber = Subscriber.objects.get()
    assert (subscriber.status, subscriber.confirmation_sent_at) == ("pending", None)  # nothing was delivered, nothing recorded
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs == {"args": [subscriber.pk, 2], "kwargs": {}}  # tried again later, by itself

    sink = SmtpSink()
    sink.start()
    try:
        settings.EMAIL_PORT = sink.port
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/subscribe/", _form("reader@example.org"))  # the reader tries again within the hour
        assert run_queued_tasks() == 1
        assert [to for to, _ in sink.messages] == [["reader@example.org"]]
        assert Subscriber.objects.get().confirmation_sent_at is not None
    finally:
        sink.stop()
