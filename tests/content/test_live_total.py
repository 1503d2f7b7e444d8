"""The archive's total of live items is kept up to date by every path that changes it (content.livetotal),
and the archive page never counts the items to show it."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerpost.content import livetotal, workflows
from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Item, LiveTotal
from partnerpost.content.tasks import publish_due_items, recount_live_total
from tests.factories import make_item, move_to, published


def kept() -> int:
    return LiveTotal.objects.get(name=livetotal.NAME).count


def assert_right(expected: int | None = None):
    """The kept figure equals a real count of the items live at the moment the figure describes."""
    row = LiveTotal.objects.get(name=livetotal.NAME)
    assert row.count == Item.objects.published(row.as_of).count()
    if expected is not None:
        assert row.count == expected


@pytest.fixture
def base(people):
    """A few items already live, and the figure counted from scratch, so each test starts from a known total."""
    for _ in range(3):
        published(people.icap)
    make_item(people.eropa)  # a draft: never counted
    livetotal.recount()
    assert_right(3)
    return people


def _draft(people, title="Budget report", **fields):
    return workflows.create_item(people.editor, Item(kind=ItemKind.NEWS, partner=people.icap, title=title,
                                                     summary="Open budgets.", published_on=dt.date(2021, 3, 1), **fields))


def test_the_editorial_workflow_moves_the_total(base):
    people = base
    item = _draft(people)
    assert_right(3)
    workflows.submit_item(people.editor, item)
    workflows.approve_item(people.editor, item)
    assert_right(3)
    workflows.publish_item(people.editor, item)
    assert_right(4)
    workflows.withdraw_item(people.editor, item, "Out of date")
    assert_right(3)
    workflows.redraft_item(people.editor, item)
    move_to(item, ItemState.PUBLISHED, people.editor)
    assert_right(4)


def test_editing_a_live_items_window_moves_the_total(base):
    people = base
    item = move_to(_draft(people), ItemState.PUBLISHED, people.editor)
    assert_right(4)
    # The secretariat may edit a published item: ending its window now takes it off the total...
    item.expire_at = livetotal.LiveTotal.objects.get().as_of - dt.timedelta(minutes=1)
    workflows.update_item(people.editor, item)
    assert_right(3)
    # ...and an edit that leaves the window alone changes nothing.
    item.refresh_from_db()
    item.summary = "Open budgets, revised."
    workflows.update_item(people.editor, item)
    assert_right(3)


def test_deleting_items_one_by_one_or_in_bulk_moves_the_total(base):
    people = base
    live = [published(people.eropa) for _ in range(4)]
    assert_right(7)
    live[0].delete()
    assert_right(6)
    Item.objects.filter(pk__in=[i.pk for i in live[1:3]]).delete()  # the admin's bulk action deletes like this
    assert_right(4)
    make_item(people.eropa).delete()  # a draft
    assert_right(4)


def test_a_change_rolled_back_leaves_the_total_as_it_was(base):
    people = base
    item = move_to(_draft(people), ItemState.APPROVED, people.editor)
    with pytest.raises(RuntimeError), transaction.atomic():
        workflows.publish_item(people.editor, item)
        assert kept() == 4
        raise RuntimeError("the request failed after publishing")
    assert_right(3)


def test_scheduled_items_join_and_leave_the_total_when_the_task_runs(base):
    people = base
    later = timezone.now() + dt.timedelta(hours=1)
    embargoed = move_to(_draft(people, "Embargoed"), ItemState.APPROVED, people.editor)
    workflows.publish_item(people.editor, embargoed, go_live_at=later)
    closing = _draft(people, "Closing", expire_at=later)
    move_to(closing, ItemState.PUBLISHED, people.editor)
    assert_right(4)  # the closing one is live, the embargoed one not yet

    # The hour passes. Nothing is saved at that moment (the raw update stands in for the clock, as in
    # tests/tasks/test_publishing.py): the figure moves when the minute's task looks.
    moment = timezone.now()
    Item.objects.filter(pk=embargoed.pk).update(go_live_at=moment)
    Item.objects.filter(pk=closing.pk).update(expire_at=moment)
    result = publish_due_items.call()
    assert result == {"went_live": 1, "expired": 1}
    row = LiveTotal.objects.get()
    assert row.as_of > moment
    assert_right(4)
    assert set(Item.objects.published(row.as_of).values_list("title", flat=True)) >= {"Embargoed"}


def test_advance_counts_every_window_crossed_since_the_last_look(base):
    people = base
    start = LiveTotal.objects.get().as_of
    published(people.icap, go_live_at=start + dt.timedelta(hours=1))  # goes live
    published(people.icap, expire_at=start + dt.timedelta(hours=2))  # live now, expires
    published(people.icap, go_live_at=start + dt.timedelta(hours=1), expire_at=start + dt.timedelta(hours=2))  # both
    published(people.icap, go_live_at=start + dt.timedelta(days=2))  # not yet
    assert_right(4)
    assert livetotal.advance(start + dt.timedelta(minutes=90)) == 2
    assert_right(6)
    assert livetotal.advance(start + dt.timedelta(hours=3)) == -2
    assert_right(4)
    assert livetotal.advance(start + dt.timedelta(hours=3)) == 0  # the same moment twice: nothing


def test_recount_corrects_writes_that_bypass_save(base):
    people = base
    Item.objects.bulk_create([Item(partner=people.icap, kind=ItemKind.NEWS, title=f"Bulk {n}", slug=f"bulk-{n}",
                                   summary="Loaded in bulk.", state=ItemState.PUBLISHED) for n in range(5)])
    assert kept() == 3  # bulk_create sends no signal: the kept figure is behind
    out = StringIO()
    call_command("content", "recount", stdout=out)
    assert "Live items: 8 (the kept total said 3; corrected by +5)." in out.getvalue()
    assert_right(8)
    out = StringIO()
    call_command("content", "recount", stdout=out)
    assert "Live items: 8 (the kept total was right)." in out.getvalue()
    Item.objects.filter(title__startswith="Bulk").update(state=ItemState.WITHDRAWN)
    assert recount_live_total.call() == {"kept": 8, "counted": 3, "drift": -5}
    assert_right(3)


def test_the_daily_recount_is_on_the_schedule():
    from partnerpost.tasks.schedule import PERIODIC

    assert {job.name: job.every for job in PERIODIC}["recount_live_total"] == 24 * 3600


def test_a_missing_row_is_made_by_the_next_change(people):
    published(people.icap)
    LiveTotal.objects.all().delete()
    assert livetotal.current() is None
    published(people.icap)
    assert_right(2)


def _item_counts(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "content_item" in q["sql"]]


@pytest.mark.parametrize("address", ["/items/", "/items/?page=2", "/items/?x=8f3a1c", "/items/?kind=&partner="])
def test_the_archive_page_counts_no_items(base, client, settings, address):
    settings.ARCHIVE_PAGE_SIZE = 2
    with CaptureQueriesContext(connection) as queries:
        page = client.get(address)
    assert page.status_code == 200
    assert _item_counts(queries.captured_queries) == []
    assert page.context["page"].paginator.count == 3
    assert "3 items" in page.content.decode()


def test_a_filtered_archive_still_counts_its_own_total(base, client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/items/?partner=icap")
    assert page.context["page"].paginator.count == 3
    assert len(_item_counts(queries.captured_queries)) == 1


def test_a_filtered_total_is_not_counted_again_for_other_parameters(base, client):
    """Kept per list and valid filters: a new unknown parameter, an invalid filter value, the filters in another
    order or another page reuse it. The same filters on another list (upcoming events) are a different total.
    Signed in, so no page is answered from the page cache (which drops unknown parameters for anonymous readers)."""
    client.force_login(base.editor)
    addresses = ["/items/?partner=icap", "/items/?partner=icap&x=1", "/items/?x=2&partner=icap&page=2",
                 "/items/?partner=icap&kind=nonsense", "/items/?kind=news&partner=icap", "/items/?partner=icap&kind=news&y=3"]
    counted = []
    for address in addresses:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        counted.append(len(_item_counts(queries.captured_queries)))
    assert counted == [1, 0, 0, 0, 1, 0]
    with CaptureQueriesContext(connection) as queries:
        client.get("/events/?partner=icap")
    assert len(_item_counts(queries.captured_queries)) == 1


def test_the_archive_follows_a_publication_with_no_count(base, client):
    people = base
    move_to(_draft(people), ItemState.PUBLISHED, people.editor)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/items/")
    assert _item_counts(queries.captured_queries) == []
    assert "4 items" in page.content.decode()


def test_without_a_kept_row_the_archive_queues_the_recount_and_counts_a_bounded_page(people, client, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    for _ in range(2):
        published(people.icap)
    LiveTotal.objects.all().delete()
    monkeypatch.setattr("partnerpost.portal.views.MISSING_TOTAL_LIMIT", 1)
    page = client.get("/items/")
    assert page.context["page"].paginator.count == 2  # the first MISSING_TOTAL_LIMIT + 1 rows
    assert DBTaskResult.objects.filter(task_path="partnerpost.content.tasks.recount_live_total").count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_transactions_saving_the_same_live_items_do_not_deadlock(people):
    """One transaction saves live item B then live item A; another saves A meanwhile. When each save locked its
    item's row before the total's, the second held A and waited for the total, the first held the total and
    waited for A: PostgreSQL broke the deadlock by failing one of them. The total's row is now locked first."""
    import threading
    import time

    from django.db import connections

    a, b = published(people.icap, title="Item A"), published(people.icap, title="Item B")
    livetotal.recount()
    first_holds_total, errors = threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                Item.objects.get(pk=b.pk).save()  # holds the total's row from here to the commit
                first_holds_total.set()
                # Wait until the other transaction is blocked on a lock, then save A.
                for _ in range(200):
                    with connection.cursor() as cursor:
                        # pg_locks, not pg_stat_activity: the latter is read once per transaction.
                        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                        if cursor.fetchone()[0]:
                            break
                    time.sleep(0.05)
                else:
                    errors.append("the second transaction never waited")
                Item.objects.get(pk=a.pk).save()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(f"first: {error!r}")
        finally:
            connections.close_all()

    def second():
        first_holds_total.wait(10)
        try:
            with transaction.atomic():
                item = Item.objects.get(pk=a.pk)
                item.title = "Item A, edited"
                item.save()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(f"second: {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, "\n".join(errors)
    assert Item.objects.get(pk=a.pk).title == "Item A, edited"
    assert_right(2 + Item.objects.published().exclude(pk__in=[a.pk, b.pk]).count())


def test_a_broad_filter_counts_up_to_the_cap_and_says_so(base, client, settings, monkeypatch):
    """Beyond COUNT_CAP the filtered total is not counted: the query stops at cap + 1 rows, the heading says
    "2+ items" and the pages end at the cap. Below it, the exact figure."""
    from partnerpost.network import paging

    people = base
    settings.ARCHIVE_PAGE_SIZE = 1
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/items/?partner=icap")  # three live ICAP items
    [count] = _item_counts(queries.captured_queries)
    assert "LIMIT 3" in count.upper()
    paginator = page.context["page"].paginator
    assert (paginator.capped, paginator.count, paginator.num_pages) == (True, 2, 2)
    assert '<h2 id="results-heading" class="results-count">2+ items</h2>' in page.content.decode()
    assert "Page 1 of 2" in page.content.decode()
    # Asked for a page beyond the cap: the last one it offers.
    assert client.get("/items/?partner=icap&page=3").context["page"].number == 2
    # Exact below the cap; an event list says events.
    published(people.eropa, title="EROPA only")
    assert "1 item<" in client.get("/items/?partner=eropa").content.decode()
    for _ in range(3):
        published(people.icap, kind=ItemKind.EVENT, start_date=dt.date(2020, 5, 1), title="A past event")
    events = client.get("/events/past/?partner=icap").content.decode()
    assert '<h2 id="results-heading" class="results-count">2+ events</h2>' in events


@pytest.mark.parametrize("language, heading", [
    ("fr", "Plus de 10\xa0000 contenus"), ("es", "Más de 10\xa0000 contenidos"), ("ar", "10.000 مادة أو أكثر"),
    ("zh-hans", "10000个以上条目"), ("ru", "Более 10\xa0000 материалов"),
])
def test_the_capped_heading_in_every_language(base, client, monkeypatch, language, heading):
    from partnerpost.network import paging

    monkeypatch.setattr(paging.CachedCountPaginator, "capped", property(lambda self: True))
    page = client.get(f"/{language}/items/?partner=icap").content.decode()
    assert f'class="results-count">{heading}</h2>' in page
