"""Background tasks of the content app (django-tasks; see README, "Background tasks").

An item published "at a set time" is saved once, when the editor schedules it; nothing is saved when the
time comes. The queries already hide it until then, but whatever keeps a copy of the public content (the
search index, the pages kept for anonymous readers) only learns of a change through `item_changed`.
`publish_due_items` sends that signal for every item whose publishing window opened or closed since its
previous run; `partnerpost tasks worker` queues it every minute. It also moves the archive's kept total of
live items to the present (content.livetotal); `recount_live_total` counts that total from scratch once a day.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .enums import ItemState
from . import livetotal
from .models import Item, ScheduleSweep
from .signals import item_changed

SWEEP = "publishing-window"
#: How far back the very first run looks (before it, caches have long expired on their own).
FIRST_LOOK_BACK = dt.timedelta(days=1)


@task()
def publish_due_items() -> dict:
    """Announce the items that went live or expired since the previous run. Returns how many of each."""
    now = timezone.now()
    with transaction.atomic():
        # The row lock makes overlapping runs take turns (SQLite: the write transaction does).
        sweep, _created = ScheduleSweep.objects.select_for_update().get_or_create(
            name=SWEEP, defaults={"swept_until": now - FIRST_LOOK_BACK}
        )
        since = sweep.swept_until
        if since >= now:
            return {"went_live": 0, "expired": 0}
        published = Item.objects.filter(state=ItemState.PUBLISHED)
        went_live = set(published.filter(go_live_at__gt=since, go_live_at__lte=now).values_list("pk", flat=True))
        expired = set(published.filter(expire_at__gt=since, expire_at__lte=now).values_list("pk", flat=True))
        sweep.swept_until = now
        sweep.save(update_fields=["swept_until"])
        for item in Item.objects.filter(pk__in=went_live | expired).order_by("pk"):
            transaction.on_commit(partial(item_changed.send, sender=Item, item=item))
    livetotal.advance(now)
    return {"went_live": len(went_live), "expired": len(expired)}


@task()
def recount_live_total() -> dict:
    """Count the live items from scratch, keep that figure as the archive's total and report the drift."""
    result = livetotal.recount()
    return {"kept": result.kept, "counted": result.counted, "drift": result.drift}
