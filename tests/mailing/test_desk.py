"""The sending desk: test sends, sending now or at a set time, pause, resume, cancel, the live
progress and the delivery report, from the edition's page and from `partnerpost send`; and
newsletters delivered through whatever email backend EMAIL_URL names."""

import asyncio
import datetime as dt
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from partnerpost.audience.models import Subscriber
from partnerpost.editions.models import Edition
from partnerpost.mailing import workflows
from partnerpost.mailing.models import Delivery, OutboxMessage, ScheduledSend, SendAuditEntry, SendPause
from partnerpost.mailing.outbox import SendError, resume_send
from partnerpost.mailing.worker import Worker
from partnerpost.network.models import User
from tests.conftest import SmtpSink, run_queued_tasks


@pytest.fixture
def edition(db, settings):
    from partnerpost.content import demo
    from partnerpost.editions import demo as edition_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MAILING_RETRY_SECONDS = 0
    settings.MAILING_BREAKER_SECONDS = 0.01
    demo.load(log=lambda *_: None)
    return edition_demo.load(log=lambda *_: None)


@pytest.fixture
def editor(edition):
    return User.objects.get(username="editor")


def _readers(n):
    return [Subscriber.objects.create(email=f"reader{i}@example.org", status="confirmed") for i in range(n)]


def _audit(edition):
    return list(SendAuditEntry.objects.filter(edition=edition).order_by("id").values_list("action", "note"))


# Test sends --------------------------------------------------------------------------

def test_a_test_goes_to_each_address_marked_and_counts_as_nothing(edition, editor, smtp):
    _readers(2)
    assert workflows.send_test(editor, edition, "me@example.org, colleague@example.org;me@example.org") == [
        "me@example.org", "colleague@example.org"]
    assert sorted(to[0] for to, _ in smtp.messages) == ["colleague@example.org", "me@example.org"]
    message = smtp.messages[0][1]
    # (Django folds a non-ASCII subject after "Subject:", which the parser reads as a leading space.)
    assert message["Subject"].lstrip() == "[Test] UNPAN Partners' Newsletter – October – November – December 2020"
    assert message["List-Unsubscribe"] is None
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("This is a test of this edition, sent by Sam Secretariat. It did not go to subscribers")
    html = message.get_body(("html",)).get_content()
    assert "This is a test of this edition, sent by Sam Secretariat." in html
    assert "/subscribe/" in html and "/unsubscribe/" not in html
    assert Delivery.objects.count() == 0
    assert Edition.objects.get(pk=edition.pk).state == "published"
    assert _audit(edition) == [("test", "test sent to me@example.org, colleague@example.org")]


def test_a_test_to_a_malformed_address_names_it_and_sends_nothing(edition, editor, smtp):
    with pytest.raises(SendError) as raised:
        workflows.send_test(editor, edition, "me@example.org, someone@@example")
    assert str(raised.value).startswith("“someone@@example” is not a valid email address: ")
    with pytest.raises(SendError, match="^Give at least one address to send the test to.$"):
        workflows.send_test(editor, edition, " , ")
    with pytest.raises(SendError, match="^A test goes to at most 10 addresses; 11 were given.$"):
        workflows.send_test(editor, edition, [f"p{n}@example.org" for n in range(11)])
    assert smtp.messages == [] and _audit(edition) == []


def test_a_test_the_relay_refuses_says_which_address(edition, editor, smtp):
    smtp.rcpt_script["gone@example.org"] = ["550 5.1.1 No such user"]
    with pytest.raises(SendError) as raised:
        workflows.send_test(editor, edition, "me@example.org, gone@example.org")
    assert str(raised.value) == "The test went to me@example.org, but the mail server refused gone@example.org: 550 5.1.1 No such user."
    assert [to for to, _ in smtp.messages] == [["me@example.org"]]
    assert _audit(edition) == [("test", "test sent to me@example.org")]


def test_a_draft_can_be_tested_but_not_sent(edition, editor, smtp):
    draft = Edition.objects.create(title="Next one", slug="next-one", period_start=dt.date(2021, 1, 1), period_end=dt.date(2021, 3, 31))
    assert workflows.send_test(editor, draft, "me@example.org") == ["me@example.org"]
    assert smtp.messages[0][1]["Subject"].lstrip().startswith("[Test] Next one – ")
    with pytest.raises(SendError, match="^Publish the edition before sending it.$"):
        workflows.start_send(editor, draft)


def test_only_editors_send_tests(edition, smtp):
    from django.core.exceptions import PermissionDenied

    for username in ("icap", "reader"):
        with pytest.raises(PermissionDenied):
            workflows.send_test(User.objects.get(username=username), edition, "me@example.org")
    assert smtp.messages == []


def test_send_command_test_option(edition, smtp, capsys):
    call_command("send", "--latest", "--test", "one@example.org", "two@example.org")
    assert capsys.readouterr().out == "UNPAN Partners' Newsletter: test sent to one@example.org, two@example.org.\n"
    assert sorted(to[0] for to, _ in smtp.messages) == ["one@example.org", "two@example.org"]
    with pytest.raises(CommandError) as raised:
        call_command("send", "--latest", "--test", "one@example")
    assert str(raised.value).startswith("“one@example” is not a valid email address: ")
    with pytest.raises(CommandError, match="^--test and --at do not go together: a test is sent at once, to its addresses only.$"):
        call_command("send", "--latest", "--test", "one@example.org", "--at", "2099-01-01T09:00")
    with pytest.raises(CommandError, match="^--test and --wait do not go together"):
        call_command("send", "--latest", "--test", "one@example.org", "--wait")
    assert len(smtp.messages) == 2 and Delivery.objects.count() == 0


# Every email backend ------------------------------------------------------------------

def test_the_outbox_backend_receives_every_confirmed_demo_subscriber(edition, settings, capsys):
    from partnerpost.audience import demo as audience_demo

    settings.EMAIL_BACKEND = "partnerpost.mailing.backends.OutboxBackend"
    assert audience_demo.load(log=lambda *_: None) == 7
    assert audience_demo.load(log=lambda *_: None) == 0  # safe to run twice
    Subscriber.objects.create(email="pending@example.org", status="pending")
    call_command("send", "--latest", "--wait", "--connections", "1")
    assert "Done: 7 sent, 0 failed, 0 still waiting (retries)." in capsys.readouterr().out
    confirmed = set(Subscriber.objects.filter(status="confirmed").values_list("email", flat=True))
    assert len(confirmed) == 7
    rows = list(OutboxMessage.objects.all())
    assert sorted(row.to for row in rows) == sorted(confirmed)
    by_address = {row.to: row for row in rows}
    assert by_address["sam.okafor@example.org"].subject == "UNPAN Partners' Newsletter – October – November – December 2020"
    assert by_address["lucia.mora@example.org"].subject.startswith("Boletín de los asociados de la UNPAN")  # the Spanish translation
    assert "/unsubscribe/" in by_address["sam.okafor@example.org"].text
    assert by_address["sam.okafor@example.org"].html.lstrip().lower().startswith("<!doctype html")
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_the_console_backend_prints_every_newsletter(edition, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    _readers(2)
    workflows.start_send(User.objects.get(username="editor"), edition)
    worker = Worker(connections=1).run(until_idle=True)
    out = capsys.readouterr().out
    assert worker.sent == 2
    assert re.findall(r"^To: (.+)$", out, re.M) == ["reader0@example.org", "reader1@example.org"]
    assert len(re.findall(r"^List-Unsubscribe-Post: List-Unsubscribe=One-Click$", out, re.M)) == 2


def test_a_backend_that_fails_is_retried_then_fails(edition, settings):
    settings.EMAIL_BACKEND = "tests.mailing.test_desk.BrokenBackend"  # any backend but Django's SMTP one is handed each message
    settings.MAILING_MAX_ATTEMPTS = 2
    _readers(1)
    workflows.start_send(User.objects.get(username="editor"), edition)
    Worker(connections=1).run(until_idle=True)
    assert list(Delivery.objects.values_list("status", "attempts", "last_error")) == [
        ("failed", 2, "gave up after 2 attempts: backend: the provider is down")]


class BrokenBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("the provider is down")


# Sending now, later; pausing and cancelling -------------------------------------------

def test_send_now_queues_the_count_it_showed(edition, editor):
    _readers(3)
    Subscriber.objects.create(email="left@example.org", status="unsubscribed")
    assert workflows.recipients_count(edition) == Subscriber.objects.receiving().count() == 3
    assert workflows.start_send(editor, edition) == 3
    assert workflows.recipients_count(edition) == 0
    assert workflows.send_counts(edition) == {"sent": 0, "waiting": 3, "retrying": 0, "failed": 0, "bounced": 0, "skipped": 0,
                                              "cancelled": 0, "total": 3, "finished": 0, "active": True}


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_send_starts_through_the_task_queue(edition, editor):
    _readers(2)
    with pytest.raises(SendError, match=r"^2020-01-01 09:00 UTC is in the past; choose a later time, or send now.$"):
        workflows.schedule_send(editor, edition, dt.datetime(2020, 1, 1, 9, 0))
    at = timezone.now() + dt.timedelta(hours=2)
    schedule = workflows.schedule_send(editor, edition, at)
    with pytest.raises(SendError, match="^This edition is already scheduled to be sent at "):
        workflows.schedule_send(editor, edition, at + dt.timedelta(hours=1))
    with pytest.raises(SendError, match="^This edition is scheduled to be sent at .*; cancel that first to send it now.$"):
        workflows.start_send(editor, edition)
    assert run_queued_tasks() == 0 and Delivery.objects.count() == 0  # not yet

    from django_tasks_db.models import DBTaskResult

    [task] = DBTaskResult.objects.all()
    assert str(task.id) == schedule.task_id and task.args_kwargs == {"args": [edition.pk], "kwargs": {}}
    DBTaskResult.objects.update(run_after=timezone.now() - dt.timedelta(seconds=1))  # its time has come
    assert run_queued_tasks() == 1
    assert Delivery.objects.count() == 2
    assert ScheduledSend.objects.get().state == "started"
    assert DBTaskResult.objects.get().return_value == {"edition": edition.slug, "queued": 2}
    assert [action for action, _ in _audit(edition)] == ["schedule", "start"]
    assert _audit(edition)[1][1].endswith(" by editor")


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_schedule_queues_nobody(edition, editor):
    from django_tasks_db.models import DBTaskResult

    _readers(2)
    workflows.schedule_send(editor, edition, timezone.now() + dt.timedelta(hours=2))
    cancelled = workflows.cancel_send(editor, edition)
    assert (cancelled.schedule.state, cancelled.deliveries) == ("cancelled", 0)
    DBTaskResult.objects.update(run_after=timezone.now() - dt.timedelta(seconds=1))
    assert run_queued_tasks() == 1
    assert DBTaskResult.objects.get().return_value == {"edition": edition.slug, "queued": 0, "cancelled": True}
    assert Delivery.objects.count() == 0 and Edition.objects.get(pk=edition.pk).state == "published"
    # ...and it can be scheduled again.
    workflows.schedule_send(editor, edition, timezone.now() + dt.timedelta(hours=3))
    assert ScheduledSend.objects.filter(state="waiting").count() == 1


def test_scheduling_needs_a_task_backend_that_can_wait(edition, editor, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(SendError, match="^Sending at a set time needs TASKS_BACKEND=database"):
        workflows.schedule_send(editor, edition, timezone.now() + dt.timedelta(hours=1))
    assert ScheduledSend.objects.count() == 0


def test_cancel_stops_what_waits_and_a_finished_send_says_so(edition, editor, smtp):
    _readers(3)
    with pytest.raises(SendError, match="^This edition has not been sent or scheduled; there is nothing to cancel.$"):
        workflows.cancel_send(editor, edition)
    workflows.start_send(editor, edition)
    assert workflows.cancel_send(editor, edition).deliveries == 3
    Worker(connections=1).run(until_idle=True)
    assert smtp.messages == []
    assert workflows.send_counts(edition)["cancelled"] == 3
    # Sending again takes the cancelled ones up.
    assert workflows.recipients_count(edition) == 3
    assert workflows.start_send(editor, edition) == 3
    Worker(connections=1).run(until_idle=True)
    assert sorted(to[0] for to, _ in smtp.messages) == ["reader0@example.org", "reader1@example.org", "reader2@example.org"]
    with pytest.raises(SendError) as raised:
        workflows.cancel_send(editor, edition)
    assert str(raised.value) == "This send has already finished (3 sent, 0 failed or bounced, 0 skipped); there is nothing left to cancel."
    assert [action for action, _ in _audit(edition)] == ["cancel"]


class PausingRelay(SmtpSink):
    """Accepts every message; while taking the `at`-th, has an editor press Pause (from another thread,
    as a browser would), before the worker hears that it was accepted."""

    def __init__(self, at, action):
        super().__init__()
        self.at, self.action = at, action

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == self.at:
            await asyncio.get_running_loop().run_in_executor(None, self.action)
        return reply


def _relay(sink, settings):
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@pytest.mark.django_db(transaction=True)
def test_pause_stops_a_running_send_at_once_and_resume_finishes_it(edition, editor, settings):
    from django.db import connection

    _readers(12)
    workflows.start_send(editor, edition)

    def press_pause():
        try:
            workflows.pause_sending(editor, edition)
        finally:
            connection.close()

    sink = PausingRelay(5, press_pause)
    _relay(sink, settings)
    try:
        worker = Worker(connections=1, batch=50)
        worker.halt_check_seconds = 0  # ask before every message, so that the figures below are exact
        worker.run(until_idle=True)
        assert len(sink.messages) == 5  # all twelve were claimed in one batch; the other seven waited
        counts = workflows.send_counts(edition)
        assert (counts["sent"], counts["waiting"]) == (5, 7)
        assert SendPause.objects.get().paused_by == editor
        with pytest.raises(SendError, match="^Sending is already paused.$"):
            workflows.pause_sending(editor, edition)
        assert resume_send(editor, edition) is True
        Worker(connections=1).run(until_idle=True)
    finally:
        sink.stop()
    addresses = [to[0] for to, _ in sink.messages]
    assert len(addresses) == 12 and len(set(addresses)) == 12  # nobody twice
    assert [action for action, _ in _audit(edition)] == ["pause", "resume"]
    with pytest.raises(SendError, match="^Nothing of this edition is waiting to be sent; there is nothing to pause.$"):
        workflows.pause_sending(editor, edition)


@pytest.mark.django_db(transaction=True)
def test_cancel_stops_a_running_send(edition, editor, settings):
    from django.db import connection

    _readers(8)
    workflows.start_send(editor, edition)

    def press_cancel():
        try:
            workflows.cancel_send(editor, edition)
        finally:
            connection.close()

    sink = PausingRelay(3, press_cancel)
    _relay(sink, settings)
    try:
        worker = Worker(connections=1, batch=50)
        worker.halt_check_seconds = 0
        worker.run(until_idle=True)
    finally:
        sink.stop()
    assert len(sink.messages) == 3
    counts = workflows.send_counts(edition)
    assert (counts["sent"], counts["cancelled"], counts["active"]) == (3, 5, False)
    assert set(Delivery.objects.filter(status="cancelled").values_list("last_error", flat=True)) == {"cancelled by editor"}


# The report ----------------------------------------------------------------------------

def _delivered_with_trouble(edition, editor, smtp, settings):
    settings.MAILING_MAX_ATTEMPTS = 1
    _readers(4)
    smtp.rcpt_script["reader1@example.org"] = ["550 5.1.1 No such user"]
    smtp.rcpt_script["reader2@example.org"] = ["452 4.2.2 Mailbox full"]
    workflows.start_send(editor, edition)
    Subscriber.objects.filter(email="reader3@example.org").update(status="unsubscribed")
    Worker(connections=1).run(until_idle=True)


def test_report_counts_and_reasons(edition, editor, smtp, settings):
    _delivered_with_trouble(edition, editor, smtp, settings)
    assert workflows.send_counts(edition) == {"sent": 1, "waiting": 0, "retrying": 0, "failed": 1, "bounced": 1, "skipped": 1,
                                              "cancelled": 0, "total": 4, "finished": 4, "active": False}
    assert workflows.problems(edition) == [
        ("reader1@example.org", "bounced", "Bounced", 1, "550 5.1.1 No such user"),
        ("reader2@example.org", "failed", "Failed", 1, "gave up after 1 attempts: 452 4.2.2 Mailbox full"),
        ("reader3@example.org", "skipped", "Skipped", 0, "skipped: the subscriber is unsubscribed now"),
    ]


def test_report_csv_neutralizes_formulas(edition, editor, smtp, settings):
    _delivered_with_trouble(edition, editor, smtp, settings)
    Delivery.objects.filter(email="reader2@example.org").update(last_error="=HYPERLINK(\"https://evil.example\")")
    client = Client()
    client.force_login(editor)
    response = client.get(f"/workspace/editions/{edition.pk}/sending/report.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="deliveries-{edition.slug}.csv"'
    lines = b"".join(response.streaming_content).decode().splitlines()
    sent_at = Delivery.objects.get(email="reader0@example.org").sent_at.isoformat(timespec="seconds")
    assert lines == [
        "email,language,state,attempts,sent_at,reason",
        f"reader0@example.org,en,sent,1,{sent_at},",
        "reader1@example.org,en,bounced,1,,550 5.1.1 No such user",
        "reader2@example.org,en,failed,1,,\"'=HYPERLINK(\"\"https://evil.example\"\")\"",
        "reader3@example.org,en,skipped,0,,skipped: the subscriber is unsubscribed now",
    ]


# The pages ----------------------------------------------------------------------------

def _token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_the_desk_on_the_edition_page_sends_after_confirming_the_count(edition, editor, smtp):
    _readers(3)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = client.get(f"/workspace/editions/{edition.pk}/").content.decode()
    assert "Send to 3 subscribers…" in page and 'value="editor@example.org"' in page
    confirm = f"/workspace/editions/{edition.pk}/sending/confirm/"
    form = client.get(confirm).content.decode()
    assert re.search(r'<span class="desk-big">3</span> subscribers will receive it', form)
    token = _token(form)
    Subscriber.objects.create(email="late@example.org", status="confirmed")  # while the editor reads the page
    again = client.post(confirm, {"csrfmiddlewaretoken": token, "when": "now", "expected": "3"})
    assert again.status_code == 200 and Delivery.objects.count() == 0
    assert "The number of recipients changed from 3 to 4 since the page was opened; check it and confirm again." in again.content.decode()
    past = client.post(confirm, {"csrfmiddlewaretoken": token, "when": "later", "at": "2020-01-01T09:00", "expected": "4"})
    assert "2020-01-01 09:00 UTC is in the past; choose a later time, or send now." in past.content.decode()
    missing = client.post(confirm, {"csrfmiddlewaretoken": token, "when": "later", "at": "", "expected": "4"})
    assert "Give the date and time at which to send." in missing.content.decode()
    assert ScheduledSend.objects.count() == 0 and Delivery.objects.count() == 0
    done = client.post(confirm, {"csrfmiddlewaretoken": token, "when": "now", "expected": "4"})
    assert (done.status_code, done["Location"]) == (302, f"/workspace/editions/{edition.pk}/")
    assert Delivery.objects.count() == 4
    page = client.get(f"/workspace/editions/{edition.pk}/").content.decode()
    assert "Sending to 4 subscribers has started." in page
    assert f'hx-get="/workspace/editions/{edition.pk}/sending/progress/" hx-trigger="every 2s"' in page

    progress = f"/workspace/editions/{edition.pk}/sending/progress/"
    running = client.get(progress)
    assert running.status_code == 200 and '<dd data-count="waiting">4</dd>' in running.content.decode()
    Worker(connections=1).run(until_idle=True)
    finished = client.get(progress)
    assert finished.status_code == 286  # htmx stops polling
    body = finished.content.decode()
    assert '<dd data-count="sent">4</dd>' in body and "Finished" in body
    cancel = f"/workspace/editions/{edition.pk}/sending/cancel/"
    response = client.post(cancel, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "This send has already finished (4 sent, 0 failed or bounced, 0 skipped); there is nothing left to cancel." in \
        client.get(response["Location"]).content.decode()


def test_the_desk_sends_a_test_and_names_a_bad_address(edition, editor, smtp):
    client = Client()
    client.force_login(editor)
    url = f"/workspace/editions/{edition.pk}/sending/test/"
    response = client.post(url, {"addresses": "editor@example.org, nobody@"}, follow=True)
    assert "“nobody@” is not a valid email address: " in response.content.decode() and smtp.messages == []
    response = client.post(url, {"addresses": "editor@example.org"}, follow=True)
    assert "Test sent to editor@example.org." in response.content.decode()
    assert [to for to, _ in smtp.messages] == [["editor@example.org"]]


def test_scheduling_and_pausing_from_the_page(edition, editor):
    _readers(2)
    client = Client()
    client.force_login(editor)
    confirm = f"/workspace/editions/{edition.pk}/sending/confirm/"
    when = timezone.localtime(timezone.now() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    response = client.post(confirm, {"when": "later", "at": when.strftime("%Y-%m-%dT%H:%M"), "expected": "2"}, follow=True)
    assert ScheduledSend.objects.get().run_at == when
    page = response.content.decode()
    assert "Scheduled" in page and "Cancel the schedule" in page
    response = client.post(f"/workspace/editions/{edition.pk}/sending/cancel/", follow=True)
    assert "is cancelled." in response.content.decode() and ScheduledSend.objects.get().state == "cancelled"
    workflows.start_send(editor, edition)
    response = client.post(f"/workspace/editions/{edition.pk}/sending/pause/", follow=True)
    page = response.content.decode()
    assert "Sending paused. Nothing more goes out until you resume it." in page and "Paused by editor since" in page
    assert client.get(f"/workspace/editions/{edition.pk}/sending/progress/").status_code == 286  # paused: nothing to follow
    report = client.get(f"/workspace/editions/{edition.pk}/sending/report/").content.decode()
    assert "Send scheduled" in report and "Send cancelled" in report and "Send paused" in report


@pytest.mark.parametrize("method, path", [
    ("post", "sending/test/"), ("post", "sending/confirm/"), ("get", "sending/confirm/"), ("post", "sending/pause/"),
    ("post", "sending/resume/"), ("post", "sending/cancel/"), ("get", "sending/progress/"), ("get", "sending/report/"),
    ("get", "sending/report.csv"),
])
def test_nobody_but_editors_reaches_the_desk(edition, editor, smtp, method, path):
    _readers(2)
    workflows.start_send(editor, edition)
    url = f"/workspace/editions/{edition.pk}/{path}"
    data = {"addresses": "me@example.org", "when": "now", "expected": "0"} if method == "post" else None
    anonymous = getattr(Client(), method)(url, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/?next=")
    for username in ("icap", "eropa", "reader"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert getattr(client, method)(url, data).status_code == 403
    assert smtp.messages == [] and SendPause.objects.count() == 0 and ScheduledSend.objects.count() == 0
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    assert _audit(edition) == []


def test_send_command_pauses_and_cancels(edition, capsys):
    _readers(2)
    call_command("send", "--latest")
    call_command("send", "--latest", "--pause")
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"UNPAN Partners' Newsletter: sending paused; `partnerpost send {edition.slug} --resume` goes on with it.")
    assert SendPause.objects.get().paused_by is None  # the operator
    with pytest.raises(CommandError, match="^--pause and --cancel do not go together.$"):
        call_command("send", "--latest", "--pause", "--cancel")
    call_command("send", "--latest", "--cancel")
    assert capsys.readouterr().out == "UNPAN Partners' Newsletter: 2 waiting deliveries cancelled.\n"
    assert SendPause.objects.count() == 0
    with pytest.raises(CommandError) as raised:
        call_command("send", "--latest", "--cancel")
    assert str(raised.value) == "This send has already finished (0 sent, 0 failed or bounced, 0 skipped); there is nothing left to cancel."
    assert [action for action, _ in _audit(edition)] == ["pause", "cancel"]
