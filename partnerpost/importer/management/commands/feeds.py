import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partnerpost.importer import feed_workflows
from partnerpost.importer.models import Feed
from partnerpost.network.models import Partner
from partnerpost.network.permissions import OPERATOR


class Command(BaseCommand):
    help = ("Partners' RSS, Atom and iCalendar feeds: register them, and poll them to turn new entries into draft "
            "items for review.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,list,remove,resume,poll}")
        add = sub.add_parser("add", help="Register a feed for a partner.")
        add.add_argument("partner", metavar="PARTNER", help="The partner's acronym, e.g. EROPA.")
        add.add_argument("url", metavar="URL", help="The feed's address (RSS, Atom or iCalendar).")
        listing = sub.add_parser("list", help="Every feed with its partner, state and last poll.")
        listing.add_argument("--json", action="store_true", help="Print a JSON list.")
        remove = sub.add_parser("remove", help="Stop polling a feed (the items it made stay).")
        remove.add_argument("feed", metavar="FEED", help="The feed's number (see `feeds list`) or its address.")
        resume = sub.add_parser("resume", help="Poll a paused feed again.")
        resume.add_argument("feed", metavar="FEED", help="The feed's number (see `feeds list`) or its address.")
        poll = sub.add_parser("poll", help="Read every active feed now and make drafts of its new entries.")
        poll.add_argument("--json", action="store_true", help="Print one JSON object per feed, in a list.")
        poll.add_argument("--feed", metavar="FEED", help="Poll only this feed (number or address).")

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options)

    def _feed(self, ref: str) -> Feed:
        feeds = Feed.objects.select_related("partner")
        found = list(feeds.filter(pk=int(ref))) if ref.isdigit() else list(feeds.filter(url=ref.strip()))
        if not found:
            raise CommandError(f"FEED: no feed is numbered or addressed {ref!r}; `partnerpost feeds list` shows them.")
        if len(found) > 1:
            raise CommandError(f"FEED: {len(found)} partners have the feed {ref!r}; give its number instead "
                               "(`partnerpost feeds list`).")
        return found[0]

    def do_add(self, partner, url, **options):
        found = Partner.objects.filter(acronym__iexact=partner.strip()).first()
        if found is None:
            known = ", ".join(Partner.objects.order_by("acronym").values_list("acronym", flat=True)) or "none yet"
            raise CommandError(f"PARTNER: no partner has the acronym {partner!r}. Known: {known}.")
        try:
            feed = feed_workflows.add_feed(OPERATOR, found, url)
        except ValidationError as exc:
            raise CommandError("URL: " + " ".join(exc.message_dict.get("url", exc.messages))) from None
        self.stdout.write(f"Feed #{feed.pk} added for {found.acronym}: {feed.url}\n"
                          "`partnerpost feeds poll` reads it (the task worker does so on its schedule).")

    def do_list(self, json=False, **options):
        rows = [_row(feed) for feed in Feed.objects.select_related("partner")]
        if json:
            self.stdout.write(_dumps(rows))
            return
        if not rows:
            self.stdout.write("No feeds yet. Add one with `partnerpost feeds add PARTNER URL`.")
            return
        for row in rows:
            polled = row["last_polled_at"] or "never"
            line = f"#{row['id']:<4} {row['partner']:<10} {row['state']:<7} {row['format'] or '?':<5} {row['url']}"
            self.stdout.write(line + f"\n      last polled: {polled}" +
                              (f"; {row['failures']} failure(s) in a row: {row['last_error']}" if row["failures"] else ""))

    def do_remove(self, feed, **options):
        found = self._feed(feed)
        feed_workflows.remove_feed(OPERATOR, found)
        self.stdout.write(f"Feed #{found.pk} of {found.partner.acronym} removed; the items it made stay.")

    def do_resume(self, feed, **options):
        found = feed_workflows.resume_feed(OPERATOR, self._feed(feed))
        self.stdout.write(f"Feed #{found.pk} of {found.partner.acronym} will be polled again.")

    def do_poll(self, json=False, feed=None, **options):
        feeds = Feed.objects.filter(pk=self._feed(feed).pk) if feed else None
        reports = feed_workflows.poll_feeds(feeds)
        if json:
            self.stdout.write(_dumps(reports))
            return
        if not reports:
            self.stdout.write("No active feeds to poll.")
            return
        for report in reports:
            self.stdout.write(f"#{report['feed']} {report['partner']} {report['url']}")
            if report["error"]:
                self.stdout.write(f"      {report['status'].upper()}: {report['error']}")
                continue
            status = " (not modified)" if report["status"] == "not_modified" else ""
            self.stdout.write(f"      {report['new']} new, {report['updated']} updated, {report['skipped']} skipped"
                              f"{status}")
            for problem in report["errors"]:
                self.stdout.write(f"      entry not saved: {problem}")
        totals = {key: sum(r[key] for r in reports) for key in ("new", "updated", "skipped")}
        failed = sum(1 for r in reports if r["error"])
        self.stdout.write(f"{len(reports)} feed(s): {totals['new']} new, {totals['updated']} updated, "
                          f"{totals['skipped']} skipped, {failed} failed.")


def _row(feed: Feed) -> dict:
    return {"id": feed.pk, "partner": feed.partner.acronym, "url": feed.url, "format": feed.format,
            "title": feed.title, "state": feed.state, "failures": feed.failures, "last_error": feed.last_error,
            "last_polled_at": feed.last_polled_at.isoformat() if feed.last_polled_at else None}


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)
