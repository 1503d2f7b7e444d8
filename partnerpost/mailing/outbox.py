"""Sending an edition creates its outbox: one Delivery row per confirmed subscriber.

And the changes an editor (or the worker) makes to a send under way: pausing it when the relay
refuses something that is not about one recipient, resuming it, and queueing failed deliveries again.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerpost.audience.models import Subscriber
from partnerpost.editions.workflows import mark_edition_sent
from partnerpost.network.permissions import is_editor

from .models import Delivery, DeliveryStatus, SendAction, SendAuditEntry, SendPause

log = logging.getLogger(__name__)


class SendError(Exception):
    pass


def check_sendable(user, edition) -> None:
    """Raise PermissionDenied or SendError (with the reason) unless this user may send this edition now."""
    if not is_editor(user):
        raise PermissionDenied(_("Only secretariat editors may send editions."))
    if not edition.is_published:
        raise SendError(_("Publish the edition before sending it."))
    if edition.translation_of_id:
        raise SendError(_("Send the original edition; its translations go to the subscribers who prefer their language."))


@transaction.atomic
def send_edition(user, edition) -> int:
    """Queue the edition for every subscriber who receives editions and return how many rows were added.

    Safe to call again: the unique (edition, subscriber) pair means nobody is queued twice,
    and subscribers who confirmed since the last call are added. Who receives is the audience
    app's answer (`Subscriber.objects.receiving()`); the edition becomes sent through the
    editions workflow, which checks the permission and writes the audit row.
    """
    check_sendable(user, edition)
    now = timezone.now()
    recipients = Subscriber.objects.receiving().order_by().values_list("id", "email", "language")
    select, params = recipients.query.sql_with_params()
    # One INSERT … SELECT: the database copies the rows; memory stays flat however many subscribers.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Delivery._meta.db_table} (subscriber_id, email, language, edition_id, status, attempts, "
            f"next_attempt_at, worker, last_error) SELECT recipients.*, %s, %s, 0, %s, '', '' FROM ({select}) AS recipients WHERE 1 = 1 "
            f"ON CONFLICT (edition_id, subscriber_id) DO NOTHING",
            # The constants' placeholders come first in the text, then the sub-select's. (SQLite needs a
            # WHERE after a sub-select so that ON CONFLICT is not read as part of a join.)
            [edition.pk, DeliveryStatus.PENDING, now, *params],
        )
        added = cursor.rowcount
        if added >= ANALYZE_AFTER and connection.vendor == "postgresql":
            # Fresh statistics, so the workers' claims walk the claim index. A planner that still believes the
            # table nearly empty (autovacuum off, or not there yet) sorts every pending row at every claim.
            cursor.execute(f"ANALYZE {Delivery._meta.db_table}")
    mark_edition_sent(user, edition, added)
    return added


#: A send that queues at least this many rows refreshes the planner's statistics of the outbox (PostgreSQL).
ANALYZE_AFTER = 1000


def progress(edition) -> dict:
    from django.db.models import Count

    counts = dict(Delivery.objects.filter(edition=edition).values_list("status").annotate(n=Count("id")).order_by())
    counts = {status: counts.get(status, 0) for status in DeliveryStatus.values}
    counts["total"] = sum(counts.values())
    counts["done"] = counts[DeliveryStatus.SENT] + counts[DeliveryStatus.FAILED] + counts[DeliveryStatus.SKIPPED]
    return counts


# A send under way ------------------------------------------------------------------

def _check_editor(user):
    if not is_editor(user):
        raise PermissionDenied(_("Only secretariat editors may change a send."))


def paused(edition) -> SendPause | None:
    return SendPause.objects.filter(edition_id=getattr(edition, "pk", edition)).first()


def pause_send(edition_id: int, reason: str) -> bool:
    """Pause an edition's send because the relay refused it as a whole; True if this call paused it.

    Called by the worker, so with no user. Only the call that creates the pause writes the audit row
    and emails the secretariat editors: several connections meeting the same refusal pause it once.
    """
    reason = reason[:300]
    try:
        with transaction.atomic():
            SendPause.objects.create(edition_id=edition_id, reason=reason)
            SendAuditEntry.objects.create(edition_id=edition_id, action=SendAction.PAUSE, note=reason)
    except IntegrityError:
        return False  # already paused (by another connection or worker)
    log.warning("Send of edition %s paused: %s", edition_id, reason)
    _tell_editors(edition_id, reason)
    return True


def _tell_editors(edition_id: int, reason: str) -> int:
    from django.conf import settings
    from django.urls import reverse

    from partnerpost.editions.models import Edition
    from partnerpost.network.models import User
    from partnerpost.notify import send_templated

    edition = Edition.objects.get(pk=edition_id)
    editors = list(User.objects.filter(is_active=True, is_secretariat_editor=True).exclude(email="").values_list("email", flat=True))
    counts = progress(edition)
    return send_templated("send-paused", editors, {
        "edition": edition, "reason": reason, "counts": counts,
        "edition_url": settings.SITE_URL + reverse("compose:edition", args=[edition.pk]),
    })


@transaction.atomic
def resume_send(user, edition) -> bool:
    """Lift an edition's pause; its waiting deliveries go out at once. False if it was not paused."""
    _check_editor(user)
    pause = SendPause.objects.select_for_update().filter(edition=edition).first()
    if pause is None:
        return False
    pause.delete()
    SendAuditEntry.objects.create(edition=edition, actor=_actor(user), action=SendAction.RESUME,
                                  note=_("paused since %(since)s: %(reason)s") % {"since": pause.since.isoformat(timespec="seconds"), "reason": pause.reason})
    Delivery.objects.filter(edition=edition, status=DeliveryStatus.PENDING).update(next_attempt_at=timezone.now())
    return True


@transaction.atomic
def retry_failed(user, edition) -> int:
    """Queue the edition's failed deliveries again, with a fresh set of attempts, for the subscribers
    who still receive editions. Returns how many; the others stay failed."""
    _check_editor(user)
    if not Delivery.objects.filter(edition=edition).exists():
        raise SendError(_("This edition has not been sent; there is nothing to send again."))
    rows = Delivery.objects.filter(edition=edition, status=DeliveryStatus.FAILED, subscriber__in=Subscriber.objects.receiving())
    count = rows.update(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), lease_until=None, worker="", last_error="")
    SendAuditEntry.objects.create(edition=edition, actor=_actor(user), action=SendAction.RETRY,
                                  note=_("%(n)d failed deliveries queued again") % {"n": count})
    return count


def _actor(user):
    return user if getattr(user, "pk", None) else None
