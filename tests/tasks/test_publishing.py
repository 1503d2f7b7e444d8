"""publish_due_items: an item scheduled to go live (or to expire) reaches the caches at its time, with nothing saved."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from partnerpost.content import workflows
from partnerpost.content.enums import ItemKind
from partnerpost.content.models import Item, ScheduleSweep
from partnerpost.content.tasks import publish_due_items


@pytest.fixture
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _publish(user, partner, title, *, go_live_at=None, expire_at=None):
    item = workflows.create_item(user, Item(kind=ItemKind.NEWS, partner=partner, title=title, summary="Budget transparency.",
                                            published_on=dt.date(2020, 11, 2), expire_at=expire_at))
    workflows.submit_item(user, item)
    workflows.approve_item(user, item)
    workflows.publish_item(user, item, go_live_at=go_live_at)
    return item


def test_scheduled_items_reach_the_cached_search_page_when_the_task_runs(
        people, client, immediate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish_due_items.enqueue()  # the first run: from now on, each run starts where the previous one stopped
        later = timezone.now() + dt.timedelta(hours=1)
        embargoed = _publish(people.editor, people.icap, "Embargoed budget report", go_live_at=later)
        closing = _publish(people.editor, people.eropa, "Budget call closing", expire_at=later)

    page = client.get("/search/?q=transparency")
    assert page["X-Page-Cache"] == "miss"
    assert [hit.item.title for hit in page.context["results"].hits] == ["Budget call closing"]

    # The moment passes (moved rather than waited for, so a slow machine cannot pass it early): a raw
    # update, as the clock would, announces nothing, so the kept page still shows the world before it.
    moment = timezone.now()
    Item.objects.filter(pk=embargoed.pk).update(go_live_at=moment)
    Item.objects.filter(pk=closing.pk).update(expire_at=moment)
    time.sleep(0.05)
    stale = client.get("/search/?q=transparency")
    assert stale["X-Page-Cache"] == "hit"
    assert "Budget call closing" in stale.content.decode() and "Embargoed budget report" not in stale.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        result = publish_due_items.enqueue()
    assert result.status == "SUCCESSFUL" and result.return_value == {"went_live": 1, "expired": 1}

    fresh = client.get("/search/?q=transparency")
    assert fresh["X-Page-Cache"] == "miss"
    assert [hit.item.title for hit in fresh.context["results"].hits] == ["Embargoed budget report"]


def test_each_opening_and_closing_is_announced_once(people, immediate, django_capture_on_commit_callbacks):
    from partnerpost.content.signals import item_changed

    announced = []

    def listen(sender, item, **kwargs):
        announced.append(item.title)

    item_changed.connect(listen, dispatch_uid="test-listen")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _publish(people.editor, people.icap, "Later report", go_live_at=timezone.now() + dt.timedelta(hours=1))
        announced.clear()
        # the previous run stopped two hours ago; the item's time, an hour from now, passes before this run
        ScheduleSweep.objects.create(name="publishing-window", swept_until=timezone.now() - dt.timedelta(hours=2))
        Item.objects.filter(title="Later report").update(go_live_at=timezone.now() - dt.timedelta(minutes=30))
        with django_capture_on_commit_callbacks(execute=True):
            first = publish_due_items.enqueue()
        with django_capture_on_commit_callbacks(execute=True):
            second = publish_due_items.enqueue()
    finally:
        item_changed.disconnect(dispatch_uid="test-listen")
    assert first.return_value == {"went_live": 1, "expired": 0}
    assert second.return_value == {"went_live": 0, "expired": 0}
    assert announced == ["Later report"]
    assert ScheduleSweep.objects.get().swept_until > timezone.now() - dt.timedelta(seconds=5)


def test_first_run_looks_back_one_day_only(people, immediate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _publish(people.editor, people.icap, "Old scheduled report", go_live_at=timezone.now() + dt.timedelta(hours=1))
        _publish(people.editor, people.icap, "Recent scheduled report", go_live_at=timezone.now() + dt.timedelta(hours=1))
    Item.objects.filter(title="Old scheduled report").update(go_live_at=timezone.now() - dt.timedelta(days=3))
    Item.objects.filter(title="Recent scheduled report").update(go_live_at=timezone.now() - dt.timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due_items.enqueue().return_value == {"went_live": 1, "expired": 0}
