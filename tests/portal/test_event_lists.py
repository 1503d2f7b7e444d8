"""The events pages read their lists through an index (content/0014), not by sorting or walking every event:
at a million items the past events were sorted at every request, and SQLite walked every event to find the
upcoming ones."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerpost.content.enums import ItemKind
from partnerpost.content.models import Item
from tests.factories import published
from tests.plans import assert_read_in_index_order, plan_of


@pytest.fixture
def events(people):
    today = timezone.localdate()
    for days in (-400, -30, -2, 3, 40):
        start = today + dt.timedelta(days=days)
        published(people.icap, kind=ItemKind.EVENT, start_date=start, end_date=start + dt.timedelta(days=1),
                  title=f"Event {days}")
    return today


def _listing(client, url, order):
    """The page's statement that reads the list (parameters written in)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    found = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT") and order in q["sql"]
             and "LIMIT" in q["sql"] and "COUNT" not in q["sql"]]
    assert len(found) == 1, [q["sql"] for q in captured.captured_queries]
    return found[0]


def test_past_events_are_read_newest_first_from_the_index(events, client):
    sql = _listing(client, "/events/past/", 'ORDER BY "content_item"."start_date" DESC')
    plan = assert_read_in_index_order(sql, leading_only=True)
    assert "content_item_events_idx" in plan


def test_upcoming_events_are_found_by_their_last_day(events, client):
    sql = _listing(client, "/events/", 'ORDER BY "content_item"."start_date" ASC')
    plan = plan_of(sql, discourage_scans=True)
    if connection.vendor == "sqlite":
        assert "content_item_upcoming_idx (state=? AND kind=? AND end_date>?)" in plan, plan
    else:
        assert "Index Cond" in plan and "end_date >=" in plan, plan

def test_the_lists_hold_the_same_events_in_the_same_order(events, client):
    past = [item.title for item in Item.objects.published().past(events)]
    upcoming = [item.title for item in Item.objects.published().upcoming(events)]
    assert (past, upcoming) == (["Event -2", "Event -30", "Event -400"], ["Event 3", "Event 40"])
    page = client.get("/events/past/").content.decode()
    assert page.index("Event -2") < page.index("Event -30") < page.index("Event -400")
