import datetime as dt

import feedparser
import icalendar
import pytest

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Country, Theme
from tests.factories import make_item
from tests.plans import assert_read_in_index_order


@pytest.fixture
def catalogue(people):
    theme = Theme.objects.get(slug="digital-government")
    live = make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Taller virtual",
                     start_date=dt.date(2020, 11, 13), first_published_at=dt.datetime(2020, 11, 1, tzinfo=dt.UTC))
    live.themes.add(theme)
    news = make_item(people.eropa, state=ItemState.PUBLISHED, title="Bulletin 41", first_published_at=dt.datetime(2020, 10, 20, tzinfo=dt.UTC))
    draft = make_item(people.icap, state=ItemState.SUBMITTED, kind=ItemKind.EVENT, title="Secret draft", start_date=dt.date(2020, 11, 20))
    return {"live": live, "news": news, "draft": draft, "theme": theme}


@pytest.mark.parametrize("url,titles", [
    ("/feeds/items.rss", ["Taller virtual", "Bulletin 41"]),
    ("/feeds/items.atom", ["Taller virtual", "Bulletin 41"]),
    ("/feeds/partner/icap.rss", ["Taller virtual"]),
    ("/feeds/kind/news.atom", ["Bulletin 41"]),
    ("/feeds/theme/digital-government.rss", ["Taller virtual"]),
])
def test_feeds_parse_cleanly_and_hold_only_live_items(client, catalogue, url, titles):
    response = client.get(url)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == titles
    assert all(entry.link.startswith("http://testserver/items/") for entry in feed.entries)


@pytest.mark.parametrize("url", ["/feeds/partner/nobody.rss", "/feeds/kind/webinar.rss", "/feeds/colour/blue.rss", "/calendar/partner/nobody.ics"])
def test_unknown_feed_scopes_are_404(client, catalogue, url):
    assert client.get(url).status_code == 404


def test_calendar_round_trips(client, catalogue, people):
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Graduation",
                      start_date=dt.date(2020, 10, 30), start_time=dt.time(16, 0), end_time=dt.time(18, 0), time_zone="America/Costa_Rica",
                      registration_url="https://icap.ac.cr/x", fee_amount=50, fee_currency="USD", event_status="cancelled")
    split = make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Two days", start_date=dt.date(2020, 11, 3), end_date=dt.date(2020, 11, 5),
                      venue_country=Country.objects.get(code="MY"), city="Kuala Lumpur")
    split.days.create(date=dt.date(2020, 11, 3))
    split.days.create(date=dt.date(2020, 11, 5))
    response = client.get("/calendar/events.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Taller virtual", "Graduation", "Two days"}
    assert icalendar.Calendar.from_ical(cal.to_ical()).to_ical() == cal.to_ical()
    taller = events["Taller virtual"]
    assert taller.decoded("dtstart") == dt.date(2020, 11, 13) and taller.decoded("dtend") == dt.date(2020, 11, 14)
    assert str(taller["uid"]) == f"item-{catalogue['live'].pk}@127.0.0.1"
    graduation = events["Graduation"]
    assert graduation.decoded("dtstart").astimezone(dt.UTC) == dt.datetime(2020, 10, 30, 22, 0, tzinfo=dt.UTC)
    assert str(graduation["status"]) == "CANCELLED"
    assert "Registration: https://icap.ac.cr/x" in str(graduation["description"]) and "Fee: 50 USD" in str(graduation["description"])
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/Costa_Rica"]
    two = events["Two days"]
    assert two.decoded("dtstart") == dt.date(2020, 11, 3) and two.decoded("dtend") == dt.date(2020, 11, 4)
    assert [d.dt for d in two["rdate"].dts] == [dt.date(2020, 11, 5)]
    assert str(two["location"]) == "Kuala Lumpur, Malaysia"


def test_sequence_rises_with_every_change(client, catalogue, people):
    from partnerpost.content import workflows

    item = catalogue["live"]
    first = icalendar.Calendar.from_ical(client.get(f"/items/{item.slug}/event.ics").content).walk("VEVENT")[0]
    item.title = "Taller virtual (new date)"
    workflows.update_item(people.editor, item)
    second = icalendar.Calendar.from_ical(client.get(f"/items/{item.slug}/event.ics").content).walk("VEVENT")[0]
    assert int(second["sequence"]) == int(first["sequence"]) + 1 and second["uid"] == first["uid"]


def test_drafts_never_reach_feeds_or_calendars(client, catalogue):
    for url in ["/feeds/items.rss", "/feeds/partner/icap.atom", "/calendar/events.ics", "/calendar/partner/icap.ics", "/sitemap.xml"]:
        assert b"Secret draft" not in client.get(url).content, url
    assert client.get(f"/items/{catalogue['draft'].slug}/event.ics").status_code == 404


def test_pages_advertise_their_feeds(client, catalogue, people):
    home = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in home and 'type="text/calendar"' in home
    partner = client.get("/partners/icap/").content.decode()
    assert 'href="/feeds/partner/icap.atom"' in partner and 'href="/calendar/partner/icap.ics"' in partner
    assert 'href="/items/taller-virtual/event.ics"' not in partner
    item = client.get(catalogue["live"].get_absolute_url()).content.decode()
    assert f'href="/items/{catalogue["live"].slug}/event.ics"' in item


def test_editions_feed_and_robots_and_sitemap(client, catalogue):
    assert not feedparser.parse(client.get("/feeds/editions.rss").content).bozo
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /workspace/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{catalogue['live'].get_absolute_url()}" in sitemap


@pytest.mark.parametrize("url", ["/feeds/items.rss", "/feeds/partner/icap.rss"])
def test_feeds_read_items_in_index_order(client, catalogue, url):
    """At a million items, sorting every live item by publication time took seconds per feed request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    listing = [q["sql"] for q in captured.captured_queries
               if q["sql"].startswith("SELECT") and 'ORDER BY "content_item"."first_published_at" DESC' in q["sql"]]
    assert len(listing) == 1, [q["sql"] for q in captured.captured_queries]
    assert_read_in_index_order(listing[0])
