"""Bounces and complaints read by `partnerpost bounces read`, for messages delivered through a real SMTP server."""

import json
import mailbox
import re

import pytest
from django.core.management import call_command

from partnerpost.audience.models import ConsentRecord, Subscriber
from partnerpost.editions import workflows as edition_workflows
from partnerpost.editions.models import Edition
from partnerpost.mailing.models import BounceRecord, Delivery
from partnerpost.mailing.outbox import send_edition
from partnerpost.mailing.verp import delivery_in, sender_for
from partnerpost.mailing.worker import Worker
from tests.mailing.test_delivery import edition, editor  # noqa: F401  (fixtures)


def _another_edition(editor, edition, title):  # noqa: F811
    new = edition_workflows.create_edition(editor, Edition(
        title=title, period_start=edition.period_start, period_end=edition.period_end, language="en"))
    return edition_workflows.publish_edition(editor, new)


def _dsn(envelope_sender, *, status="5.1.1", action="failed", message_id="<dsn-1@mx.example.net>", recipient="reader@example.org"):
    """A delivery status notification as a receiving MTA writes it (RFC 3464), addressed to our envelope sender."""
    return f"""From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: {envelope_sender}
Subject: Undelivered Mail Returned to Sender
Message-ID: {message_id}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"

--dsn-boundary
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net. Your message could not be delivered.

--dsn-boundary
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; {recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 {status} <{recipient}>: Recipient address rejected: User unknown

--dsn-boundary
Content-Type: text/rfc822-headers

Return-Path: <{envelope_sender}>
To: {recipient}
Subject: The newsletter

--dsn-boundary--
""".replace("\n", "\r\n").encode()


def _arf(envelope_sender, recipient="reader@example.org"):
    """A complaint passed on by a mail provider's feedback loop (RFC 5965)."""
    return f"""From: Feedback Loop <fbl@provider.example.net>
To: abuse@localhost
Subject: Abuse report
Message-ID: <arf-1@provider.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="arf-boundary"

--arf-boundary
Content-Type: text/plain; charset=us-ascii

This is an email abuse report for a message received from your network.

--arf-boundary
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ProviderFBL/1.0
Version: 1
Original-Mail-From: <{envelope_sender}>
Original-Rcpt-To: <{recipient}>
Reporting-MTA: dns; provider.example.net

--arf-boundary
Content-Type: message/rfc822

Return-Path: <{envelope_sender}>
To: {recipient}
Subject: The newsletter

...
--arf-boundary--
""".replace("\n", "\r\n").encode()


def _read(*paths):
    call_command("bounces", "read", *map(str, paths), "--json")


def _summary(capsys, *paths):
    _read(*paths)
    return json.loads(capsys.readouterr().out)


def test_verp_sender_names_its_delivery_and_cannot_be_forged(settings):
    settings.MAILING_BOUNCE_ADDRESS = "Bounces <bounces@news.example.org>"
    address = sender_for(1234)
    assert re.fullmatch(r"bounces\+1234-[0-9a-f]{12}@news\.example\.org", address)
    assert delivery_in(f"<{address}>") == 1234
    assert delivery_in(address.upper()) == 1234  # relays may change the case
    assert delivery_in(address.replace("+1234-", "+1235-")) is None  # another delivery with this signature
    assert delivery_in("bounces+1234-000000000000@news.example.org") is None
    settings.SECRET_KEY = "another-key-" + "x" * 40
    assert delivery_in(address) is None


def test_a_dsn_to_the_envelope_sender_read_twice_counts_once_and_the_limit_bounces(edition, editor, smtp, settings, tmp_path, capsys):  # noqa: F811
    settings.BOUNCE_LIMIT = 2
    reader = Subscriber.objects.create(email="reader@example.org", status="confirmed")
    Subscriber.objects.create(email="other@example.org", status="confirmed")
    second = _another_edition(editor, edition, "Second edition")
    third = _another_edition(editor, edition, "Third edition")
    send_edition(editor, edition)
    send_edition(editor, second)
    Worker(connections=1).run(until_idle=True)
    senders = {(to[0], message["Subject"].split(" –")[0]): sender for (to, message), sender in zip(smtp.messages, smtp.senders)}
    first_sender = senders[("reader@example.org", "UNPAN Partners' Newsletter")]
    second_sender = senders[("reader@example.org", "Second edition")]
    assert first_sender != second_sender
    assert delivery_in(first_sender) == Delivery.objects.get(edition=edition, subscriber=reader).pk
    send_edition(editor, third)  # queued before the bounces are read: the worker checks again when it claims

    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    maildir.add(_dsn(first_sender))
    summary = _summary(capsys, tmp_path / "Maildir")
    assert (summary["read"], summary["hard_bounces"], summary["duplicates"]) == (1, 1, 0)
    summary = _summary(capsys, tmp_path / "Maildir")  # the same bounce again
    assert (summary["read"], summary["hard_bounces"], summary["duplicates"]) == (1, 0, 1)
    reader.refresh_from_db()
    assert (reader.status, reader.hard_bounces) == ("confirmed", 1)

    eml = tmp_path / "second.eml"
    eml.write_bytes(_dsn(second_sender, message_id="<dsn-2@mx.example.net>"))
    summary = _summary(capsys, eml)
    assert (summary["hard_bounces"], summary["subscribers_bounced"]) == (1, ["reader@example.org"])
    reader.refresh_from_db()
    assert (reader.status, reader.hard_bounces) == ("bounced", 2)
    consent = ConsentRecord.objects.filter(subscriber=reader).last()
    assert (consent.action, consent.source) == ("bounce", "delivery")
    assert consent.note == "bounce report: 5.1.1 smtp; 550 5.1.1 <reader@example.org>: Recipient address rejected: User unknown"

    smtp.messages.clear()
    Worker(connections=1).run(until_idle=True)
    assert [to for to, _ in smtp.messages] == [["other@example.org"]]
    skipped = Delivery.objects.get(edition=third, subscriber=reader)
    assert (skipped.status, skipped.last_error) == ("skipped", "skipped: the subscriber is bounced now")
    assert eml.read_bytes() == _dsn(second_sender, message_id="<dsn-2@mx.example.net>")  # left as it was


def test_a_second_report_for_the_same_delivery_counts_once(edition, editor, smtp, tmp_path, capsys):  # noqa: F811
    reader = Subscriber.objects.create(email="reader@example.org", status="confirmed")
    send_edition(editor, edition)
    Worker(connections=1).run(until_idle=True)
    [sender] = smtp.senders
    (tmp_path / "a.eml").write_bytes(_dsn(sender, message_id="<a@mx.example.net>"))
    (tmp_path / "b.eml").write_bytes(_dsn(sender, message_id="<b@mx.example.net>"))
    summary = _summary(capsys, tmp_path / "a.eml", tmp_path / "b.eml")
    assert (summary["hard_bounces"], summary["hard_bounces_already_counted"]) == (1, 1)
    reader.refresh_from_db()
    assert reader.hard_bounces == 1


def test_soft_bounces_are_only_recorded_and_complaints_unsubscribe(edition, editor, smtp, tmp_path, capsys):  # noqa: F811
    reader = Subscriber.objects.create(email="reader@example.org", status="confirmed")
    send_edition(editor, edition)
    Worker(connections=1).run(until_idle=True)
    [sender] = smtp.senders
    box = mailbox.mbox(tmp_path / "bounces.mbox")
    box.add(_dsn(sender, status="4.2.2", action="delayed", message_id="<soft@mx.example.net>"))
    box.add(_arf(sender))
    box.flush()
    box.close()
    before = (tmp_path / "bounces.mbox").read_bytes()
    summary = _summary(capsys, tmp_path / "bounces.mbox")
    assert (summary["read"], summary["soft_bounces"], summary["complaints"], summary["hard_bounces"]) == (2, 1, 1, 0)
    reader.refresh_from_db()
    assert (reader.status, reader.hard_bounces) == ("complained", 0)
    consent = ConsentRecord.objects.filter(subscriber=reader).last()
    assert (consent.action, consent.source, consent.note) == ("unsubscribe", "delivery", "complaint (abuse) from provider.example.net")
    assert sorted(BounceRecord.objects.values_list("kind", "status", "counted")) == [("complaint", "", True), ("soft", "4.2.2", False)]
    assert (tmp_path / "bounces.mbox").read_bytes() == before


def test_other_messages_forged_reports_and_unreadable_files_are_reported_and_left(edition, editor, smtp, tmp_path, capsys):  # noqa: F811
    reader = Subscriber.objects.create(email="reader@example.org", status="confirmed")
    send_edition(editor, edition)
    Worker(connections=1).run(until_idle=True)
    [sender] = smtp.senders
    holiday = tmp_path / "holiday.eml"
    holiday.write_bytes(b"From: reader@example.org\r\nTo: " + sender.encode() + b"\r\nSubject: Out of office\r\n"
                        b"Message-ID: <ooo@example.org>\r\n\r\nI am away until Monday.\r\n")
    forged = tmp_path / "forged.eml"
    forged.write_bytes(_dsn(sender.replace("+", "+9").rsplit("-", 1)[0] + "-0123456789ab@localhost", message_id="<forged@x>"))
    broken = tmp_path / "broken.eml"
    broken.write_bytes(b"\x00\x01\x02 not a message \xff")
    missing = tmp_path / "missing.eml"
    call_command("bounces", "read", str(holiday), str(forged), str(broken), str(missing))
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "2 messages read: 0 hard bounces counted, 0 soft bounces recorded, 0 complaints, 0 read before.",
        f"Left alone, not a bounce or complaint: {holiday} (not a delivery report or complaint (text/plain))",
        f"Left alone, a hard report about no message of ours (no signed bounce address): {forged}",
    ]
    assert err.splitlines() == [
        f"Could not read {broken}: not an RFC 5322 message; left in place.",
        f"Could not read {missing}: No such file or directory; left in place.",
    ]
    assert broken.read_bytes() == b"\x00\x01\x02 not a message \xff"
    reader.refresh_from_db()
    assert (reader.status, reader.hard_bounces) == ("confirmed", 0)
    assert BounceRecord.objects.count() == 0
