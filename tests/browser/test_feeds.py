"""An EROPA contributor registers the bulletin's RSS feed in Chromium, reads it now, and finds the drafts."""

import pytest

from partnerpost.content import demo
from partnerpost.content.models import Item
from partnerpost.importer.models import Feed
from tests.browser.conftest import serious_violations
from tests.browser.test_journey import Session
from tests.importer.feedserver import FeedServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contributor_registers_a_feed_and_reads_it(browser, live_server, settings, axe_source):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.FETCH_ALLOW_PRIVATE = True
    demo.load(log=lambda *_: None)
    server = FeedServer().start()
    try:
        url = server.serve("/bulletin.rss", fixture="eropa-bulletin.rss")
        broken = server.serve("/events.ics", status=404)
        s = Session(browser, live_server.url)
        s.sign_in("eropa")
        s.link("Feeds")
        assert "No feeds registered yet." in s.text()
        s.type("url", "not an address")
        s.button("Register the feed")
        assert "Give an http:// or https:// address" in s.text()
        assert not Feed.objects.exists()
        s.type("url", url)
        s.button("Register the feed")
        s.wait_message("is registered")
        s.type("url", broken)
        s.button("Register the feed")
        s.wait_message("is registered")
        before = Item.objects.filter(partner__acronym="EROPA", state="draft").count()
        s.click_through(f"button[aria-label='Read {url} now']")
        s.wait_message("Feed read. New drafts: 3. Drafts updated: 0. Entries unchanged or already known: 0.")
        assert Item.objects.filter(partner__acronym="EROPA", state="draft").count() == before + 3
        s.click_through(f"button[aria-label='Read {broken} now']")
        s.wait_message("The feed could not be read: The server answered 404 Not Found.")
        assert "Failed 1 time in a row: The server answered 404 Not Found." in s.text()
        s.shot("17-feeds-page")
        s.driver.execute_script("document.querySelector('main table').scrollIntoView()")
        s.shot("17-feeds-table")
        s.driver.set_window_size(390, 844)  # a phone: each feed becomes a card with labelled values
        s.driver.execute_script("document.querySelector('main table').scrollIntoView()")
        s.shot("17-feeds-phone")
        s.driver.set_window_size(1280, 1000)
        assert serious_violations(browser, axe_source, "feeds") == []
        s.link("My items")
        assert "Webinar on Digital Government Readiness" in s.text()
    finally:
        server.stop()
