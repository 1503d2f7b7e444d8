"""Reading bounces and complaints: `partnerpost bounces read PATH...`.

Each PATH is an RFC 5322 message (an .eml file), an mbox file or a Maildir directory, read with
Python's `email` and `mailbox` modules. Nothing is moved, marked or deleted: the files stay as
they were, whatever was found in them. Each message is one of:

- an RFC 3464 delivery status notification (multipart/report; report-type=delivery-status):
  a failure with a 5.x.x status is a hard bounce, counted towards BOUNCE_LIMIT (once per
  delivery, however many reports arrive for it); a 4.x.x status, or the action "delayed", is a
  soft bounce, only recorded;
- an RFC 5965 complaint (multipart/report; report-type=feedback-report): the subscriber stops
  receiving at once (status complained), with a consent record;
- anything else (an out-of-office reply, a "delivered" notice, a person's answer): left alone
  and listed in the summary.

Whom a report is about is read only from the signed VERP address (verp.py) it was sent to or
that it quotes (Return-Path of the returned message, Original-Mail-From of a complaint), never
from an address or Message-ID anyone could type. A report that names no such address is listed
as "not ours". The same message read twice (same Message-ID, or same bytes without one) counts once.
"""

from __future__ import annotations

import email
import hashlib
import mailbox
import re
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import HeaderParser
from pathlib import Path

from django.db import IntegrityError, transaction

from .models import BounceKind, BounceRecord, Delivery
from .verp import delivery_in

#: Headers of the report itself that carry the address it was delivered to (the envelope sender of our message).
ENVELOPE_HEADERS = ("To", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "X-Failed-Recipients", "Return-Path")
_STATUS = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")


@dataclass
class Finding:
    """What one message is."""

    kind: str  # hard, soft, complaint, or "other"
    delivery_id: int | None = None
    status: str = ""
    diagnostic: str = ""
    reason: str = ""  # for "other": why it is not a bounce or complaint


@dataclass
class Summary:
    read: int = 0
    hard: int = 0  # hard bounces counted towards BOUNCE_LIMIT
    hard_again: int = 0  # hard bounces for a delivery that had already bounced
    soft: int = 0
    complaints: int = 0
    duplicates: int = 0
    bounced: list[str] = field(default_factory=list)  # subscribers marked bounced by this run
    not_bounces: list[dict] = field(default_factory=list)
    not_ours: list[dict] = field(default_factory=list)
    unreadable: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "read": self.read, "hard_bounces": self.hard, "hard_bounces_already_counted": self.hard_again,
            "soft_bounces": self.soft, "complaints": self.complaints, "duplicates": self.duplicates,
            "subscribers_bounced": self.bounced, "not_bounces": self.not_bounces, "not_ours": self.not_ours,
            "unreadable": self.unreadable,
        }


# Reading the files --------------------------------------------------------------------

def messages(path: str):
    """(name, raw bytes) of each message at a path; (name, error text) as a str for what cannot be read."""
    place = Path(path)
    if place.is_dir():
        if not all((place / sub).is_dir() for sub in ("cur", "new", "tmp")):
            yield path, "a directory that is not a Maildir (it needs cur, new and tmp)"
            return
        box = mailbox.Maildir(place, factory=None, create=False)
        for key in sorted(box.keys()):
            yield f"{path}[{key}]", box.get_bytes(key)
        return
    try:
        with open(place, "rb") as handle:
            head = handle.read(5)
    except OSError as exc:
        yield path, exc.strerror or str(exc)
        return
    if head == b"From ":
        box = mailbox.mbox(place, factory=None, create=False)
        try:
            for number, key in enumerate(box.keys(), start=1):
                yield f"{path}[{number}]", box.get_bytes(key)
        finally:
            box.close()
        return
    yield path, place.read_bytes()


def parse(raw: bytes) -> Message | None:
    """The message, or None when the bytes are not an RFC 5322 message at all."""
    if not raw.strip() or b"\x00" in raw:
        return None
    try:
        message = email.message_from_bytes(raw, policy=policy.compat32)
    except Exception:  # the email package raises little, but a broken file must not stop the run
        return None
    # A real message starts with header fields: "Name: value" lines, not prose or binary.
    if not message.keys() or any(" " in name or not name.isprintable() for name in message.keys()):
        return None
    return message


# Understanding a message ------------------------------------------------------------------

def _blocks(part: Message) -> list[Message]:
    """The field blocks of a message/delivery-status or message/feedback-report part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    text = payload if isinstance(payload, str) else ""
    return [HeaderParser().parsestr(chunk.strip() + "\n") for chunk in re.split(r"\r?\n\r?\n", text) if chunk.strip()]


def _quoted_headers(report: Message) -> list[Message]:
    """The header blocks of the returned or reported original message (message/rfc822, text/rfc822-headers)."""
    quoted = []
    for part in report.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            quoted += [m for m in (inner if isinstance(inner, list) else [inner]) if isinstance(m, Message)]
        elif ctype in ("text/rfc822-headers", "text/rfc822-header"):
            text = part.get_payload(decode=True) or b""
            quoted.append(HeaderParser().parsestr(text.decode("utf-8", "replace")))
    return quoted


def _delivery(report: Message, extra: list[str]) -> int | None:
    texts = [str(value) for name in ENVELOPE_HEADERS for value in report.get_all(name, [])]
    texts += extra
    for original in _quoted_headers(report):
        texts += [str(value) for value in original.get_all("Return-Path", [])]
    for text in texts:
        found = delivery_in(text)
        if found is not None:
            return found
    return None


def understand(report: Message) -> Finding:
    ctype = report.get_content_type()
    report_type = (report.get_param("report-type") or "").lower() if ctype == "multipart/report" else ""
    if report_type == "delivery-status":
        return _dsn(report)
    if report_type == "feedback-report":
        return _arf(report)
    return Finding("other", reason=f"not a delivery report or complaint ({ctype})")


def _dsn(report: Message) -> Finding:
    status_parts = [part for part in report.walk() if part.get_content_type() in ("message/delivery-status", "message/global-delivery-status")]
    if not status_parts:
        return Finding("other", reason="a delivery report without its message/delivery-status part")
    blocks = _blocks(status_parts[0])
    recipients = [block for block in blocks if block.get("Action") or block.get("Final-Recipient")]
    failures = []
    for block in recipients:
        action = (block.get("Action") or "").strip().lower()
        match = _STATUS.search(block.get("Status") or "")
        status = match.group(0) if match else ""
        diagnostic = " ".join((block.get("Diagnostic-Code") or "").split())
        if action == "failed" and status.startswith("5"):
            failures.append(("hard", status, diagnostic))
        elif action in ("failed", "delayed") or status.startswith("4"):
            failures.append(("soft", status, diagnostic))
    if not failures:
        actions = ", ".join(sorted({(b.get("Action") or "?").strip().lower() for b in recipients})) or "none"
        return Finding("other", reason=f"a delivery report that reports no failure (action: {actions})")
    kind, status, diagnostic = next((f for f in failures if f[0] == "hard"), failures[0])
    return Finding(kind, _delivery(report, []), status, diagnostic[:300])


def _arf(report: Message) -> Finding:
    parts = [part for part in report.walk() if part.get_content_type() == "message/feedback-report"]
    if not parts:
        return Finding("other", reason="a feedback report without its message/feedback-report part")
    fields = _blocks(parts[0])
    values = {name.lower(): str(value) for block in fields for name, value in block.items()}
    feedback = values.get("feedback-type", "").strip().lower()
    if feedback == "not-spam":
        return Finding("other", reason="a feedback report of type not-spam")
    extra = [value for block in fields for value in block.get_all("Original-Mail-From", [])]
    reporter = values.get("reporting-mta", "").split(";", 1)[-1].strip() or values.get("user-agent", "").strip() or "a mail provider"
    note = f"complaint ({feedback or 'abuse'}) from {reporter}"
    return Finding("complaint", _delivery(report, extra), "", " ".join(note.split())[:300])


def fingerprint(report: Message, raw: bytes) -> str:
    message_id = (report.get("Message-ID") or "").strip()
    return hashlib.sha256(message_id.encode() if message_id else raw).hexdigest()


# Acting on it --------------------------------------------------------------------------------

def record(finding: Finding, fingerprint: str, source: str) -> str:
    """Record a bounce or complaint and act on it; returns what happened:
    counted, again (a delivery already counted), logged (soft), duplicate, or not_ours."""
    from partnerpost.audience.workflows import record_complaint, record_hard_bounce

    delivery = Delivery.objects.filter(pk=finding.delivery_id).first() if finding.delivery_id else None
    if delivery is None:
        return "not_ours"
    try:
        with transaction.atomic():
            row = BounceRecord.objects.create(
                fingerprint=fingerprint, kind=finding.kind, delivery=delivery, subscriber_id=delivery.subscriber_id,
                status=finding.status, diagnostic=finding.diagnostic, source=source[:300],
            )
            if finding.kind == BounceKind.SOFT or delivery.subscriber_id is None:
                return "logged"  # a message to registrants: nobody's newsletter subscription to change
            if finding.kind == BounceKind.HARD:
                # Counted once per delivery: the lock on the delivery row orders two readers of two reports.
                Delivery.objects.select_for_update().filter(pk=delivery.pk).first()
                if BounceRecord.objects.filter(delivery=delivery, kind=BounceKind.HARD, counted=True).exists():
                    return "again"
                text = " ".join(filter(None, [finding.status, finding.diagnostic])) or "bounce report"
                bounced = record_hard_bounce(delivery.subscriber_id, f"bounce report: {text}"[:300])
            else:
                bounced = False
                record_complaint(delivery.subscriber_id, finding.diagnostic or "complaint")
            row.counted = True
            row.save(update_fields=["counted"])
            return "bounced" if bounced else "counted"
    except IntegrityError:
        return "duplicate"


def read(paths) -> Summary:
    summary = Summary()
    for path in paths:
        for source, raw in messages(path):
            if isinstance(raw, str):
                summary.unreadable.append({"source": source, "error": raw})
                continue
            report = parse(raw)
            if report is None:
                summary.unreadable.append({"source": source, "error": "not an RFC 5322 message"})
                continue
            summary.read += 1
            finding = understand(report)
            if finding.kind == "other":
                summary.not_bounces.append({"source": source, "reason": finding.reason})
                continue
            outcome = record(finding, fingerprint(report, raw), source)
            if outcome == "not_ours":
                summary.not_ours.append({"source": source, "kind": finding.kind})
            elif outcome == "duplicate":
                summary.duplicates += 1
            elif finding.kind == BounceKind.SOFT:
                summary.soft += 1
            elif finding.kind == BounceKind.COMPLAINT:
                summary.complaints += 1
            elif outcome == "again":
                summary.hard_again += 1
            else:
                summary.hard += 1
                if outcome == "bounced":
                    summary.bounced.append(Delivery.objects.get(pk=finding.delivery_id).email)
    return summary
