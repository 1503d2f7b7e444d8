"""Polling partners' feeds when nothing is new: 100 feeds of 50 entries each, served by a local HTTP server.

Run:  PYTHONPATH=. .venv/bin/python bench/feeds_poll.py [--feeds 100] [--entries 50]

The first poll makes 5,000 drafts through the real save_item, which takes minutes (about 50 ms a draft on an
idle 2-core machine); the figures that matter come after it.

On a throw-away SQLite database with the demo partners, the script serves the feeds (RSS, Atom and
iCalendar in turn) from http.server on 127.0.0.1, registers them, polls once so that every entry becomes
a draft (timed: the first import), then times:

- the poll that matters: nothing new, and the server answers the conditional requests (ETag /
  If-None-Match, Last-Modified / If-Modified-Since) with 304 Not Modified;
- nothing new from a server that ignores conditional requests but sends the same bytes (recognised by
  their SHA-256, not parsed);
- the baseline, in the same run: nothing new, every feed downloaded and parsed in full and each entry
  compared with what is stored (what a feed whose bytes change on every request, say a build date, costs).

It prints each time, the ratio of the conditional poll to the baseline, and whether the conditional poll
stays under the issue's 10 s aim. Nothing leaves the machine.
"""

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss(feed: int, entries: int) -> str:
    items = "".join(
        f"<item><title>Update {n} of partner feed {feed}</title>"
        f"<link>https://partner{feed}.example.org/news/{n}</link><guid>p{feed}-news-{n}</guid>"
        f"<pubDate>{(dt.date(2026, 1, 1) + dt.timedelta(days=n)).strftime('%a, %d %b %Y')} 09:00:00 +0000</pubDate>"
        f"<description>&lt;p&gt;What partner {feed} reported in its update number {n}.&lt;/p&gt;</description></item>"
        for n in range(entries))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Partner {feed}</title>{items}</channel></rss>'


def atom(feed: int, entries: int) -> str:
    items = "".join(
        f"<entry><title>Note {n} from partner feed {feed}</title><id>urn:p{feed}:note:{n}</id>"
        f'<link href="https://partner{feed}.example.org/notes/{n}"/>'
        f"<updated>{dt.date(2026, 2, 1) + dt.timedelta(days=n)}T10:00:00Z</updated>"
        f"<summary>Partner {feed} wrote note {n}.</summary></entry>"
        for n in range(entries))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Partner {feed} notes</title><id>urn:p{feed}</id><updated>2026-03-01T00:00:00Z</updated>"
            f"{items}</feed>")


def ics(feed: int, entries: int) -> str:
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:p{feed}-event-{n}@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART;VALUE=DATE:{(dt.date(2027, 1, 1) + dt.timedelta(days=n)):%Y%m%d}\r\n"
        f"SUMMARY:Meeting {n} of partner {feed}\r\nLOCATION:Online\r\nEND:VEVENT\r\n"
        for n in range(entries))
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n{events}END:VCALENDAR\r\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--entries", type=int, default=50)
    args = parser.parse_args()

    from bench._setup import django_with_demo

    django_with_demo()
    from django.conf import settings

    settings.FETCH_ALLOW_PRIVATE = True  # the bench's server is on 127.0.0.1
    from partnerpost.content.models import Item
    from partnerpost.importer import feed_workflows
    from partnerpost.network.models import Partner
    from partnerpost.network.permissions import OPERATOR
    from tests.importer.feedserver import FeedServer

    partners = list(Partner.objects.active().order_by("pk"))
    server = FeedServer().start()
    makers = [(rss, "application/rss+xml", "rss"), (atom, "application/atom+xml", "atom"),
              (ics, "text/calendar", "ics")]
    for n in range(args.feeds):
        make, content_type, ext = makers[n % 3]
        url = server.serve(f"/feed{n}.{ext}", make(n, args.entries), content_type=content_type)
        feed_workflows.add_feed(OPERATOR, partners[n % len(partners)], url)
    before = Item.objects.count()

    def timed_poll():
        start = time.perf_counter()
        reports = feed_workflows.poll_feeds()
        return time.perf_counter() - start, reports

    first, reports = timed_poll()
    made = Item.objects.count() - before
    failed = [r for r in reports if r["error"] or r["errors"]]
    print(f"{args.feeds} feeds x {args.entries} entries, local server, SQLite")
    print(f"first poll (every entry a new draft): {first:7.2f} s   {made} drafts, {len(failed)} feeds with errors")

    requests_before = len(server.requests)
    conditional, reports = timed_poll()
    statuses = {r["status"] for r in reports}
    assert Item.objects.count() - before == made, "a poll with nothing new made items"
    print(f"nothing new, conditional requests:    {conditional:7.2f} s   statuses {sorted(statuses)}, "
          f"{len(server.requests) - requests_before} requests")

    for route in server.routes.values():
        route.conditional = False  # a server that ignores conditional requests and always sends the whole feed
    same_bytes, reports = timed_poll()
    print(f"nothing new, no 304, same bytes:       {same_bytes:7.2f} s   statuses {sorted({r['status'] for r in reports})}"
          " (recognised by their SHA-256)")

    from partnerpost.importer.models import Feed

    Feed.objects.update(etag="", last_modified="", content_sha256="")  # the baseline: every feed parsed again
    baseline, reports = timed_poll()
    skipped = sum(r["skipped"] for r in reports)
    assert Item.objects.count() - before == made, "a poll with nothing new made items"
    print(f"baseline, nothing new, full parse:     {baseline:7.2f} s   {skipped} entries compared and skipped")
    print(f"ratio conditional / baseline: {conditional / baseline:.3f}")
    print(f"aim: nothing-new poll of {args.feeds} feeds under 10 s: {'met' if conditional < 10 else 'NOT met'} "
          f"({conditional:.2f} s)")
    server.stop()


if __name__ == "__main__":
    main()
