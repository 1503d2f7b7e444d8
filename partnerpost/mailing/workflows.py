"""The sending desk: what a secretariat editor does with an edition's send.

The edition's page in the workspace and `partnerpost send` call these same functions: send a test,
send to every subscriber now or at a set time, pause, resume (outbox.resume_send), cancel, and read
how it went. Each change checks the permission and the state, saves, and writes the send's audit
row (SendAuditEntry). Queueing the deliveries stays in `outbox.send_edition`; the worker sends them.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
import smtplib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from partnerpost.audience.models import Subscriber
from partnerpost.audience.workflows import AddressError, check_address
from partnerpost.lib.config import url_host
from partnerpost.network.permissions import is_editor

from .models import (
    BounceKind, BounceRecord, Delivery, DeliveryStatus, ScheduledSend, ScheduleState, SendAction, SendAuditEntry, SendPause,
)
from .outbox import SendError, check_sendable, send_edition

#: A test goes to the editor or a few colleagues, not to a list.
MAX_TEST_ADDRESSES = 10

WAITING = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)

#: A failure whose stored reply is a permanent refusal of the recipient by their mail server
#: ("550 5.1.1 No such user"), as the worker records it; other failures are retries given up or build errors.
BOUNCE_REPLY = r"^5[0-9][0-9] "


def _check_editor(user):
    if not is_editor(user):
        raise PermissionDenied(_("Only secretariat editors may send editions."))


def _actor(user):
    return user if getattr(user, "pk", None) else None


def _audit(edition, user, action, note):
    SendAuditEntry.objects.create(edition=edition, actor=_actor(user), action=action, note=note)


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


# Reading a send ---------------------------------------------------------------------

STATES = ("sent", "waiting", "retrying", "failed", "bounced", "skipped", "cancelled")
STATE_LABELS = {
    "sent": gettext_lazy("Sent"), "waiting": gettext_lazy("Waiting"), "retrying": gettext_lazy("Retrying"),
    "failed": gettext_lazy("Failed"), "bounced": gettext_lazy("Bounced"), "skipped": gettext_lazy("Skipped"),
    "cancelled": gettext_lazy("Cancelled"),
}


def delivery_state(status: str, attempts: int, last_error: str) -> str:
    """The desk's name for one delivery: sent, waiting, retrying, failed, bounced, skipped or cancelled."""
    if status == DeliveryStatus.PENDING:
        return "retrying" if attempts else "waiting"
    if status == DeliveryStatus.SENDING:
        return "waiting"
    if status == DeliveryStatus.FAILED:
        return "bounced" if re.match(BOUNCE_REPLY, last_error or "") else "failed"
    return status


def send_counts(edition) -> dict:
    """How many of the edition's deliveries are in each desk state, with `total`, `finished` (no longer
    waiting or retrying) and `active` (something is still to be sent)."""
    rows = (Delivery.objects.filter(edition=edition).values("status")
            .annotate(retrying=Count("id", filter=Q(status=DeliveryStatus.PENDING, attempts__gt=0)),
                      bounced=Count("id", filter=Q(status=DeliveryStatus.FAILED, last_error__regex=BOUNCE_REPLY)),
                      n=Count("id")).order_by())
    # Accepted by the relay, then reported back as a permanent failure (`partnerpost bounces read`).
    bounced_later = (BounceRecord.objects.filter(delivery__edition=edition, delivery__status=DeliveryStatus.SENT, kind=BounceKind.HARD)
                     .values("delivery_id").distinct().count())
    counts = dict.fromkeys(STATES, 0)
    for row in rows:
        status, n = row["status"], row["n"]
        if status == DeliveryStatus.PENDING:
            counts["retrying"] += row["retrying"]
            counts["waiting"] += n - row["retrying"]
        elif status == DeliveryStatus.SENDING:
            counts["waiting"] += n
        elif status == DeliveryStatus.FAILED:
            counts["bounced"] += row["bounced"]
            counts["failed"] += n - row["bounced"]
        else:
            counts[status] += n
    counts["sent"] -= bounced_later
    counts["bounced"] += bounced_later
    counts["total"] = sum(counts[state] for state in STATES)
    counts["finished"] = counts["total"] - counts["waiting"] - counts["retrying"]
    counts["active"] = counts["total"] > counts["finished"]
    return counts


def recipients_count(edition) -> int:
    """How many subscribers "Send" would queue now: those who receive editions and have no delivery of
    this edition yet (or had one cancelled). Before the first send, `Subscriber.objects.receiving()`."""
    queued = Delivery.objects.filter(edition=edition).exclude(status=DeliveryStatus.CANCELLED).values("subscriber_id")
    return Subscriber.objects.receiving().exclude(pk__in=queued).count()


def waiting_schedule(edition) -> ScheduledSend | None:
    return ScheduledSend.objects.filter(edition=edition, state=ScheduleState.WAITING).select_related("scheduled_by").first()


def report_rows(edition):
    """Every delivery of the edition, for the report and its CSV: (email, language, state, attempts, sent_at, reason)."""
    rows = Delivery.objects.filter(edition=edition).order_by("id").values_list(
        "email", "language", "status", "attempts", "sent_at", "last_error")
    for address, language, status, attempts, sent_at, reason in rows.iterator(chunk_size=2000):
        yield address, language, delivery_state(status, attempts, reason), attempts, sent_at, reason


def problems(edition, limit=500) -> list[tuple]:
    """The deliveries that did not go out, with their reasons (failed, bounced, skipped, cancelled), first `limit`."""
    rows = (Delivery.objects.filter(edition=edition, status__in=[DeliveryStatus.FAILED, DeliveryStatus.SKIPPED, DeliveryStatus.CANCELLED])
            .order_by("id").values_list("email", "status", "attempts", "last_error")[:limit])
    return [(address, state, STATE_LABELS[state], attempts, reason) for address, status, attempts, reason in rows
            for state in [delivery_state(status, attempts, reason)]]


REPORT_COLUMNS = ["email", "language", "state", "attempts", "sent_at", "reason"]


class _Echo:
    """A file-like object whose write hands back what it was given: CSV a line at a time."""

    def write(self, value):
        return value


def report_csv_lines(edition):
    """The delivery report as CSV lines, written by the writer that neutralizes spreadsheet formulas
    (lib.csvcells), one at a time, so that a report of 100,000 deliveries streams in flat memory."""
    from partnerpost.lib import csvcells

    writer = csvcells.writer(_Echo())
    yield writer.writerow(REPORT_COLUMNS)
    for address, language, state, attempts, sent_at, reason in report_rows(edition):
        yield writer.writerow([address, language, state, attempts, sent_at.isoformat(timespec="seconds") if sent_at else "", reason])


# Test sends -------------------------------------------------------------------------

def parse_test_addresses(raw) -> list[str]:
    """The addresses of a test: a list, or text with addresses separated by commas, semicolons, spaces
    or lines. SendError names the first malformed one."""
    items = [part for part in (raw if isinstance(raw, (list, tuple)) else re.split(r"[\s,;]+", raw or "")) if part.strip()]
    if not items:
        raise SendError(_("Give at least one address to send the test to."))
    if len(items) > MAX_TEST_ADDRESSES:
        raise SendError(_("A test goes to at most %(max)d addresses; %(n)d were given.") % {"max": MAX_TEST_ADDRESSES, "n": len(items)})
    addresses, seen = [], set()
    for item in items:
        try:
            address = check_address(item.strip())
        except AddressError as exc:
            raise SendError(_("“%(address)s” is not a valid email address: %(error)s") % {"address": item.strip(), "error": exc}) from None
        if address.lower() not in seen:
            seen.add(address.lower())
            addresses.append(address)
    return addresses


def test_message(edition, address: str, sender_name: str = ""):
    """The newsletter as subscribers get it (in the edition's own language), marked as a test: "[Test]"
    before the subject, a line above the content, and links that unsubscribe nobody."""
    from .handover import as_django_message
    from .worker import Templates

    harmless = settings.SITE_URL + reverse("audience:subscribe")
    data = Templates().get(edition.pk, edition.language).fill(
        to="test@invalid", message_id=f"test-{uuid.uuid4().hex[:12]}.edition-{edition.pk}@{url_host(settings.SITE_URL)}",
        unsubscribe_url=harmless, preferences_url=harmless,
    )
    message = as_django_message(data, to=address, drop=("List-Unsubscribe", "List-Unsubscribe-Post"))
    with translation.override(edition.language):
        mark = _("[Test]")
        if sender_name:
            note = _("This is a test of this edition, sent by %(name)s. It did not go to subscribers, and its "
                     "links to preferences and unsubscribing lead to the sign-up page.") % {"name": sender_name}
        else:
            note = _("This is a test of this edition. It did not go to subscribers, and its links to "
                     "preferences and unsubscribing lead to the sign-up page.")
    message.subject = f"{mark} {message.subject}"
    message.body = f"{note}\n\n{message.body}"
    banner = ('<p style="margin:0;padding:10px 16px;background:#fff6e0;border:1px solid #e6c36a;color:#4d3300;'
              f'font:14px/1.4 Arial,sans-serif">{htmllib.escape(note)}</p>')
    alternatives, message.alternatives = list(message.alternatives), []
    for content, kind in alternatives:
        message.attach_alternative(re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, content, count=1), kind)
    return message


def send_test(user, edition, addresses) -> list[str]:
    """Send the edition as a test to a few addresses, now, through the configured email backend.

    Never a delivery: no Delivery row, no change to the edition's state. Drafts may be tested too.
    Returns the addresses it went to; SendError names a malformed address or the one the relay refused."""
    _check_editor(user)
    addresses = parse_test_addresses(addresses)
    name = (user.get_full_name() or user.get_username()) if getattr(user, "pk", None) else ""
    try:
        messages = [test_message(edition, address, name) for address in addresses]
    except Exception as exc:
        raise SendError(_("The edition could not be built as an email: %(error)s") % {"error": exc}) from exc
    sent, trouble = [], ""
    try:
        with get_connection(fail_silently=False) as connection:
            for address, message in zip(addresses, messages):
                try:
                    connection.send_messages([message])
                except smtplib.SMTPRecipientsRefused as exc:
                    code, reply = next(iter(exc.recipients.values()))
                    trouble = _("the mail server refused %(address)s: %(reply)s") % {
                        "address": address, "reply": f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"}
                    break
                sent.append(address)
    except (smtplib.SMTPException, OSError) as exc:
        trouble = _("the mail server could not be reached or refused the message: %(error)s") % {"error": exc}
    if sent:
        _audit(edition, user, SendAction.TEST, _("test sent to %(addresses)s") % {"addresses": ", ".join(sent)})
    if trouble:
        if sent:
            raise SendError(_("The test went to %(sent)s, but %(trouble)s.") % {"sent": ", ".join(sent), "trouble": trouble})
        raise SendError(_("The test was not sent: %(trouble)s.") % {"trouble": trouble})
    return sent


# Sending to the list ----------------------------------------------------------------

@transaction.atomic
def start_send(user, edition) -> int:
    """Queue the edition for every subscriber who receives editions, now; returns how many were queued.

    Subscribers whose delivery was cancelled are queued again; nobody already queued is queued twice."""
    _check_editor(user)
    schedule = waiting_schedule(edition)
    if schedule is not None:
        raise SendError(_("This edition is scheduled to be sent at %(when)s; cancel that first to send it now.") % {"when": _when(schedule.run_at)})
    return _queue(user, edition)


def _queue(user, edition) -> int:
    added = send_edition(user, edition)
    revived = Delivery.objects.filter(edition=edition, status=DeliveryStatus.CANCELLED, subscriber__in=Subscriber.objects.receiving()).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), lease_until=None, worker="", last_error="")
    return added + revived


def schedule_send(user, edition, at: dt.datetime) -> ScheduledSend:
    """Have the task worker queue the edition at `at` (TIME_ZONE when `at` names no zone).

    Refused for a time that is not in the future, for an edition that could not be sent, when it is
    already scheduled, and where tasks run at once (TASKS_BACKEND=immediate)."""
    from .tasks import send_edition as send_task

    _check_editor(user)
    check_sendable(user, edition)
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at <= timezone.now():
        raise SendError(_("%(when)s is in the past; choose a later time, or send now.") % {"when": _when(at)})
    if not send_task.get_backend().supports_defer:
        raise SendError(_("Sending at a set time needs TASKS_BACKEND=database and a running task worker "
                          "(`partnerpost tasks worker`); with the immediate backend tasks cannot wait."))
    try:
        with transaction.atomic():
            schedule = ScheduledSend.objects.create(edition=edition, run_at=at, scheduled_by=_actor(user))
            result = send_task.using(run_after=at).enqueue(edition.pk)
            schedule.task_id = str(result.id)
            schedule.save(update_fields=["task_id"])
            _audit(edition, user, SendAction.SCHEDULE, _("to be sent at %(when)s") % {"when": _when(at)})
    except IntegrityError:
        current = waiting_schedule(edition)
        raise SendError(_("This edition is already scheduled to be sent at %(when)s; cancel that first.") % {
            "when": _when(current.run_at) if current else "?"}) from None
    return schedule


def run_scheduled_send(edition, task_id: str) -> int | None:
    """The scheduled start, run by the task worker (as the operator). Returns how many were queued, or
    None when that schedule was cancelled meanwhile. A SendError (the edition was unpublished...)
    closes the schedule with the reason and goes up, failing the task."""
    from partnerpost.network.permissions import OPERATOR

    try:
        with transaction.atomic():
            schedule = ScheduledSend.objects.select_for_update().filter(edition=edition, task_id=task_id).first()
            if schedule is not None and schedule.state != ScheduleState.WAITING:
                return None
            if schedule is not None:
                schedule.state = ScheduleState.STARTED
                schedule.save(update_fields=["state"])
                by = schedule.scheduled_by
                _audit(edition, None, SendAction.START, _("scheduled for %(when)s by %(name)s") % {
                    "when": _when(schedule.run_at), "name": by.get_username() if by else _("the operator")})
            return _queue(OPERATOR, edition)
    except SendError as exc:
        ScheduledSend.objects.filter(edition=edition, task_id=task_id, state=ScheduleState.WAITING).update(state=ScheduleState.CANCELLED)
        _audit(edition, None, SendAction.CANCEL, _("the scheduled send could not start: %(error)s") % {"error": exc})
        raise


# A send under way -------------------------------------------------------------------

def pause_sending(user, edition) -> SendPause:
    """Stop the workers from sending the edition's waiting deliveries until an editor resumes it."""
    _check_editor(user)
    if not Delivery.objects.filter(edition=edition, status__in=WAITING).exists():
        raise SendError(_("Nothing of this edition is waiting to be sent; there is nothing to pause."))
    name = user.get_username() if getattr(user, "pk", None) else _("the operator")
    reason = _("paused by %(name)s") % {"name": name}
    try:
        with transaction.atomic():
            pause = SendPause.objects.create(edition=edition, reason=reason, paused_by=_actor(user))
            _audit(edition, user, SendAction.PAUSE, reason)
    except IntegrityError:
        raise SendError(_("Sending is already paused.")) from None
    return pause


@dataclass
class Cancelled:
    schedule: ScheduledSend | None
    deliveries: int


@transaction.atomic
def cancel_send(user, edition) -> Cancelled:
    """Cancel what is still to come: a scheduled start, and the deliveries waiting or being retried.

    What was sent stays sent (a message a worker is handing to the relay at this moment may still
    go, and is then counted as sent). A finished send cannot be cancelled, and SendError says so."""
    _check_editor(user)
    schedule = ScheduledSend.objects.select_for_update().filter(edition=edition, state=ScheduleState.WAITING).first()
    if schedule is not None:
        schedule.state = ScheduleState.CANCELLED
        schedule.save(update_fields=["state"])
        _audit(edition, user, SendAction.CANCEL, _("the send scheduled for %(when)s was cancelled") % {"when": _when(schedule.run_at)})
    name = user.get_username() if getattr(user, "pk", None) else "the operator"
    count = Delivery.objects.filter(edition=edition, status__in=WAITING).update(
        status=DeliveryStatus.CANCELLED, lease_until=None, last_error=f"cancelled by {name}"[:300])
    if count:
        SendPause.objects.filter(edition=edition).delete()
        _audit(edition, user, SendAction.CANCEL, ngettext("%(n)d waiting delivery cancelled", "%(n)d waiting deliveries cancelled", count) % {"n": count})
    if schedule is None and not count:
        counts = send_counts(edition)
        if counts["total"]:
            raise SendError(_("This send has already finished (%(sent)d sent, %(failed)d failed or bounced, %(skipped)d skipped); "
                              "there is nothing left to cancel.") % {
                "sent": counts["sent"], "failed": counts["failed"] + counts["bounced"], "skipped": counts["skipped"]})
        raise SendError(_("This edition has not been sent or scheduled; there is nothing to cancel."))
    return Cancelled(schedule, count)


# The desk on the edition's page -----------------------------------------------------

def desk(edition) -> dict:
    """What the sending desk shows of an edition: its phase, counts, pause, schedule and what may be done."""
    counts = send_counts(edition) if edition.pk else {"total": 0, "active": False}
    pause = SendPause.objects.filter(edition=edition).select_related("paused_by").first() if counts["total"] else None
    schedule = waiting_schedule(edition) if edition.pk else None
    sendable = edition.is_published and not edition.translation_of_id
    if not edition.is_published:
        phase = "unpublished"
    elif edition.translation_of_id:
        phase = "translation"
    elif schedule is not None:
        phase = "scheduled"
    elif counts["active"]:
        phase = "paused" if pause else "sending"
    elif counts["total"]:
        phase = "finished"
    else:
        phase = "unsent"
    retryable = 0
    if counts["total"] and counts.get("failed", 0) + counts.get("bounced", 0):
        retryable = Delivery.objects.filter(edition=edition, status=DeliveryStatus.FAILED,
                                            subscriber__in=Subscriber.objects.receiving()).count()
    return {
        "phase": phase, "counts": counts, "pause": pause, "schedule": schedule, "retryable": retryable,
        "recipients": recipients_count(edition) if sendable and schedule is None else 0,
        "polling": phase in {"scheduled", "sending"},
    }


# Messages to an event's registrants ------------------------------------------------------------

def send_to_registrants(user, event, audience: str, subject: str, body: str):
    """Queue an organizer's message to the event's registrants ("all" active ones, or the "waiting"
    list): one Broadcast row and one Delivery row per registrant, sent by the mailing worker.

    Permission and validation are the registration app's (the owning partner's members and the
    secretariat); it also writes the desk's audit row. Returns the Broadcast."""
    from django.db import transaction
    from django.utils import timezone

    from partnerpost.registration.workflows import check_registrants_message, record_registrants_message

    from .models import Broadcast, Delivery, DeliveryStatus

    subject, body, ids = check_registrants_message(user, event, audience=audience, subject=subject, message=body)
    now = timezone.now()
    with transaction.atomic():
        broadcast = Broadcast.objects.create(created_by=user if getattr(user, "pk", None) else None, item=event,
                                             audience=audience, subject=subject, text=body)
        # No address in the outbox: the worker reads it from the registration when it sends, so the
        # registration's own deletion of personal data leaves no copy in mailing's tables.
        Delivery.objects.bulk_create([
            Delivery(broadcast=broadcast, registration_id=pk, email="", language="", status=DeliveryStatus.PENDING, next_attempt_at=now)
            for pk in ids
        ])
        record_registrants_message(user, event, audience=audience, count=len(ids), subject=subject)
    return broadcast


def registrant_messages(user, event) -> list:
    """The event's messages to registrants, newest first, each with its counts by delivery status."""
    from django.core.exceptions import PermissionDenied
    from django.db.models import Count
    from django.utils.translation import gettext as _

    from partnerpost.registration.permissions import can_manage

    from .models import Broadcast, Delivery, DeliveryStatus

    if not can_manage(user, event):
        raise PermissionDenied(_("You may not see this event's messages."))
    broadcasts = list(Broadcast.objects.filter(item=event).select_related("created_by"))
    counts = {}
    for row in (Delivery.objects.filter(broadcast__in=broadcasts).values("broadcast_id", "status")
                .annotate(n=Count("id")).order_by()):
        counts.setdefault(row["broadcast_id"], {})[row["status"]] = row["n"]
    for broadcast in broadcasts:
        mine = counts.get(broadcast.pk, {})
        broadcast.counts = {
            "sent": mine.get(DeliveryStatus.SENT, 0),
            "waiting": mine.get(DeliveryStatus.PENDING, 0) + mine.get(DeliveryStatus.SENDING, 0),
            "failed": mine.get(DeliveryStatus.FAILED, 0),
            "skipped": mine.get(DeliveryStatus.SKIPPED, 0) + mine.get(DeliveryStatus.CANCELLED, 0),
        }
    return broadcasts
