"""The sending worker: claims deliveries in small leased batches and sends them over pooled SMTP connections.

Guarantees, and how they are kept:
- No recipient is lost. A row leaves `pending` only when claimed with a lease; a worker that
  dies leaves its rows `sending` with an expired lease, and the next claim takes them up.
- Nothing is sent twice, except messages in flight when a worker dies. Each connection sends
  one message at a time and records it `sent` as soon as the server accepted it, before the
  next; so a crash can duplicate at most one message per open connection.
- A live worker keeps its claims. Each claim (one batch) gets its own token, written in the
  row's `worker` column; every later write to the row (sent, failed, retry, release, renewal)
  is fenced by that token, so a worker never overwrites a row another worker has taken up.
  The lease is renewed for the rest of the batch whenever a third of it has passed: by the
  connection between two messages, and by the worker's heartbeat thread while a message is
  in flight. A batch that takes longer than MAILING_LEASE_SECONDS is therefore not
  taken up by another worker while its own still sends it; rows another worker did take up
  (after a stall longer than the whole lease) are dropped from the batch before they are sent.
  The bound: without a crash, a message can go out twice only if its worker could not renew
  its lease for a whole MAILING_LEASE_SECONDS while that one message was in flight (a database
  unreachable for that long); with a crash, at most one message per open connection.
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
- Each message's envelope sender names its delivery (VERP, see verp.py), so that a bounce or
  a complaint read later by `partnerpost bounces read` (bounces.py) counts against its recipient.
- Losing the database (a restart, a fail-over, a connection killed by an administrator) stops no
  send. Each thread closes its broken connection and tries the same step again on a new one,
  waiting a little longer each time (DB_RETRY_FIRST to DB_RETRY_MAX seconds) and logging a warning.
  A step that failed before its message went out is simply done again; what happened to a message
  already handed to the relay (sent, refused) is recorded by retrying the record itself, so the
  message is never sent again for it. Rows whose claim was lost with the connection wait for their
  lease to run out and are taken up like a dead worker's.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import socket
import ssl
import collections
import itertools
import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from partnerpost.lib.config import url_host

from .handover import uses_smtp
from .models import Delivery, DeliveryStatus, SendPause
from .verp import sender_for

log = logging.getLogger(__name__)

#: Errors that mean the database connection is broken or the database is busy: the step is tried again.
DB_ERRORS = (OperationalError, InterfaceError)
#: The first and the longest wait before trying a step again after a database error, in seconds.
DB_RETRY_FIRST = 0.2
DB_RETRY_MAX = 10.0


def reconnect_after(exc: Exception, failures: int, stop: threading.Event | None = None, what: str = "") -> None:
    """After a database error: drop this thread's connection if it is broken (the next query opens a
    new one), log a warning and wait before the step is tried again (longer after each failure in a row)."""
    if not connection.in_atomic_block:  # (inside a transaction, such as a test's, the connection is not ours to drop)
        try:
            connection.close_if_unusable_or_obsolete()  # Django's own check ("SELECT 1"), as between requests
        except DB_ERRORS:
            connection.close()
    delay = min(DB_RETRY_MAX, DB_RETRY_FIRST * 2 ** min(failures - 1, 10))
    log.warning("Database error%s (%s); trying again in %.1f s", f" while {what}" if what else "",
                str(exc).strip() or type(exc).__name__, delay)
    if stop is not None:
        stop.wait(delay)
    else:
        time.sleep(delay)


@dataclass
class Claimed:
    id: int
    edition_id: int
    subscriber_id: int
    email: str
    language: str
    attempts: int
    #: The claim's token (also in the row's `worker` column): every later write to the row is fenced by it.
    token: str = ""
    #: The partners and themes the subscriber follows (targeting.selections); empty: everything.
    selection: tuple = ()
    #: A message to registrants (models.Broadcast) instead of an edition: then edition_id and subscriber_id are None.
    broadcast_id: int | None = None
    registration_id: int | None = None


def claim(worker: str, limit: int, lease_seconds: int) -> list[Claimed]:
    """Atomically take up to `limit` due deliveries, including ones whose lease has expired.

    `worker` is the claim's token: unique to this batch, written in each row's `worker` column."""
    now = timezone.now()
    lease = now + dt.timedelta(seconds=lease_seconds)
    table = Delivery._meta.db_table
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    # Rows of a paused send are left alone until an editor resumes it.
    # Two statements, each walking one index in its own order and stopping at `limit`: rows whose
    # lease ran out (few: at most the batches of workers that died), then due rows in the order of
    # the (status, next_attempt_at) index (one send is queued with one time, so that is id order).
    # A single "pending OR expired ... ORDER BY id" made SQLite collect and sort the id of every
    # pending row at each claim, so the worker's memory grew with the size of the list.
    not_paused = f"(edition_id IS NULL OR edition_id NOT IN (SELECT edition_id FROM {SendPause._meta.db_table}))"
    returning = "RETURNING id, edition_id, subscriber_id, email, language, attempts, broadcast_id, registration_id"
    expired = (
        f"UPDATE {table} SET status = %s, lease_until = %s, worker = %s "
        f"WHERE id IN (SELECT id FROM {table} WHERE status = %s AND lease_until < %s AND {not_paused} "
        f"ORDER BY id LIMIT %s{lock}) {returning}"
    )
    due = (
        f"UPDATE {table} SET status = %s, lease_until = %s, worker = %s "
        f"WHERE id IN (SELECT id FROM {table} WHERE status = %s AND next_attempt_at <= %s AND {not_paused} "
        f"ORDER BY next_attempt_at, id LIMIT %s{lock}) {returning}"
    )

    def read(cursor):
        return [Claimed(*row[:6], token=worker, broadcast_id=row[6], registration_id=row[7]) for row in cursor.fetchall()]

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(expired, [DeliveryStatus.SENDING, lease, worker, DeliveryStatus.SENDING, now, limit])
        rows = read(cursor)
        if len(rows) < limit:
            cursor.execute(due, [DeliveryStatus.SENDING, lease, worker, DeliveryStatus.PENDING, now, limit - len(rows)])
            rows += read(cursor)
        messages = [row for row in rows if row.broadcast_id is not None]
        rows = [row for row in rows if row.broadcast_id is None]
        if rows:
            rows = _skip_departed(rows)
            _attach_selections(rows)
        if messages:
            rows += _skip_gone_registrants(messages)
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
        Delivery.objects.filter(pk__in=row_ids, worker=rows[0].token).update(
            status=DeliveryStatus.SKIPPED, lease_until=None, last_error=f"skipped: the subscriber is {status} now"[:300],
        )
    return [row for row in rows if row.subscriber_id in receiving]


def _skip_gone_registrants(rows: list[Claimed]) -> list[Claimed]:
    """Mark skipped the claimed message rows whose registrant left the message's audience since it
    was queued (cancelled, removed, or personal data deleted); return the others."""
    from partnerpost.registration.workflows import audience_of

    from .models import Broadcast

    keep = []
    for broadcast in Broadcast.objects.select_related("item").filter(pk__in={row.broadcast_id for row in rows}):
        mine = [row for row in rows if row.broadcast_id == broadcast.pk]
        # The address is read from the registration now, not copied into the outbox: when the
        # registrant's personal data is deleted (REGISTRATION_KEEP_MONTHS), no copy stays here.
        still = dict(audience_of(broadcast.item, broadcast.audience).filter(pk__in=[row.registration_id for row in mine])
                     .values_list("pk", "email"))
        gone = [row.id for row in mine if row.registration_id not in still]
        if gone:
            Delivery.objects.filter(pk__in=gone, worker=rows[0].token).update(
                status=DeliveryStatus.SKIPPED, lease_until=None, last_error="skipped: no longer among the message's recipients")
        for row in mine:
            if row.registration_id in still:
                row.email = still[row.registration_id]
                keep.append(row)
    return keep


def _broadcast_bytes(row: Claimed) -> bytes:
    """The registrant's message, rendered in their language by the registration app, as bytes ready for DATA."""
    from partnerpost.registration import emails
    from partnerpost.registration.models import Registration

    from .models import Broadcast

    broadcast = Broadcast.objects.get(pk=row.broadcast_id)
    registration = Registration.objects.select_related("item").get(pk=row.registration_id)
    message = emails.build("message", registration, {"subject": broadcast.subject, "message": broadcast.text})
    import re

    data = message.message().as_bytes(linesep="\r\n")
    return re.sub(rb"(?m)^\.", b"..", data)  # dot-stuffed once, as transmit expects


def _attach_selections(rows: list[Claimed]):
    """Read, for the whole batch at once, what each subscriber follows (targeted editions)."""
    from .targeting import selections

    chosen = selections({row.subscriber_id for row in rows})
    for row in rows:
        row.selection = chosen.get(row.subscriber_id, ())


def renew(rows: list[Claimed], lease_seconds: int) -> list[Claimed]:
    """Extend the lease of a batch's rows that are still to be sent; return those that are still ours.

    Fenced by the claim's token: a row that another worker took up (after our lease ran out) is
    not renewed and is dropped from the batch, so it is not sent a second time by us."""
    if not rows:
        return rows
    token = rows[0].token
    ids = [row.id for row in rows]
    lease = timezone.now() + dt.timedelta(seconds=lease_seconds)
    renewed = Delivery.objects.filter(pk__in=ids, worker=token, status=DeliveryStatus.SENDING).update(lease_until=lease)
    if renewed == len(rows):
        return rows
    ours = set(Delivery.objects.filter(pk__in=ids, worker=token, status=DeliveryStatus.SENDING).values_list("pk", flat=True))
    lost = [row.id for row in rows if row.id not in ours]
    log.warning("Deliveries %s were taken up by another worker after this one's lease ran out; leaving them to it", lost)
    return [row for row in rows if row.id in ours]


class Heartbeat:
    """Renews the leases of the batches a worker holds, while messages are in flight.

    The connections renew their own batch between messages; this thread covers a message that
    takes long (a slow relay, up to the SMTP time-out), so that a live worker's lease never runs out."""

    def __init__(self, lease_seconds: int, stop: threading.Event):
        self.lease_seconds = lease_seconds
        self.stop = stop
        self.tokens: set[str] = set()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._loop, name="lease-heartbeat", daemon=True)

    def hold(self, token: str):
        with self.lock:
            self.tokens.add(token)

    def drop(self, token: str):
        with self.lock:
            self.tokens.discard(token)

    def _loop(self):
        try:
            while not self.stop.wait(max(self.lease_seconds / 3, 0.1)):
                with self.lock:
                    tokens = list(self.tokens)
                if not tokens:
                    continue
                try:
                    lease = timezone.now() + dt.timedelta(seconds=self.lease_seconds)
                    Delivery.objects.filter(worker__in=tokens, status=DeliveryStatus.SENDING).update(lease_until=lease)
                except DB_ERRORS as exc:  # SQLite busy, or the database lost: the next beat tries again
                    log.warning("Could not renew the leases: %s", exc)
                    try:
                        connection.close_if_unusable_or_obsolete()
                    except DB_ERRORS:
                        connection.close()
        finally:
            connection.close()


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
    """One MessageTemplate per edition, language and targeted content, built on first use.

    A selection (the partners and themes someone follows) is turned into the set of entries it
    keeps; selections that keep the same entries share one template. Targeted templates are kept
    in a bounded least-recently-used cache, so memory does not grow with the number of selections.
    """

    TARGETED = 64  # targeted templates kept at once

    def __init__(self):
        self.cache = {}
        self.facts = {}  # (edition, language) -> the entries' partners and themes
        self.kept = {}  # (edition, language, selection) -> the entry ids it keeps
        self.targeted = collections.OrderedDict()
        self.lock = threading.Lock()

    def get(self, edition_id: int, language: str, selection: tuple = ()):
        from . import targeting

        key = (edition_id, language)
        with self.lock:
            if key not in self.cache:
                self.cache[key] = _build(edition_id, language)
            if not selection:
                return self.cache[key]
            chosen = (edition_id, language, selection)
            if chosen not in self.kept:
                if key not in self.facts:
                    self.facts[key] = targeting.index(_context(edition_id, language))
                if len(self.kept) > 10_000:
                    self.kept.clear()
                self.kept[chosen] = targeting.matching(self.facts[key], selection)
            kept = self.kept[chosen]
            if kept is None:
                return self.cache[key]
            target = (edition_id, language, kept)
            if target in self.targeted:
                self.targeted.move_to_end(target)
            else:
                self.targeted[target] = _build(edition_id, language, kept)
                while len(self.targeted) > self.TARGETED:
                    self.targeted.popitem(last=False)
            return self.targeted[target]


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


def _context(edition_id: int, language: str) -> dict:
    """The render context a subscriber of this language receives: the translation, or the original with a note."""
    from partnerpost.editions.models import Edition
    from partnerpost.editions.render import context_for

    edition = Edition.objects.get(pk=edition_id)
    variant = edition.translations.filter(language=language, state__in=["published", "sent"]).first() if edition.language != language else None
    chosen = variant or edition
    context = context_for(chosen)
    if variant is None and language and language != edition.language:
        context = {**context, **fallback_note(edition, language)}
    return context


def _build(edition_id: int, language: str, kept: frozenset | None = None):
    """The message template of an edition in a language; with `kept`, only those entries (targeting.narrow)."""
    from .messages import build_template
    from .targeting import narrow

    context = _context(edition_id, language)
    if kept is not None:
        context = narrow(context, kept)
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
        self.name = name or f"{socket.gethostname()[:50]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._claims = itertools.count(1)
        self.heartbeat = None
        self.templates = Templates()
        self.stop = threading.Event()
        self.sent = self.failed = self.retried = 0
        #: Database errors this worker recovered from (a step tried again on a new connection).
        self.db_errors = 0
        self.breaker = RelayBreaker(settings.MAILING_BREAKER_SECONDS, settings.MAILING_BREAKER_MAX_SECONDS)
        self.counter_lock = threading.Lock()
        self.envelope_from = _envelope_from()
        #: outbox:, console: or another backend: hand each message to it (see mailing.handover).
        self.via_backend = not uses_smtp()

    # One thread per SMTP connection ------------------------------------------------

    def run(self, *, until_idle=True, poll=2.0, on_progress=None):
        # The heartbeat's first beat comes after a third of the lease: short runs (tests) never see it.
        self.heartbeat = Heartbeat(self.lease_seconds, threading.Event())
        self.heartbeat.thread.start()
        if self.connections == 1:
            # One connection needs no thread; it also lets tests run inside a database transaction.
            try:
                self._connection_loop(until_idle, poll, close_db=False, on_batch=on_progress)
            finally:
                self.heartbeat.stop.set()
                self.heartbeat.thread.join()
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
        finally:
            self.heartbeat.stop.set()
            self.heartbeat.thread.join()
        return self

    def token(self) -> str:
        """A new claim's token: this worker's name and the claim's number."""
        return f"{self.name}#{next(self._claims)}"

    def _db_error(self, exc, failures: int, what: str):
        with self.counter_lock:
            self.db_errors += 1
        reconnect_after(exc, failures, self.stop, what)

    def _durably(self, what: str, step, *args, **kwargs):
        """Run a database step until it succeeds, on a new connection after each database error.

        Used for every record of what happened to a message the relay already has (or refused), so
        that a lost connection never makes the worker send it again; and for the steps around a
        batch. Gives up (raises) only when the worker is stopping and the database stays away."""
        failures = 0
        while True:
            try:
                return step(*args, **kwargs)
            except DB_ERRORS as exc:
                failures += 1
                if self.stop.is_set() and failures > 3:
                    raise
                self._db_error(exc, failures, what)

    def _connection_loop(self, until_idle, poll, close_db=True, on_batch=None):
        smtp = None
        held = StillHeld(self.halt_check_seconds)
        claim_failures = 0
        try:
            while not self.stop.is_set():
                if on_batch:
                    on_batch(self)
                self.breaker.wait(self.stop)
                if self.stop.is_set():
                    break
                token = self.token()
                if self.heartbeat:
                    self.heartbeat.hold(token)
                try:
                    rows = claim(token, self.batch, self.lease_seconds)
                    claim_failures = 0
                except DB_ERRORS as exc:  # SQLite busy for longer than its timeout, or the database lost
                    claim_failures += 1
                    lost, rows = exc, None
                if not rows and self.heartbeat:
                    self.heartbeat.drop(token)
                if rows is None:
                    # (A claim whose commit reached the database before the connection broke leaves its
                    # rows to the lease: they are taken up again once it runs out.)
                    self._db_error(lost, claim_failures, "claiming deliveries")
                    continue
                if not rows:
                    if until_idle and not self._durably("looking for work", _anything_due_soon):
                        break
                    time.sleep(poll if not until_idle else min(poll, 0.2))
                    continue
                try:
                    smtp = self._send_batch(smtp, rows, held)
                finally:
                    if self.heartbeat:
                        self.heartbeat.drop(token)
                if self.stop.is_set():
                    return
        finally:
            if smtp is not None:
                try:
                    smtp.quit()
                except (smtplib.SMTPException, OSError):
                    pass
            if close_db:
                connection.close()

    def _send_batch(self, smtp, rows: list[Claimed], held: "StillHeld"):
        """Send a claimed batch one message at a time, renewing its lease whenever a third of it has passed."""
        renew_every = self.lease_seconds / 3
        renew_at = time.monotonic() + renew_every
        failures = 0
        while rows:
            if self.stop.is_set():
                self._durably("giving back a batch", _release, rows, self.name)
                return smtp
            if time.monotonic() >= renew_at:
                rows = self._durably("renewing leases", renew, rows, self.lease_seconds)
                renew_at = time.monotonic() + renew_every
                if not rows:
                    break
            row, rows = rows[0], rows[1:]
            if not self._durably("checking that the send goes on", held.allows, row, rows):
                continue  # paused or cancelled meanwhile
            try:
                smtp, outcome = self._send_one(smtp, row)
            except DB_ERRORS as exc:
                # Only the message's preparation reads the database before it goes out (see _send_one):
                # it has not been sent, so it is tried again.
                failures += 1
                self._db_error(exc, failures, f"preparing delivery {row.id}")
                rows = [row, *rows]
                continue
            failures = 0
            if outcome == Outcome.STOP:
                self._durably("giving back a batch", _release, rows, self.name)
                break
        return smtp

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
            if row.broadcast_id is not None:
                data = _broadcast_bytes(row)
            else:
                template = self.templates.get(row.edition_id, row.language, row.selection)
                personal = _links_for(row)
                data = template.fill(to=row.email, message_id=message_id(row.id, row.edition_id), **personal)
        except DB_ERRORS:
            raise  # the database, not the edition: the caller tries this row again on a new connection
        except Exception as exc:  # a broken edition must not stop the whole send
            log.exception("Could not build delivery %s", row.id)
            self._durably("recording a failure", _fail, row, f"build: {exc}"[:300], self.name)
            return smtp, Outcome.NEXT
        self.rate.wait()
        if self.via_backend:
            return smtp, self._hand_over(row, data)
        try:
            if smtp is None:
                smtp = self._connect()
            transmit(smtp, sender_for(row.id), row.email, data)
        except smtplib.SMTPRecipientsRefused as exc:
            # The only refusal that is about this recipient.
            code, reply = next(iter(exc.recipients.values()))
            return smtp, self._durably("recording a refusal", self._refused, row, code, reply)
        except smtplib.SMTPResponseException as exc:
            # The greeting, HELO, sign-in, MAIL FROM or DATA: the relay's answer to us or to the message.
            smtp = _drop(smtp)
            text = f"{_stage(exc)}: {_reply_text(exc.smtp_code, exc.smtp_error)}"
            if exc.smtp_code >= 500:
                self._durably("pausing the send", self._pause, row, text)
            else:
                self._durably("giving a row back", self._relay_down, row, text)
            return smtp, Outcome.STOP
        except (smtplib.SMTPNotSupportedError, ssl.SSLCertVerificationError) as exc:
            # Settings the relay cannot work with (STARTTLS or AUTH it does not offer, a certificate we
            # do not trust): waiting will not help; an operator must.
            smtp = _drop(smtp)
            self._durably("pausing the send", self._pause, row, f"connection: {exc}")
            return smtp, Outcome.STOP
        except OSError as exc:  # refused, reset, timed out, or closed by the relay (SMTPServerDisconnected)
            smtp = _drop(smtp)
            if reused and again:
                # Relays close connections that sat idle: one fresh connection before calling it trouble.
                return self._send_one(None, row, again=False)
            self._durably("giving a row back", self._relay_down, row, f"connection: {exc or type(exc).__name__}")
            return smtp, Outcome.STOP
        self._durably(f"recording delivery {row.id} as sent", _mark_sent, row, self.name)
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
            self._durably("recording a retry", self._retry, row, f"backend: {exc}"[:300])
            return Outcome.NEXT
        self._durably(f"recording delivery {row.id} as sent", _mark_sent, row, self.name)
        with self.counter_lock:
            self.sent += 1
        return Outcome.NEXT

    def _pause(self, row, text):
        """A permanent refusal that is not about the recipient: the row waits untouched and the send pauses."""
        from .outbox import pause_send

        if row.edition_id is None:
            # A message to registrants has no send to pause: the refusal is its failure, shown on the desk.
            _fail(row, text, self.name)
            with self.counter_lock:
                self.failed += 1
            return
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

            if row.subscriber_id is not None:
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
        Delivery.objects.filter(pk=row.id, worker=row.token).update(
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

    def __init__(self, every: float):
        self.every = every
        self.token: str | None = None
        self.allowed: set[int] = set()
        self.checked = 0.0

    def allows(self, row: Claimed, rest: list[Claimed]) -> bool:
        now = time.monotonic()
        if row.token != self.token:  # a batch claimed a moment ago: all of it is ours
            self.token, self.allowed, self.checked = row.token, {row.id, *(r.id for r in rest)}, now
        elif now - self.checked >= self.every:
            remaining = [row, *rest]
            self.allowed = set(
                Delivery.objects.filter(pk__in=[r.id for r in remaining], status=DeliveryStatus.SENDING, worker=row.token)
                .exclude(edition_id__in=SendPause.objects.values("edition_id")).values_list("pk", flat=True)
            )
            _release([r for r in remaining if r.id not in self.allowed], row.token)
            self.checked = now
        return row.id in self.allowed


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
    Delivery.objects.filter(pk=row.id, worker=row.token, status=DeliveryStatus.SENDING).update(
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


_MARK_SENT = (f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s, attempts = %s, lease_until = NULL, last_error = '' "
              f"WHERE id = %s AND worker = %s")


def _mark_sent(row: Claimed, worker: str):
    """One small statement per message, committed at once: the record that makes a crash cost
    at most the one message in flight on this connection. Fenced by the claim's token."""
    with connection.cursor() as cursor:
        cursor.execute(_MARK_SENT, [DeliveryStatus.SENT, timezone.now(), row.attempts + 1, row.id, row.token])
        if cursor.rowcount == 0:
            log.warning("Delivery %s was sent, but another worker had taken it up meanwhile (this worker's lease ran out)", row.id)


def _fail(row: Claimed, text: str, worker: str, attempts=None):
    Delivery.objects.filter(pk=row.id, worker=row.token).update(
        status=DeliveryStatus.FAILED, attempts=attempts or row.attempts + 1, last_error=text[:300], lease_until=None,
    )


def _release(rows: list[Claimed], worker: str):
    """Give back claimed rows that were never attempted (a clean stop)."""
    Delivery.objects.filter(pk__in=[r.id for r in rows], worker__in={r.token for r in rows}, status=DeliveryStatus.SENDING).update(
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
