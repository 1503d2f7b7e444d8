"""Sending an edition creates its outbox: one Delivery row per confirmed subscriber."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerpost.audience.models import Subscriber
from partnerpost.editions.workflows import mark_edition_sent
from partnerpost.network.permissions import is_editor

from .models import Delivery, DeliveryStatus


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
    mark_edition_sent(user, edition, added)
    return added


def progress(edition) -> dict:
    from django.db.models import Count

    counts = dict(Delivery.objects.filter(edition=edition).values_list("status").annotate(n=Count("id")).order_by())
    counts = {status: counts.get(status, 0) for status in DeliveryStatus.values}
    counts["total"] = sum(counts.values())
    counts["done"] = counts[DeliveryStatus.SENT] + counts[DeliveryStatus.FAILED]
    return counts
