"""The sending worker: claims deliveries in small leased batches and sends them over pooled SMTP connections.

Guarantees, and how they are kept:
- No recipient is lost. A row leaves `pending` only when claimed with a lease; a worker that
  dies leaves its rows `sending` with an expired lease, and the next claim takes them up.
- Nothing is sent twice, except messages in flight when a worker dies. Each connection sends
  one message at a time and records it `sent` as soon as the server accepted it, before the
  next; so a crash can duplicate at most one message per open connection.
- Several workers share a send. On PostgreSQL claims use FOR UPDATE SKIP LOCKED; on SQLite
  the write transaction itself is exclusive.
- Only a refusal about the recipient (an answer to RCPT TO) counts against the recipient.
  A permanent refusal of anything else (the greeting, HELO, sign-in, our envelope sender at
  MAIL FROM, the message at DATA) pauses the edition's send and tells the editors; the row goes
  back to waiting as it was. A temporary one (connection refused or lost, time-outs, 4xx outside
  RCPT, or 4xx to RCPT for many recipients in a row) opens the worker's circuit breaker: its
  connections wait, longer each time up to MAILING_BREAKER_MAX_SECONDS, and spend no attempt.
- Whoever stopped receiving editions after the send was queued (unsubscribed, bounced) is
  skipped when the row is claimed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import socket
import ssl
import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from partnerpost.lib.config import url_host

from .handover import uses_smtp
from .models import Delivery, DeliveryStatus, SendPause

log = logging.getLogger(__name__)


@dataclass
class Claimed:
    id: int
    edition_id: int
    subscriber_id: int
    email: str
    language: str
    attempts: int


def claim(worker: str, limit: int, lease_seconds: int) -> list[Claimed]:
    """Atomically take up to `limit` due deliveries, including ones whose lease has expired."""
    now = timezone.now()
    lease = now + dt.timedelta(seconds=lease_seconds)
    table = Delivery._meta.db_table
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    # Rows of a paused send are left alone until an editor resumes it.
    sql = (
        f"UPDATE {table} SET status = %s, lease_until = %s, worker = %s "
        f"WHERE id IN (SELECT id FROM {table} WHERE ((status = %s AND next_attempt_at <= %s) "
        f"OR (status = %s AND lease_until < %s)) AND edition_id NOT IN (SELECT edition_id FROM {SendPause._meta.db_table}) "
        f"ORDER BY id LIMIT %s{lock}) "
        f"RETURNING id, edition_id, subscriber_id, email, language, attempts"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [DeliveryStatus.SENDING, lease, worker, DeliveryStatus.PENDING, now, DeliveryStatus.SENDING, now, limit])
        rows = [Claimed(*row) for row in cursor.fetchall()]
        if rows:
            rows = _skip_departed(rows)
    rows.sort(key=lambda row: row.id)
    return rows


def _skip_departed(rows: list[Claimed]) -> list[Claimed]:
    """Mark skipped the claimed rows whose subscriber no longer receives editions; return the others.

    The outbox was filled when the send was queued; people unsubscribe (or bounce on another
    edition) while it runs. Checked in the claiming transaction, so at most one batch old."""
    from partnerpost.audience.models import Subscriber

    ids = {row.subscriber_id for row in rows}
    receiving = set(Subscriber.objects.receiving().filter(pk__in=ids).values_list("pk", flat=True))
    departed = [row for row in rows if row.subscriber_id not in receiving]
    if not departed:
        return rows
    statuses = dict(Subscriber.objects.filter(pk__in={row.subscriber_id for row in departed}).values_list("pk", "status"))
    by_status: dict[str, list[int]] = {}
    for row in departed:
        by_status.setdefault(statuses.get(row.subscriber_id, "gone"), []).append(row.id)
    for status, row_ids in by_status.items():
        Delivery.objects.filter(pk__in=row_ids).update(
            status=DeliveryStatus.SKIPPED, lease_until=None, last_error=f"skipped: the subscriber is {status} now"[:300],
        )
    return [row for row in rows if row.subscriber_id in receiving]


#: Temporary refusals at RCPT TO for this many different recipients in a row, with no success
#: between them, are taken as the relay refusing everything: their attempts are given back and
#: the breaker opens.
SOFT_REFUSAL_STREAK = 10


class RelayBreaker:
    """The circuit breaker of one worker process, shared by its connections.

    Tripped when the relay is unreachable or answers 4xx to everything: then no connection
    claims or sends until `open_until`; the wait doubles with each trip that follows another
    (first `first` seconds, at most `cap`), and falls back to `first` after a message gets through.
    """

    def __init__(self, first: float, cap: float):
        self.first, self.cap = max(first, 0.0), max(cap, first, 0.0)
        self.lock = threading.Lock()
        self.failures = 0
        self.trips = 0
        self.open_until = 0.0
        self.streak: list[tuple[int, int]] = []

    def trip(self) -> float:
        """Open the breaker (once for all connections that notice together); returns the wait."""
        with self.lock:
            now = time.monotonic()
            if now < self.open_until:
                return self.open_until - now
            self.failures += 1
            self.trips += 1
            delay = min(self.cap, self.first * 2 ** min(self.failures - 1, 30))
            self.open_until = now + delay
            return delay

    def wait(self, stop: threading.Event):
        delay = self.open_until - time.monotonic()
        if delay > 0:
            stop.wait(delay)

    def succeeded(self):
        with self.lock:
            self.failures = 0
            self.streak.clear()

    def soft_refusal(self, row_id: int, attempts: int) -> list[tuple[int, int]]:
        """Note a 4xx at RCPT TO; when it completes a streak, return the streak's rows (and forget them)."""
        with self.lock:
            if all(row_id != seen for seen, _ in self.streak):
                self.streak.append((row_id, attempts))
            if len(self.streak) < SOFT_REFUSAL_STREAK:
                return []
            streak, self.streak = self.streak, []
            return streak


class Outcome:
    """What one message's fate means for the rest of the batch."""

    NEXT = "next"  # go on with the next row
    STOP = "stop"  # give the rest of the batch back: the send is paused or the relay is down


class RateLimiter:
    """At most `rate` messages per second across all connections (0: no limit)."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate else 0.0
        self.next_at = time.monotonic()
        self.lock = threading.Lock()

    def wait(self):
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            delay = self.next_at - now
            self.next_at = max(now, self.next_at) + self.interval
        if delay > 0:
            time.sleep(delay)


class Templates:
    """One MessageTemplate per edition and language, built on first use."""

    def __init__(self):
        self.cache = {}
        self.lock = threading.Lock()

    def get(self, edition_id: int, language: str):
        key = (edition_id, language)
        with self.lock:
            if key not in self.cache:
                self.cache[key] = _build(edition_id, language)
            return self.cache[key]


def fallback_note(edition, language: str) -> dict:
    """What a subscriber reads above the original when there is no translation into their language:
    a line in their language saying so. The message then speaks both languages (Content-Language)."""
    from django.conf.locale import LANG_INFO
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(language):
        note = gettext("This edition has not been translated into your language yet; here is the original.")
    bidi = LANG_INFO.get(language, {}).get("bidi", False)
    return {"fallback_note": note, "fallback_language": language, "fallback_dir": "rtl" if bidi else "ltr",
            "content_language": f"{language}, {edition.language}"}


def _build(edition_id: int, language: str):
    from partnerpost.editions.models import Edition
    from partnerpost.editions.render import context_for

    from .messages import build_template

    edition = Edition.objects.get(pk=edition_id)
    variant = edition.translations.filter(language=language, state__in=["published", "sent"]).first() if edition.language != language else None
    chosen = variant or edition
    context = context_for(chosen)
    if variant is None and language and language != edition.language:
        context = {**context, **fallback_note(edition, language)}
    return build_template(
        context,
        subject=f"{context['title']} – {context['period']}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        list_id=f"{settings.SITE_NAME} <newsletter.{url_host(settings.SITE_URL, default='')}>",
    )


class Worker:
    #: How often a connection asks whether the rows it holds may still go (an editor may pause or cancel).
    halt_check_seconds = 1.0

    def __init__(self, *, connections=None, rate=None, batch=None, lease_seconds=None, max_attempts=None, name=None, stdout=None):
        self.connections = connections or settings.MAILING_CONNECTIONS
        self.rate = RateLimiter(settings.MAILING_RATE if rate is None else rate)
        self.batch = batch or settings.MAILING_BATCH
        self.lease_seconds = lease_seconds or settings.MAILING_LEASE_SECONDS
        self.max_attempts = max_attempts or settings.MAILING_MAX_ATTEMPTS
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.templates = Templates()
        self.stop = threading.Event()
        self.sent = self.failed = self.retried = 0
        self.breaker = RelayBreaker(settings.MAILING_BREAKER_SECONDS, settings.MAILING_BREAKER_MAX_SECONDS)
        self.counter_lock = threading.Lock()
        self.envelope_from = _envelope_from()
        #: outbox:, console: or another backend: hand each message to it (see mailing.handover).
        self.via_backend = not uses_smtp()

    # One thread per SMTP connection ------------------------------------------------

    def run(self, *, until_idle=True, poll=2.0, on_progress=None):
        if self.connections == 1:
            # One connection needs no thread; it also lets tests run inside a database transaction.
            self._connection_loop(until_idle, poll, close_db=False, on_batch=on_progress)
            return self
        threads = [threading.Thread(target=self._connection_loop, args=(until_idle, poll), name=f"smtp-{n}", daemon=True)
                   for n in range(self.connections)]
        for thread in threads:
            thread.start()
        try:
            while any(t.is_alive() for t in threads):
                for thread in threads:
                    thread.join(timeout=0.5)
                if on_progress:
                    on_progress(self)
        except KeyboardInterrupt:
            self.stop.set()
            for thread in threads:
                thread.join()
            raise
        return self

    def _connection_loop(self, until_idle, poll, close_db=True, on_batch=None):
        smtp = None
        held = StillHeld(self.name, self.halt_check_seconds)
        try:
            while not self.stop.is_set():
                if on_batch:
                    on_batch(self)
                self.breaker.wait(self.stop)
                if self.stop.is_set():
                    break
                try:
                    rows = claim(self.name, self.batch, self.lease_seconds)
                except OperationalError as exc:  # e.g. SQLite busy for longer than its timeout
                    log.warning("Could not claim deliveries, trying again: %s", exc)
                    time.sleep(poll)
                    continue
                if not rows:
                    if until_idle and not _anything_due_soon():
                        break
                    time.sleep(poll if not until_idle else min(poll, 0.2))
                    continue
                for index, row in enumerate(rows):
                    if self.stop.is_set():
                        _release(rows[index:], self.name)
                        return
                    if not held.allows(rows, index):
                        continue  # paused or cancelled meanwhile
                    smtp, outcome = self._send_one(smtp, row)
                    if outcome == Outcome.STOP:
                        _release(rows[index + 1:], self.name)
                        break
        finally:
            if smtp is not None:
                try:
                    smtp.quit()
                except (smtplib.SMTPException, OSError):
                    pass
            if close_db:
                connection.close()

    def _connect(self):
        host, port = settings.EMAIL_HOST, settings.EMAIL_PORT
        timeout = getattr(settings, "EMAIL_TIMEOUT", 30) or 30
        smtp = (smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP)(host, port, timeout=timeout)
        if settings.EMAIL_USE_TLS:
            smtp.starttls()
        if settings.EMAIL_HOST_USER:
            smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        return smtp

    def _send_one(self, smtp, row: Claimed, again: bool = True):
        """Send one row; returns the connection to use next and what the batch should do."""
        from .messages import message_id

        reused = smtp is not None
        try:
            template = self.templates.get(row.edition_id, row.language)
            personal = _links_for(row)
            data = template.fill(to=row.email, message_id=message_id(row.id, row.edition_id), **personal)
        except Exception as exc:  # a broken edition must not stop the whole send
            log.exception("Could not build delivery %s", row.id)
            _fail(row, f"build: {exc}"[:300], self.name)
            return smtp, Outcome.NEXT
        self.rate.wait()
        if self.via_backend:
            return smtp, self._hand_over(row, data)
        try:
            if smtp is None:
                smtp = self._connect()
            transmit(smtp, self.envelope_from, row.email, data)
        except smtplib.SMTPRecipientsRefused as exc:
            # The only refusal that is about this recipient.
            code, reply = next(iter(exc.recipients.values()))
            return smtp, self._refused(row, code, reply)
        except smtplib.SMTPResponseException as exc:
            # The greeting, HELO, sign-in, MAIL FROM or DATA: the relay's answer to us or to the message.
            smtp = _drop(smtp)
            text = f"{_stage(exc)}: {_reply_text(exc.smtp_code, exc.smtp_error)}"
            if exc.smtp_code >= 500:
                self._pause(row, text)
            else:
                self._relay_down(row, text)
            return smtp, Outcome.STOP
        except (smtplib.SMTPNotSupportedError, ssl.SSLCertVerificationError) as exc:
            # Settings the relay cannot work with (STARTTLS or AUTH it does not offer, a certificate we
            # do not trust): waiting will not help; an operator must.
            smtp = _drop(smtp)
            self._pause(row, f"connection: {exc}")
            return smtp, Outcome.STOP
        except OSError as exc:  # refused, reset, timed out, or closed by the relay (SMTPServerDisconnected)
            smtp = _drop(smtp)
            if reused and again:
                # Relays close connections that sat idle: one fresh connection before calling it trouble.
                return self._send_one(None, row, again=False)
            self._relay_down(row, f"connection: {exc or type(exc).__name__}")
            return smtp, Outcome.STOP
        _mark_sent(row, self.name)
        self.breaker.succeeded()
        with self.counter_lock:
            self.sent += 1
        return smtp, Outcome.NEXT

    def _hand_over(self, row, data) -> str:
        """Deliver through Django's configured backend (outbox:, console: ...): one message, no SMTP session."""
        from django.core.mail import get_connection

        from .handover import as_django_message

        try:
            get_connection(fail_silently=False).send_messages([as_django_message(data, to=row.email)])
        except Exception as exc:  # the backend's trouble: tried again later, like a temporary refusal
            log.warning("The email backend could not take delivery %s: %s", row.id, exc)
            self._retry(row, f"backend: {exc}"[:300])
            return Outcome.NEXT
        _mark_sent(row, self.name)
        with self.counter_lock:
            self.sent += 1
        return Outcome.NEXT

    def _pause(self, row, text):
        """A permanent refusal that is not about the recipient: the row waits untouched and the send pauses."""
        from .outbox import pause_send

        _give_back(row, self.name, text)
        pause_send(row.edition_id, text)

    def _relay_down(self, row, text):
        """A temporary trouble with the relay itself: the row waits untouched and the breaker opens."""
        _give_back(row, self.name, text)
        delay = self.breaker.trip()
        log.warning("Relay trouble (%s); waiting %.1f s before trying again", text, delay)

    def _refused(self, row, code, reply) -> str:
        text = _reply_text(code, reply)
        if 400 <= code < 500:
            attempts = self._retry(row, text)
            streak = self.breaker.soft_refusal(row.id, attempts)
            if streak:
                _refund(streak, f"{text} (given to {len(streak)} recipients in a row: the relay's trouble, not theirs)")
                self._relay_down(row, text)
                return Outcome.STOP
        else:
            _fail(row, text, self.name)
            from partnerpost.audience.workflows import record_hard_bounce

            record_hard_bounce(row.subscriber_id, text)
            with self.counter_lock:
                self.failed += 1
        return Outcome.NEXT

    def _retry(self, row, text) -> int:
        attempts = row.attempts + 1
        if attempts >= self.max_attempts:
            _fail(row, f"gave up after {attempts} attempts: {text}"[:300], self.name, attempts=attempts)
            with self.counter_lock:
                self.failed += 1
            return attempts
        delay = settings.MAILING_RETRY_SECONDS * (2 ** (attempts - 1))
        Delivery.objects.filter(pk=row.id, worker=self.name).update(
            status=DeliveryStatus.PENDING, attempts=attempts, last_error=text[:300], lease_until=None,
            next_attempt_at=timezone.now() + dt.timedelta(seconds=delay),
        )
        with self.counter_lock:
            self.retried += 1
        return attempts


class StillHeld:
    """Whether a row a connection claimed may still go out: an editor may pause or cancel the send
    while the connection holds a batch. Asked of the database (one small query for the rest of the
    batch) at most every `every` seconds, so a pause or a cancel stops a running send within about
    that time rather than after the batch; rows of a paused send are given back to waiting."""

    def __init__(self, worker: str, every: float):
        self.worker, self.every = worker, every
        self.batch: list[Claimed] | None = None
        self.allowed: set[int] = set()
        self.checked = 0.0

    def allows(self, batch: list[Claimed], index: int) -> bool:
        now = time.monotonic()
        if batch is not self.batch:  # a batch claimed a moment ago: all of it is ours
            self.batch, self.allowed, self.checked = batch, {r.id for r in batch}, now
        elif now - self.checked >= self.every:
            remaining = batch[index:]
            self.allowed = set(
                Delivery.objects.filter(pk__in=[r.id for r in remaining], status=DeliveryStatus.SENDING, worker=self.worker)
                .exclude(edition_id__in=SendPause.objects.values("edition_id")).values_list("pk", flat=True)
            )
            _release([r for r in remaining if r.id not in self.allowed], self.worker)
            self.checked = now
        return batch[index].id in self.allowed


def transmit(smtp: smtplib.SMTP, sender: str, recipient: str, data: bytes):
    """MAIL, RCPT and DATA for one ready-made message.

    smtplib.sendmail runs two regular expressions over every message (line ends and leading
    dots); our templates are built with CRLF line ends and dot-stuffed once, so the bytes go
    out as they are. Failures raise the same exceptions as sendmail.
    """
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = smtp.rcpt(recipient)
    if code not in (250, 251):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        smtp.rset()
        raise smtplib.SMTPDataError(code, reply)
    smtp.send(data + b".\r\n" if data.endswith(b"\r\n") else data + b"\r\n.\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


@dataclass
class _Recipient:
    """What a token needs of a subscriber, taken from the delivery row without another query."""

    pk: int
    email_key: str


def _links_for(row: Claimed) -> dict:
    from partnerpost.audience.workflows import links

    return links(_Recipient(row.subscriber_id, row.email.lower()))


def _envelope_from() -> str:
    return settings.MAILING_BOUNCE_ADDRESS or _address(settings.DEFAULT_FROM_EMAIL)


def _address(value: str) -> str:
    import email.utils

    return email.utils.parseaddr(value)[1] or value


def _reply_text(code, reply) -> str:
    return f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"[:300]


def _stage(exc: smtplib.SMTPResponseException) -> str:
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"MAIL FROM <{exc.sender}>"
    if isinstance(exc, smtplib.SMTPDataError):
        return "DATA"
    if isinstance(exc, smtplib.SMTPConnectError):
        return "greeting"
    if isinstance(exc, smtplib.SMTPHeloError):
        return "HELO"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "sign-in"
    return "relay"


def _give_back(row: Claimed, worker: str, text: str):
    """Back to waiting as it was: no attempt spent, due at once (the breaker or the pause decides when)."""
    Delivery.objects.filter(pk=row.id, worker=worker, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING, lease_until=None, last_error=text[:300],
    )


def _refund(streak: list[tuple[int, int]], text: str):
    """Give back the attempt each row of a streak of 4xx at RCPT TO spent (and the rows that gave up on it)."""
    for row_id, attempts in streak:
        Delivery.objects.filter(pk=row_id, attempts=attempts, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]).update(
            status=DeliveryStatus.PENDING, attempts=max(attempts - 1, 0), next_attempt_at=timezone.now(), lease_until=None,
            last_error=text[:300],
        )


def _drop(smtp):
    if smtp is not None:
        try:
            smtp.close()
        except OSError:
            pass
    return None


_MARK_SENT = f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s, attempts = %s, lease_until = NULL, last_error = '' WHERE id = %s"


def _mark_sent(row: Claimed, worker: str):
    """One small statement per message, committed at once: the record that makes a crash cost
    at most the one message in flight on this connection."""
    with connection.cursor() as cursor:
        cursor.execute(_MARK_SENT, [DeliveryStatus.SENT, timezone.now(), row.attempts + 1, row.id])


def _fail(row: Claimed, text: str, worker: str, attempts=None):
    Delivery.objects.filter(pk=row.id).update(
        status=DeliveryStatus.FAILED, attempts=attempts or row.attempts + 1, last_error=text[:300], lease_until=None,
    )


def _release(rows: list[Claimed], worker: str):
    """Give back claimed rows that were never attempted (a clean stop)."""
    Delivery.objects.filter(pk__in=[r.id for r in rows], worker=worker, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING, lease_until=None
    )


def _anything_due_soon() -> bool:
    """Rows another worker holds, or retries due within a minute, keep an until-idle worker waiting
    (not those of a paused send: they wait for an editor, not for a worker)."""
    soon = timezone.now() + dt.timedelta(seconds=60)
    active = Delivery.objects.exclude(edition_id__in=SendPause.objects.values("edition_id"))
    return active.filter(status=DeliveryStatus.SENDING).exists() or active.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=soon
    ).exists()
