import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from partnerpost.audience.models import Subscriber
from partnerpost.editions.models import Edition
from partnerpost.mailing.models import Delivery
from partnerpost.mailing.outbox import SendError, progress, send_edition
from partnerpost.mailing.worker import Worker
from tests.plans import assert_read_in_index_order


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
    from partnerpost.network.models import User

    return User.objects.get(username="editor")


def _subscribers(n, status="confirmed", language="en"):
    return [Subscriber.objects.create(email=f"reader{i}@example.org", status=status, language=language) for i in range(n)]


def test_send_creates_one_delivery_per_confirmed_subscriber(edition, editor):
    _subscribers(3)
    Subscriber.objects.create(email="pending@example.org", status="pending")
    Subscriber.objects.create(email="gone@example.org", status="unsubscribed")
    assert send_edition(editor, edition) == 3
    assert sorted(Delivery.objects.values_list("email", flat=True)) == ["reader0@example.org", "reader1@example.org", "reader2@example.org"]
    Subscriber.objects.create(email="late@example.org", status="confirmed")
    assert send_edition(editor, edition) == 1  # only the newcomer; nobody twice
    assert Delivery.objects.count() == 4
    assert Edition.objects.get(pk=edition.pk).state == "sent"


def test_only_editors_send_published_editions(edition, editor):
    from partnerpost.network.models import User

    with pytest.raises(PermissionDenied):
        send_edition(User.objects.get(username="icap"), edition)
    draft = Edition.objects.create(title="Draft", slug="draft", period_start=dt.date(2021, 1, 1), period_end=dt.date(2021, 3, 31))
    with pytest.raises(SendError, match="Publish the edition before sending it."):
        send_edition(editor, draft)
    assert Delivery.objects.count() == 0


def test_content_and_headers(edition, editor, smtp, settings):
    settings.SITE_URL = "https://newsletter.public-administration-network.example.org/partners"
    [reader] = _subscribers(1)
    send_edition(editor, edition)
    Worker(connections=1).run(until_idle=True)
    [(to, message)] = smtp.messages
    delivery = Delivery.objects.get()
    assert to == ["reader0@example.org"] and delivery.status == "sent" and delivery.attempts == 1
    assert message["To"] == "reader0@example.org"
    assert message["Subject"] == "UNPAN Partners' Newsletter – October – November – December 2020"
    assert message["Message-ID"] == f"<delivery-{delivery.pk}.edition-{edition.pk}@newsletter.public-administration-network.example.org>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://newsletter.public-administration-network.example.org/partners/unsubscribe/")
    assert len(unsubscribe) > 78 and "=?utf-8?" not in unsubscribe  # long, yet one plain line
    header = [line for line in smtp.raw[0].split(b"\r\n") if line.startswith(b"List-Unsubscribe:")]
    assert header == [b"List-Unsubscribe: " + unsubscribe.encode()]
    assert message.defects == [] and message.get_content_type() == "multipart/alternative"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    url = unsubscribe.strip("<>")
    assert f'href="{url}"' in html and f"Unsubscribe: {url}" in text
    assert "Taller virtual Prospectiva e innovación en la gestión territorial" in html and "innovación" in text
    # The one-click link works without cookie or CSRF token.
    path = url.split("/partners", 1)[1]
    response = Client(enforce_csrf_checks=True).post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.status == "unsubscribed"


def test_temporary_failures_are_retried(edition, editor, smtp):
    _subscribers(3)
    smtp.rcpt_script = {"reader1@example.org": ["451 4.7.1 Greylisted, try again"]}
    smtp.drop_data = 1
    send_edition(editor, edition)
    Worker(connections=1).run(until_idle=True)
    received = sorted(to[0] for to, _ in smtp.messages)
    assert received == ["reader0@example.org", "reader1@example.org", "reader2@example.org"]
    rows = dict(Delivery.objects.values_list("email", "attempts"))
    assert rows["reader1@example.org"] == 2
    # Three sends and one greylisting retry; the dropped connection is the relay's trouble and costs no attempt.
    assert sum(rows.values()) == 4
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_permanent_failures_fail_and_bounce(edition, editor, smtp, settings):
    settings.BOUNCE_LIMIT = 1
    _subscribers(2)
    smtp.rcpt_script = {"reader0@example.org": ["550 5.1.1 No such user"]}
    send_edition(editor, edition)
    Worker(connections=1).run(until_idle=True)
    failed = Delivery.objects.get(email="reader0@example.org")
    assert (failed.status, failed.last_error) == ("failed", "550 5.1.1 No such user")
    assert Subscriber.objects.get(email="reader0@example.org").status == "bounced"
    assert [to for to, _ in smtp.messages] == [["reader1@example.org"]]


def test_only_a_refusal_at_rcpt_counts_against_the_recipient_and_pauses_nothing(edition, editor, smtp, settings):
    from partnerpost.mailing.models import SendPause

    settings.BOUNCE_LIMIT = 2
    readers = [Subscriber.objects.create(email=f"reader{i}@example.org", status="confirmed", hard_bounces=1) for i in range(3)]
    smtp.rcpt_script = {"reader1@example.org": ["550 5.1.1 No such user"]}
    send_edition(editor, edition)
    Worker(connections=1).run(until_idle=True)
    assert sorted(to[0] for to, _ in smtp.messages) == ["reader0@example.org", "reader2@example.org"]
    statuses = {r.email: (r.status, r.hard_bounces) for r in Subscriber.objects.filter(pk__in=[r.pk for r in readers])}
    assert statuses == {"reader0@example.org": ("confirmed", 1), "reader1@example.org": ("bounced", 2), "reader2@example.org": ("confirmed", 1)}
    assert not SendPause.objects.exists()


def test_a_relay_refusing_our_sign_in_pauses_the_send(edition, editor, smtp, settings):
    """Settings the relay cannot work with (here AUTH, which the test relay does not offer) are no
    recipient's fault: the send pauses with the reason, and nobody is counted."""
    from partnerpost.mailing.models import SendPause

    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "newsletter", "secret"
    _subscribers(2)
    send_edition(editor, edition)
    Worker(connections=1).run(until_idle=True)
    assert smtp.messages == []
    assert set(Delivery.objects.values_list("status", "attempts")) == {("pending", 0)}
    assert SendPause.objects.get().reason == "connection: SMTP AUTH extension not supported by server."
    assert set(Subscriber.objects.values_list("hard_bounces", flat=True)) == {0}


def test_retries_stop_at_the_limit(edition, editor, smtp, settings):
    settings.MAILING_MAX_ATTEMPTS = 2
    _subscribers(1)
    smtp.rcpt_script = {"reader0@example.org": ["452 Mailbox full"] * 5}
    send_edition(editor, edition)
    Worker(connections=1).run(until_idle=True)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert delivery.last_error == "gave up after 2 attempts: 452 Mailbox full"


def test_expired_lease_is_taken_up(edition, editor, smtp):
    _subscribers(2)
    send_edition(editor, edition)
    from django.utils import timezone

    Delivery.objects.filter(email="reader0@example.org").update(status="sending", worker="dead", lease_until=timezone.now() - dt.timedelta(seconds=1))
    Delivery.objects.filter(email="reader1@example.org").update(status="sending", worker="alive", lease_until=timezone.now() + dt.timedelta(hours=1))
    from partnerpost.mailing.worker import claim

    assert [row.email for row in claim("me", 10, 60)] == ["reader0@example.org"]


def test_a_claim_walks_an_index_instead_of_sorting_the_pending_rows(edition, editor):
    """Each claim takes the next batch in (next_attempt_at, id) order. Unless an index gives that order, the
    database sorts every pending row at every claim: a million-recipient send slowed down as it went."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partnerpost.mailing.worker import claim

    _subscribers(60)
    send_edition(editor, edition)
    with CaptureQueriesContext(connection) as captured:
        assert len(claim("me", 10, 60)) == 10
    statements = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE") and "LIMIT" in q["sql"]]
    assert len(statements) == 2, statements  # expired leases first, then due rows
    # The due rows are many; the expired leases are at most the batches in flight, so sorting those is cheap.
    due = [sql for sql in statements if "next_attempt_at <=" in sql]
    assert len(due) == 1, statements
    assert_read_in_index_order(due[0])


@pytest.mark.postgres_only
def test_a_large_send_refreshes_the_outbox_statistics(edition, editor, monkeypatch):
    """With autovacuum off or behind, the planner thought a million-row outbox nearly empty and chose a plan
    that sorted every pending row at each claim. A large send analyzes the table as it queues."""
    from django.db import connection

    from partnerpost.mailing import outbox

    monkeypatch.setattr(outbox, "ANALYZE_AFTER", 5)
    _subscribers(6)

    def analyzed():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'mailing_delivery' AND attname = 'status'")
            return cursor.fetchone()[0]

    assert analyzed() == 0
    send_edition(editor, edition)
    assert analyzed() == 1


def test_recipients_get_their_language(edition, editor, smtp):
    from partnerpost.editions import workflows

    spanish = workflows.create_edition(editor, Edition(
        title="Boletín de los socios", period_start=edition.period_start, period_end=edition.period_end, language="es",
        translation_of=edition,
    ))
    spanish = workflows.publish_edition(editor, spanish)
    _subscribers(1, language="es")
    Subscriber.objects.create(email="english@example.org", status="confirmed", language="en")
    Subscriber.objects.create(email="french@example.org", status="confirmed", language="fr")
    with pytest.raises(SendError, match="Send the original edition"):
        send_edition(editor, spanish)
    send_edition(editor, edition)
    Worker(connections=1).run(until_idle=True)
    subjects = {to[0]: message["Subject"] for to, message in smtp.messages}
    assert subjects["reader0@example.org"].startswith("Boletín de los socios")
    assert subjects["english@example.org"].startswith("UNPAN Partners' Newsletter")
    assert subjects["french@example.org"].startswith("UNPAN Partners' Newsletter")  # no French edition: the original


@pytest.mark.django_db(transaction=True)
def test_send_command_waits_and_reports(edition, smtp, capsys):
    from django.core.management import call_command

    _subscribers(4)
    call_command("send", "--latest", "--wait", "--connections", "1")
    out = capsys.readouterr()
    assert "4 deliveries queued" in out.out and "Done: 4 sent, 0 failed" in out.out
    assert "[##############################] 4/4" in out.err
    assert len(smtp.messages) == 4
    assert progress(edition)["sent"] == 4
