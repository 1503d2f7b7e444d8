"""The number of items the public can see (the archive's total), kept up to date instead of counted.

Counting a million live items takes seconds; the archive shows the figure on every page. So one row
(`LiveTotal`) holds the number of items that were live at a moment `as_of`, and everything that can change
that number moves it on:

- a saved or deleted item (the workflows, the admin, imports, anything that calls save() or delete()):
  the signal handlers below compare whether the item was live at `as_of` before and after, and add the
  difference. Only changes that involve a published item take the row's lock.
- time: an item scheduled to go live, or to be unpublished, changes the number with nothing saved.
  `advance()` moves `as_of` forward to now and adds the items whose window opened or closed in between; the
  minute's `publish_due_items` task calls it. The figure shown is therefore at most a minute behind.
- anything that writes items without save() (QuerySet.update, bulk inserts such as bench/search.py's COPY)
  is not seen: `recount()` counts from scratch (`partnerpost content recount`, and the daily task
  `recount_live_total`), and says how far the kept figure had drifted.

Every change of the figure happens under the row's lock, inside the transaction of the change itself, so a
change rolled back leaves the figure as it was, and a recount sees exactly the changes committed before it.
A page view only reads the row (`current()`); it never counts.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from .enums import ItemState
from .models import Item, LiveTotal, live_q

NAME = "archive"
#: The fields that decide whether an item is live.
FIELDS = ("state", "go_live_at", "expire_at")

logger = logging.getLogger(__name__)


def is_live(state, go_live_at, expire_at, at: dt.datetime) -> bool:
    """The same rule as models.live_q, for one item's values."""
    return (state == ItemState.PUBLISHED and (go_live_at is None or go_live_at <= at)
            and (expire_at is None or expire_at > at))


def current() -> int | None:
    """The kept total; None if there is none yet (an emptied database), which readers show as unknown."""
    return LiveTotal.objects.filter(name=NAME).values_list("count", flat=True).first()


def _counted(now: dt.datetime) -> int:
    return Item.objects.filter(live_q(now)).count()


def _locked_row() -> tuple[LiveTotal, bool]:
    """The row, locked until the end of the current transaction, and whether it was just made by counting
    (then it already holds the changes of this transaction)."""
    row = LiveTotal.objects.select_for_update().filter(name=NAME).first()
    if row is not None:
        return row, False
    now = timezone.now()
    try:
        with transaction.atomic():
            LiveTotal.objects.create(name=NAME, count=_counted(now), as_of=now, counted_at=now)
    except IntegrityError:  # another process made it first
        return LiveTotal.objects.select_for_update().get(name=NAME), False
    return LiveTotal.objects.select_for_update().get(name=NAME), True


def _add(before: tuple | None, after: tuple | None) -> None:
    """Apply the change of one item from `before` to `after` (each (state, go_live_at, expire_at) or None)."""
    published = ItemState.PUBLISHED
    if (before is None or before[0] != published) and (after is None or after[0] != published):
        return  # neither side is live at any moment: nothing to lock
    with transaction.atomic():
        row, made = _locked_row()
        if made:
            return
        delta = int(after is not None and is_live(*after, row.as_of)) - int(before is not None and is_live(*before, row.as_of))
        if delta:
            LiveTotal.objects.filter(pk=row.pk).update(count=row.count + delta)


def _stored(pk) -> tuple | None:
    return Item.objects.filter(pk=pk).values_list(*FIELDS).first()


# Signal handlers (connected in ContentConfig.ready) ---------------------------------------------------

def _locked_first(instance) -> tuple | None:
    """The item's stored (state, go_live_at, expire_at), or None for a new item. Inside a transaction, when the
    change may involve a published item, the total's lock is taken first, before the item's row is written,
    and the stored values are read again under it.

    Saves that locked the item's row first and the total second could deadlock: a transaction saving items B
    then A holds the total and waits for A, while another saving A holds A and waits for the total; PostgreSQL
    then fails one of them. With the total always taken first, the second waits its turn. (Outside a
    transaction each statement commits alone and holds nothing.)"""
    stored = _stored(instance.pk) if instance.pk is not None else None
    involved = ItemState.PUBLISHED in (instance.state, stored and stored[0])
    if involved and transaction.get_connection().in_atomic_block:
        _locked_row()
        if stored is not None:
            stored = _stored(instance.pk)
    return stored


def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if update_fields is not None and not set(update_fields) & set(FIELDS):
        instance._live_before = False  # this save cannot change the total
        return
    instance._live_before = _locked_first(instance)


def after_save(sender, instance, update_fields=None, **kwargs):
    before = getattr(instance, "_live_before", None)
    if before is False:
        return
    instance._live_before = False
    _add(before, tuple(getattr(instance, name) for name in FIELDS))


def before_delete(sender, instance, **kwargs):
    instance._live_before = _locked_first(instance)


def after_delete(sender, instance, **kwargs):
    before = getattr(instance, "_live_before", None)
    instance._live_before = False
    if before:
        _add(before, None)


# Time and drift ------------------------------------------------------------------------------------------

def advance(now: dt.datetime | None = None) -> int:
    """Move the total to `now`: add the items whose publishing window opened or closed since `as_of`.
    Returns the change."""
    now = now or timezone.now()
    with transaction.atomic():
        row, _made = _locked_row()
        since = row.as_of
        if now <= since:
            return 0
        crossed = (Item.objects.filter(state=ItemState.PUBLISHED, go_live_at__gt=since, go_live_at__lte=now)
                   | Item.objects.filter(state=ItemState.PUBLISHED, expire_at__gt=since, expire_at__lte=now))
        figures = crossed.aggregate(now_live=Count("pk", filter=live_q(now)), then_live=Count("pk", filter=live_q(since)))
        delta = figures["now_live"] - figures["then_live"]
        LiveTotal.objects.filter(pk=row.pk).update(count=row.count + delta, as_of=now)
    return delta


@dataclass
class Recount:
    kept: int  # the figure as it was kept, moved to the moment of the count
    counted: int

    @property
    def drift(self) -> int:
        return self.counted - self.kept


def recount() -> Recount:
    """Count the live items from scratch and keep that figure; report how far the kept one had drifted."""
    with transaction.atomic():
        advance()
        row, _made = _locked_row()
        now = row.as_of
        counted = _counted(now)
        LiveTotal.objects.filter(pk=row.pk).update(count=counted, counted_at=timezone.now())
    if counted != row.count:
        logger.warning("The kept number of live items was %d, the count is %d: items were changed without "
                       "save() (a bulk write?); kept the count", row.count, counted)
    return Recount(kept=row.count, counted=counted)
