"""Sending an edition creates its outbox: one Delivery row per confirmed subscriber."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerpost.audience.enums import SubscriberStatus
from partnerpost.editions.enums import EditionState
from partnerpost.network.permissions import is_editor

from .models import Delivery, DeliveryStatus


class SendError(Exception):
    pass


def check_sendable(user, edition) -> None:
    """Raise PermissionDenied or SendError (with the reason) unless this user may send this edition now."""
    if user is not None and not is_editor(user):
        raise PermissionDenied(_("Only secretariat editors may send editions."))
    if not edition.is_published:
        raise SendError(_("Publish the edition before sending it."))
    if edition.translation_of_id:
        raise SendError(_("Send the original edition; its translations go to the subscribers who prefer their language."))


@transaction.atomic
def send_edition(user, edition) -> int:
    """Queue the edition for every confirmed subscriber and return how many rows were added.

    Safe to call again: the unique (edition, subscriber) pair means nobody is queued twice,
    and subscribers who confirmed since the last call are added.
    """
    check_sendable(user, edition)
    now = timezone.now()
    table, subscribers = Delivery._meta.db_table, "audience_subscriber"
    # One INSERT … SELECT: the database copies the rows; memory stays flat however many subscribers.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (edition_id, subscriber_id, email, language, status, attempts, next_attempt_at, worker, last_error) "
            f"SELECT %s, id, email, language, %s, 0, %s, '', '' FROM {subscribers} WHERE status = %s "
            f"ON CONFLICT (edition_id, subscriber_id) DO NOTHING",
            [edition.pk, DeliveryStatus.PENDING, now, SubscriberStatus.CONFIRMED],
        )
        added = cursor.rowcount
    if edition.state != EditionState.SENT:
        edition.state = EditionState.SENT
        edition.sent_at = now
        edition.save(update_fields=["state", "sent_at", "updated_at"])
    return added


def progress(edition) -> dict:
    from django.db.models import Count

    counts = dict(Delivery.objects.filter(edition=edition).values_list("status").annotate(n=Count("id")).order_by())
    counts = {status: counts.get(status, 0) for status in DeliveryStatus.values}
    counts["total"] = sum(counts.values())
    counts["done"] = counts[DeliveryStatus.SENT] + counts[DeliveryStatus.FAILED]
    return counts
