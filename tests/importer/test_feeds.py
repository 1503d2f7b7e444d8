"""Partners' feeds: reading RSS, Atom and iCalendar; polling a real local HTTP server into draft items;
conditional requests, matching, updates, bad input, pausing after five failures; the `feeds` command and the
periodic task."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from partnerpost.content import workflows
from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import AuditEntry, Item
from partnerpost.importer import feed_workflows
from partnerpost.importer.feeds import NotAFeed, parse_feed
from partnerpost.importer.models import Feed, FeedEntry, FeedState
from partnerpost.network.permissions import OPERATOR
from tests.factories import make_item
from tests.importer.feedserver import FIXTURES, FeedServer


@pytest.fixture
def server(settings):
    settings.FETCH_ALLOW_PRIVATE = True  # the test server is on 127.0.0.1
    settings.FETCH_TIMEOUT_SECONDS = 2
    feed_server = FeedServer().start()
    yield feed_server
    feed_server.stop()


def poll_json(capsys) -> list[dict]:
    capsys.readouterr()
    call_command("feeds", "poll", "--json")
    return json.loads(capsys.readouterr().out)


def counts(report: dict) -> tuple:
    return report["status"], report["new"], report["updated"], report["skipped"], report["errors"], report["error"]


# --- reading ------------------------------------------------------------------------------------------------

def test_parse_rss_reads_entries_kinds_and_dates():
    feed = parse_feed((FIXTURES / "eropa-bulletin.rss").read_bytes())
    assert (feed.format, feed.title) == ("rss", "EROPA Bulletin")
    assert [(e.uid, e.kind, e.published, e.start, e.online) for e in feed.entries] == [
        ("eropa-2026-101", "event", dt.date(2026, 11, 2), dt.date(2026, 12, 9), True),
        ("eropa-2026-102", "publication", dt.date(2026, 10, 27), None, False),
        ("eropa-2026-103", "news", dt.date(2026, 10, 15), None, False),
    ]
    assert feed.entries[0].text == ("EROPA holds an online webinar on 9 December 2026 for senior officials on "
                                    "digital readiness in local government.")
    assert feed.entries[1].link == "https://eropa.example.org/bulletin/annual-report-2025"


def test_parse_atom_keeps_an_event_word_without_a_day_as_news():
    feed = parse_feed((FIXTURES / "respa-news.atom").read_bytes())
    assert (feed.format, feed.title) == ("atom", "ReSPA News")
    assert [(e.uid, e.kind, e.published) for e in feed.entries] == [
        ("urn:uuid:respa-news-0001", "news", dt.date(2026, 11, 19)),
        ("urn:uuid:respa-news-0002", "publication", dt.date(2026, 11, 12)),
    ]
    assert feed.entries[0].warnings == ["no day found for the event: kept as news"]


def test_parse_icalendar_reads_all_day_and_timed_events():
    feed = parse_feed((FIXTURES / "icap-events.ics").read_bytes())
    assert (feed.format, feed.title) == ("ical", "ICAP Events")
    workshop, webinar = feed.entries
    assert (workshop.start, workshop.end, workshop.start_time, workshop.location, workshop.language) == (
        dt.date(2026, 12, 7), dt.date(2026, 12, 9), None, "San José, Costa Rica", "es")
    assert (webinar.start, webinar.start_time, webinar.end_time, webinar.time_zone, webinar.location,
            webinar.online) == (dt.date(2026, 12, 15), dt.time(10, 0), dt.time(11, 30), "America/Costa_Rica", "",
                                True)


@pytest.mark.parametrize("data, message", [
    (b"<?xml version='1.0'?>\n<rss version='2.0'><channel><title>x</title><item><title>a</item></channel></rss>",
     "The feed's XML is malformed at line 2, column 60: mismatched tag."),
    (b"<!DOCTYPE html><html><body><h1>News</h1></body></html>",
     "This address gives a web page, not an RSS, Atom or iCalendar feed. To import the page itself as a "
     "newsletter, use `partnerpost import-newsletter URL`."),
    (b"Just some words.", "This is not an RSS, Atom or iCalendar feed: it is neither XML nor a calendar "
                          "(BEGIN:VCALENDAR)."),
    (b"<?xml version='1.0'?><catalog><book>1</book></catalog>", "This XML document is not an RSS or Atom feed."),
])
def test_parse_refuses_what_is_not_a_feed(data, message):
    with pytest.raises(NotAFeed) as caught:
        parse_feed(data)
    assert str(caught.value) == message


def test_parse_a_broken_calendar_is_reported():
    with pytest.raises(NotAFeed) as caught:
        parse_feed(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n")
    assert str(caught.value).startswith("The calendar cannot be read: ")


def test_parse_keeps_long_ids_whole_and_drops_links_too_long_to_keep():
    long_id = "tag:partner.example.org,2026:" + "x" * 600
    long_link = "https://partner.example.org/" + "y" * 600
    data = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>P</title>'
            f'<item><title>One</title><guid>{long_id}</guid><link>{long_link}</link></item>'
            f'<item><title>Two</title><guid>{long_id}z</guid><link>javascript:alert(1)</link></item>'
            f'</channel></rss>').encode()
    one, two = parse_feed(data).entries
    assert one.uid == "sha256:" + __import__("hashlib").sha256(long_id.encode()).hexdigest()
    assert two.uid != one.uid and len(two.uid) == 71
    assert (one.link, two.link) == ("", "")


def test_a_cancelled_calendar_event_becomes_a_cancelled_draft(server, people, capsys):
    calendar = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:c1@example.org\r\n"
                "DTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:20261210\r\nSUMMARY:Forum on open data\r\n"
                "STATUS:CANCELLED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    feed_workflows.add_feed(people.editor, people.icap, server.serve("/c.ics", calendar, content_type="text/calendar"))
    assert [counts(r) for r in poll_json(capsys)] == [("ok", 1, 0, 0, [], None)]
    item = Item.objects.get()
    assert (item.title, item.event_status, item.start_date, item.end_date, item.event_type) == (
        "Forum on open data", "cancelled", dt.date(2026, 12, 10), dt.date(2026, 12, 10), "forum")


# --- polling ------------------------------------------------------------------------------------------------

def test_poll_json_makes_drafts_from_rss_and_icalendar_then_nothing_new(server, people, capsys):
    rss = server.serve("/eropa.rss", fixture="eropa-bulletin.rss")
    ics = server.serve("/icap.ics", fixture="icap-events.ics", content_type="text/calendar")
    call_command("feeds", "add", "EROPA", rss)
    call_command("feeds", "add", "icap", ics)  # the acronym in any case
    first = poll_json(capsys)
    assert [(r["partner"], r["url"]) + counts(r) for r in first] == [
        ("EROPA", rss, "ok", 3, 0, 0, [], None), ("ICAP", ics, "ok", 2, 0, 0, [], None)]
    items = Item.objects.order_by("pk")
    assert [(i.partner.acronym, i.kind, i.state, i.title) for i in items] == [
        ("EROPA", "event", "draft", "Webinar on Digital Government Readiness"),
        ("EROPA", "publication", "draft", "EROPA Annual Report 2025 published"),
        ("EROPA", "news", "draft", "New Executive Board elected in Manila"),
        ("ICAP", "event", "draft", "Taller regional de gestión pública por resultados"),
        ("ICAP", "event", "draft", "Webinar: ética en el servicio público"),
    ]
    webinar = items[0]
    assert (webinar.start_date, webinar.event_format, webinar.event_type) == (dt.date(2026, 12, 9), "online",
                                                                             "webinar")
    assert [link.url for link in webinar.links.all()] == ["https://eropa.example.org/bulletin/webinar-digital-readiness"]
    report = items[1]
    assert (report.published_on, report.document_url) == (dt.date(2026, 10, 27),
                                                          "https://eropa.example.org/bulletin/annual-report-2025")
    taller = items[3]
    assert (taller.start_date, taller.end_date, taller.venue, taller.event_format, taller.language) == (
        dt.date(2026, 12, 7), dt.date(2026, 12, 9), "San José, Costa Rica", "in_person", "es")
    online = items[4]
    assert (online.start_time, online.end_time, online.time_zone, online.event_format) == (
        dt.time(10, 0), dt.time(11, 30), "America/Costa_Rica", "online")
    note = AuditEntry.objects.filter(item=webinar, action="note").get().note
    assert note.startswith(f"Made from the feed {rss}, entry eropa-2026-101 "
                           "(https://eropa.example.org/bulletin/webinar-digital-readiness) (fetched ")
    provenance = FeedEntry.objects.get(uid="eropa-2026-101")
    assert (provenance.item, provenance.link, provenance.matched) == (
        webinar, "https://eropa.example.org/bulletin/webinar-digital-readiness", False)

    second = poll_json(capsys)
    assert [counts(r) for r in second] == [("not_modified", 0, 0, 0, [], None)] * 2
    assert Item.objects.count() == 5
    conditional = [r for r in server.requests if r["path"] == "/eropa.rss"][1]
    assert conditional["if_none_match"] == server.routes["/eropa.rss"].etag
    assert conditional["if_modified_since"] == "Mon, 02 Nov 2026 08:00:00 GMT"


def test_poll_a_server_with_last_modified_only_is_asked_conditionally(server, people, capsys):
    url = server.serve("/eropa.rss", fixture="eropa-bulletin.rss", send_etag=False,
                       last_modified="Tue, 03 Nov 2026 10:00:00 GMT")
    feed_workflows.add_feed(people.editor, people.eropa, url)
    assert [counts(r) for r in poll_json(capsys)] == [("ok", 3, 0, 0, [], None)]
    assert [counts(r) for r in poll_json(capsys)] == [("not_modified", 0, 0, 0, [], None)]
    assert [(r["if_none_match"], r["if_modified_since"]) for r in server.requests] == [
        (None, None), (None, "Tue, 03 Nov 2026 10:00:00 GMT")]


def test_poll_a_server_without_conditional_requests_skips_known_entries(server, people, capsys):
    url = server.serve("/news.atom", fixture="respa-news.atom", content_type="application/atom+xml",
                       conditional=False)
    feed_workflows.add_feed(people.editor, people.eropa, url)
    assert [counts(r) for r in poll_json(capsys)] == [("ok", 2, 0, 0, [], None)]
    # the same bytes again: recognised by their digest, not parsed
    assert [counts(r) for r in poll_json(capsys)] == [("not_modified", 0, 0, 0, [], None)]
    assert [(r["if_none_match"], r["if_modified_since"]) for r in server.requests] == [(None, None)] * 2
    # the feed's own date moved, its entries did not: each entry is compared and skipped
    body = (FIXTURES / "respa-news.atom").read_text().replace("<updated>2026-11-20T09:00:00Z</updated>\n  <link",
                                                              "<updated>2026-11-21T09:00:00Z</updated>\n  <link")
    server.serve("/news.atom", body, content_type="application/atom+xml", conditional=False)
    assert [counts(r) for r in poll_json(capsys)] == [("ok", 0, 0, 2, [], None)]
    assert Item.objects.count() == 2
    feed = Feed.objects.get()
    assert (feed.etag, feed.content_sha256) == ("", __import__("hashlib").sha256(body.encode()).hexdigest())


def test_poll_updates_a_draft_whose_entry_changed(server, people, capsys):
    body = (FIXTURES / "eropa-bulletin.rss").read_text()
    url = server.serve("/eropa.rss", body)
    feed_workflows.add_feed(people.eropa_contributor, people.eropa, url)
    poll_json(capsys)
    server.serve("/eropa.rss", body.replace("New Executive Board elected in Manila",
                                            "New Executive Board elected at the Manila assembly"))
    assert [counts(r) for r in poll_json(capsys)] == [("ok", 0, 1, 2, [], None)]
    item = FeedEntry.objects.get(uid="eropa-2026-103").item
    assert (item.title, item.state, item.revision) == ("New Executive Board elected at the Manila assembly", "draft", 2)
    assert AuditEntry.objects.filter(item=item, action="note").order_by("pk").last().note.startswith(
        f"Updated from the feed {url}: its entry eropa-2026-103 changed (fetched ")
    assert Item.objects.count() == 3


def test_poll_leaves_a_draft_a_person_edited_and_an_item_in_review(server, people, capsys):
    body = (FIXTURES / "eropa-bulletin.rss").read_text()
    url = server.serve("/eropa.rss", body)
    feed_workflows.add_feed(people.editor, people.eropa, url)
    poll_json(capsys)
    edited = FeedEntry.objects.get(uid="eropa-2026-103").item
    workflows.save_item(people.eropa_contributor, workflows.ItemInput(values={"summary": "Corrected by EROPA."}),
                        item=edited)
    submitted = FeedEntry.objects.get(uid="eropa-2026-102").item
    workflows.submit_item(people.eropa_contributor, submitted)
    server.serve("/eropa.rss", body.replace("elected a new Executive Board", "chose a new Executive Board")
                 .replace("covering the member", "which covers the member"))
    assert [counts(r) for r in poll_json(capsys)] == [("ok", 0, 0, 3, [], None)]
    edited.refresh_from_db()
    submitted.refresh_from_db()
    assert (edited.summary, submitted.state) == ("Corrected by EROPA.", ItemState.SUBMITTED)
    assert "covering the member" in submitted.summary


def test_poll_matches_items_entered_by_hand_by_link_or_by_title_and_date(server, people, capsys):
    by_link = make_item(people.eropa, kind=ItemKind.PUBLICATION, title="Annual report (typed by hand)",
                        document_url="https://eropa.example.org/bulletin/annual-report-2025")
    by_title = make_item(people.eropa, kind=ItemKind.NEWS, title="new executive board elected in manila",
                         published_on=dt.date(2026, 10, 15))
    other_day = make_item(people.eropa, kind=ItemKind.NEWS, title="Webinar on Digital Government Readiness",
                          published_on=dt.date(2025, 1, 1))
    url = server.serve("/eropa.rss", fixture="eropa-bulletin.rss")
    feed_workflows.add_feed(people.editor, people.eropa, url)
    assert [counts(r) for r in poll_json(capsys)] == [("ok", 1, 0, 2, [], None)]
    assert {e.uid: (e.item_id, e.matched) for e in FeedEntry.objects.all()} == {
        "eropa-2026-101": (Item.objects.get(title="Webinar on Digital Government Readiness",
                                            start_date=dt.date(2026, 12, 9)).pk, False),
        "eropa-2026-102": (by_link.pk, True),
        "eropa-2026-103": (by_title.pk, True),
    }
    assert Item.objects.count() == 4  # the hand-made three and the webinar
    assert Item.objects.get(pk=other_day.pk).published_on == dt.date(2025, 1, 1)


def test_poll_reports_an_entry_that_cannot_be_saved_and_keeps_the_others(server, people, capsys):
    broken = (FIXTURES / "icap-events.ics").read_text().replace(
        "DTEND;TZID=America/Costa_Rica:20261215T113000", "DTEND;TZID=America/Costa_Rica:20261214T113000")
    url = server.serve("/icap.ics", broken, content_type="text/calendar")
    feed_workflows.add_feed(people.editor, people.icap, url)
    [report] = poll_json(capsys)
    assert counts(report) == ("ok", 1, 0, 0, ["Webinar: ética en el servicio público: end_date: The last day is "
                                              "before the first day."], None)
    feed = Feed.objects.get()
    assert (feed.etag, feed.content_sha256) == ("", "")  # so the next poll reads the whole feed again
    assert Item.objects.get().title == "Taller regional de gestión pública por resultados"


@pytest.mark.parametrize("setup, error", [
    (lambda s: s.serve("/feed", status=404), "The server answered 404 Not Found."),
    (lambda s: s.serve("/feed", "<!DOCTYPE html><html><body>Our news</body></html>", content_type="text/html"),
     "This address gives a web page, not an RSS, Atom or iCalendar feed. To import the page itself as a "
     "newsletter, use `partnerpost import-newsletter URL`."),
    (lambda s: s.serve("/feed", "<?xml version='1.0'?>\n<rss><channel><item><title>x</channel></rss>"),
     "The feed's XML is malformed at line 2, column 30: mismatched tag."),
    (lambda s: s.serve("/feed", endless=True, content_type="application/rss+xml"),
     "The document is larger than the limit of 1.0 MB."),
    (lambda s: s.serve("/feed", b"<rss>" + b" " * (2 * 1024 * 1024) + b"</rss>"),
     "The document is 2.0 MB; the limit is 1.0 MB."),
    (lambda s: s.serve("/feed", fixture="eropa-bulletin.rss", delay=3), "The server did not answer within 2 seconds."),
    (lambda s: s.serve("/feed", fixture="eropa-bulletin.rss", trickle=0.05),
     "The server did not answer within 2 seconds."),
])
def test_poll_bad_feed_gives_a_clear_error_and_writes_nothing(server, people, capsys, settings, setup, error):
    settings.FETCH_MAX_BYTES = 1024 * 1024
    setup(server)
    good = server.serve("/good.rss", fixture="eropa-bulletin.rss")
    feed_workflows.add_feed(people.editor, people.icap, server.url("/feed"))
    feed_workflows.add_feed(people.editor, people.eropa, good)
    reports = {r["partner"]: r for r in poll_json(capsys)}
    assert counts(reports["ICAP"]) == ("failed", 0, 0, 0, [], error)
    assert counts(reports["EROPA"]) == ("ok", 3, 0, 0, [], None)  # one bad feed stops no other
    assert not Item.objects.filter(partner=people.icap).exists()
    bad = Feed.objects.get(partner=people.icap)
    assert (bad.failures, bad.last_error, bad.etag, bad.format, bad.entries.count()) == (1, error, "", "", 0)


def test_poll_redirects_are_followed_and_loops_named(server, people, capsys):
    server.serve("/moved", redirect=server.url("/eropa.rss"))
    server.serve("/eropa.rss", fixture="eropa-bulletin.rss")
    server.serve("/a", redirect="/b")
    server.serve("/b", redirect="/a")
    feed_workflows.add_feed(people.editor, people.eropa, server.url("/moved"))
    feed_workflows.add_feed(people.editor, people.icap, server.url("/a"))
    reports = {r["partner"]: r for r in poll_json(capsys)}
    assert counts(reports["EROPA"]) == ("ok", 3, 0, 0, [], None)
    assert counts(reports["ICAP"]) == ("failed", 0, 0, 0, [], "The address redirects in a loop ("
                                       f"{server.url('/a')} -> {server.url('/b')} -> {server.url('/a')}).")


def test_poll_refuses_private_addresses_unless_allowed(server, people, capsys, settings):
    url = server.serve("/eropa.rss", fixture="eropa-bulletin.rss")
    feed_workflows.add_feed(people.editor, people.eropa, url)
    settings.FETCH_ALLOW_PRIVATE = False
    [report] = poll_json(capsys)
    assert counts(report) == ("failed", 0, 0, 0, [], "127.0.0.1 points to a private or local network address "
                              "(127.0.0.1); such addresses are not fetched.")
    assert server.requests == []  # refused before connecting
    assert not Item.objects.exists()


def test_fifth_failure_in_a_row_pauses_the_feed_and_tells_the_partner(server, people, capsys, smtp,
                                                                      django_capture_on_commit_callbacks):
    url = server.serve("/gone.rss", status=404)
    feed_workflows.add_feed(people.editor, people.eropa, url)
    with django_capture_on_commit_callbacks(execute=True):  # the email leaves once the pause is committed
        statuses = [poll_json(capsys)[0]["status"] for _ in range(5)]
    assert statuses == ["failed", "failed", "failed", "failed", "paused"]
    feed = Feed.objects.get()
    assert (feed.state, feed.failures, feed.last_error) == (FeedState.PAUSED, 5, "The server answered 404 Not Found.")
    [(recipients, message)] = smtp.messages
    assert recipients == ["eri@example.org"]
    assert message["Subject"] == "Feed of EROPA paused"
    text = message.get_body(("plain",)).get_content()
    assert f"Partnerpost could not read the feed {url} 5 times in a row, so it has stopped reading it." in text
    assert "The last attempt gave: The server answered 404 Not Found." in text
    assert "/workspace/feeds/" in text

    asked = len(server.requests)
    assert poll_json(capsys) == []  # a paused feed is not polled
    assert len(server.requests) == asked
    server.serve("/gone.rss", fixture="eropa-bulletin.rss")
    call_command("feeds", "resume", str(feed.pk))
    assert [counts(r) for r in poll_json(capsys)] == [("ok", 3, 0, 0, [], None)]
    feed.refresh_from_db()
    assert (feed.state, feed.failures, feed.last_error) == (FeedState.ACTIVE, 0, "")
    assert len(smtp.messages) == 1


def test_a_success_resets_the_failure_count(server, people, capsys):
    url = server.serve("/eropa.rss", status=500)
    feed_workflows.add_feed(people.editor, people.eropa, url)
    for _ in range(4):
        poll_json(capsys)
    server.serve("/eropa.rss", fixture="eropa-bulletin.rss")
    poll_json(capsys)
    server.serve("/eropa.rss", status=500)
    assert poll_json(capsys)[0]["status"] == "failed"
    assert (Feed.objects.get().failures, Feed.objects.get().state) == (1, FeedState.ACTIVE)


# --- the command --------------------------------------------------------------------------------------------

def test_feeds_add_list_and_remove(people, capsys):
    call_command("feeds", "add", "EROPA", "https://eropa.example.org/bulletin/feed.xml")
    feed = Feed.objects.get()
    assert (feed.partner, feed.url, feed.state, feed.added_by) == (
        people.eropa, "https://eropa.example.org/bulletin/feed.xml", "active", None)
    capsys.readouterr()
    call_command("feeds", "list", "--json")
    assert json.loads(capsys.readouterr().out) == [{
        "id": feed.pk, "partner": "EROPA", "url": "https://eropa.example.org/bulletin/feed.xml", "format": "",
        "title": "", "state": "active", "failures": 0, "last_error": "", "last_polled_at": None}]
    call_command("feeds", "remove", "https://eropa.example.org/bulletin/feed.xml")
    assert "removed; the items it made stay" in capsys.readouterr().out
    assert not Feed.objects.exists()


@pytest.mark.parametrize("args, message", [
    (["add", "NOPE", "https://x.example.org/feed"], "PARTNER: no partner has the acronym 'NOPE'. Known: EROPA, ICAP."),
    (["add", "EROPA", "ftp://x.example.org/feed"], "URL: Give an http:// or https:// address with a host name and "
                                                   "no password, e.g. https://example.org/news/feed.xml."),
    (["add", "EROPA", "https://user:secret@x.example.org/feed"], "URL: Give an http:// or https:// address with a "
     "host name and no password, e.g. https://example.org/news/feed.xml."),
    (["add", "EROPA", "https://eropa.example.org/known.xml"], "URL: EROPA already has this feed."),
    (["remove", "999"], "FEED: no feed is numbered or addressed '999'; `partnerpost feeds list` shows them."),
    (["poll", "--feed", "https://nowhere.example.org/"], "FEED: no feed is numbered or addressed "
                                                         "'https://nowhere.example.org/'; `partnerpost feeds list` shows them."),
])
def test_feeds_command_refuses_bad_input_and_writes_nothing(people, args, message):
    feed_workflows.add_feed(OPERATOR, people.eropa, "https://eropa.example.org/known.xml")
    with pytest.raises(CommandError) as caught:
        call_command("feeds", *args)
    assert str(caught.value) == message
    assert list(Feed.objects.values_list("url", flat=True)) == ["https://eropa.example.org/known.xml"]


def test_the_periodic_task_polls_the_feeds(server, people, settings):
    from partnerpost.tasks import schedule
    from tests.conftest import run_queued_tasks

    feed_workflows.add_feed(people.editor, people.eropa, server.serve("/eropa.rss", fixture="eropa-bulletin.rss"))
    ticked = [t for t in schedule.tick() if t.job.name == "poll_partner_feeds"]
    assert ticked[0].result is not None
    run_queued_tasks()
    assert Item.objects.filter(partner=people.eropa, state="draft").count() == 3
    from django_tasks_db.models import DBTaskResult

    done = DBTaskResult.objects.get(task_path="partnerpost.importer.feed_tasks.poll_partner_feeds")
    assert done.return_value == {"feeds": 1, "new": 3, "updated": 0, "skipped": 0, "failed": {}}
