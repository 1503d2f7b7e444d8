"""Every change to a partner's feeds, and polling them. The workspace page, the CLI and the task call these.

Polling one feed: fetch it (conditionally, with the ETag and Last-Modified kept from the last poll), read its
entries, and for each entry
- seen before with the same content: skipped;
- seen before and changed: its draft is updated (unless a person edited the draft since, or it left draft);
- new, but an item with the same link, or the same title and date, exists (entered by hand or imported): the
  entry is linked to that item, which is not changed: skipped;
- new: a draft item is made through `content.workflows.save_item`, with a history note saying where it came
  from (feed, entry id and link, time fetched).
A body identical to the last one read in full (a server that ignores conditional requests) is not parsed
again. A fetch or parse failure writes nothing but the feed's failure count; the fifth failure in a row pauses the
feed and emails the partner's members. The ETag is kept only once the entries are saved, so an interrupted
poll reads the feed again next time.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerpost.content import workflows
from partnerpost.content.enums import DatePrecision, EventFormat, EventStatus, EventType, ItemKind, ItemState
from partnerpost.content.models import Item
from partnerpost.network.models import Partner, User
from partnerpost.network.permissions import OPERATOR, can_manage_feeds
from partnerpost.notify import send_templated

from .feed_models import PAUSE_AFTER_FAILURES, Feed, FeedEntry, FeedState
from .feeds import Entry, NotAFeed, parse_feed
from .fetching import FetchError, Limits, check_address, fetch

log = logging.getLogger(__name__)

ACCEPT = "application/rss+xml, application/atom+xml, text/calendar, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


# --- registering --------------------------------------------------------------------------------------------

def _check_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise ValidationError({"url": _("Give the feed's address.")})
    if len(url) > 1000:
        raise ValidationError({"url": _("The address is longer than 1000 characters.")})
    try:
        check_address(url)
    except FetchError:
        raise ValidationError({"url": _("Give an http:// or https:// address with a host name and no password, "
                                        "e.g. https://example.org/news/feed.xml.")}) from None
    return url


@transaction.atomic
def add_feed(user, partner: Partner, url: str) -> Feed:
    if not can_manage_feeds(user, partner):
        raise PermissionDenied(_("You may not manage the feeds of %(partner)s.") % {"partner": partner})
    url = _check_url(url)
    if Feed.objects.filter(partner=partner, url=url).exists():
        raise ValidationError({"url": _("%(partner)s already has this feed.") % {"partner": partner.acronym}})
    return Feed.objects.create(partner=partner, url=url, added_by=user if getattr(user, "pk", None) else None)


@transaction.atomic
def remove_feed(user, feed: Feed) -> None:
    """Stop polling the feed. The items it made stay, with their history notes."""
    if not can_manage_feeds(user, feed.partner):
        raise PermissionDenied(_("You may not manage the feeds of %(partner)s.") % {"partner": feed.partner})
    feed.delete()


@transaction.atomic
def resume_feed(user, feed: Feed) -> Feed:
    """Poll a paused feed again, its failure count back to zero."""
    if not can_manage_feeds(user, feed.partner):
        raise PermissionDenied(_("You may not manage the feeds of %(partner)s.") % {"partner": feed.partner})
    feed.state, feed.failures, feed.paused_at = FeedState.ACTIVE, 0, None
    feed.save(update_fields=["state", "failures", "paused_at"])
    return feed


# --- polling ------------------------------------------------------------------------------------------------

def poll_feeds(feeds=None, *, limits: Limits | None = None) -> list[dict]:
    """Poll every active feed (or those given), one after another. Returns one report per feed."""
    if feeds is None:
        feeds = Feed.objects.filter(state=FeedState.ACTIVE, partner__is_active=True)
    feeds = list(feeds.select_related("partner") if hasattr(feeds, "select_related") else feeds)
    limits = limits or Limits.from_settings()
    return [poll_feed(feed, limits=limits) for feed in feeds]


def _report(feed: Feed) -> dict:
    return {"feed": feed.pk, "partner": feed.partner.acronym, "url": feed.url, "status": "ok", "new": 0,
            "updated": 0, "skipped": 0, "errors": [], "error": None}


def poll_feed(feed: Feed, *, limits: Limits | None = None) -> dict:
    """Poll one feed. The report: {"feed", "partner", "url", "status", "new", "updated", "skipped",
    "errors" (entries that could not be saved), "error" (why the feed as a whole failed, or null)}.
    status is "ok", "not_modified", "failed" or "paused" (failed, and now paused)."""
    report = _report(feed)
    now = timezone.now()
    if feed.is_paused:
        report.update(status="paused", error=feed.last_error or _("The feed is paused."))
        return report
    try:
        fetched = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=ACCEPT, limits=limits)
        if fetched.status == 304:
            Feed.objects.filter(pk=feed.pk).update(last_polled_at=now, last_success_at=now, failures=0,
                                                   last_error="")
            report["status"] = "not_modified"
            return report
        digest = hashlib.sha256(fetched.body).hexdigest()
        if digest == feed.content_sha256:
            Feed.objects.filter(pk=feed.pk).update(last_polled_at=now, last_success_at=now, failures=0,
                                                   last_error="", etag=fetched.etag[:300],
                                                   last_modified=fetched.last_modified[:100])
            report["status"] = "not_modified"
            return report
        parsed = parse_feed(fetched.body, content_type=fetched.content_type)
    except (FetchError, NotAFeed) as exc:
        return _failed(feed, report, str(exc), now)
    except Exception as exc:  # a parser's own bug must not stop the other feeds
        log.exception("Reading feed %s failed", feed.pk)
        return _failed(feed, report, _("The feed could not be read (%(error)s).") % {"error": type(exc).__name__}, now)

    with transaction.atomic():
        feed = Feed.objects.select_for_update().select_related("partner").get(pk=feed.pk)
        known = {row.uid: row for row in FeedEntry.objects.filter(feed=feed).select_related("item")}
        for entry in parsed.entries:
            try:
                with transaction.atomic():
                    report[_apply(feed, entry, known.get(entry.uid), now)] += 1
            except ValidationError as exc:
                report["errors"].append(f"{entry.title[:80]}: {_messages(exc)}")
            except PermissionDenied as exc:
                report["errors"].append(f"{entry.title[:80]}: {exc}")
        feed.format, feed.title = parsed.format, parsed.title or feed.title
        feed.failures, feed.last_error = 0, ""
        feed.last_polled_at = feed.last_success_at = now
        if not report["errors"]:  # entries that failed are tried again on the next poll
            feed.etag, feed.last_modified = fetched.etag[:300], fetched.last_modified[:100]
            feed.content_sha256 = digest
        else:
            feed.etag = feed.last_modified = feed.content_sha256 = ""
        feed.save(update_fields=["format", "title", "failures", "last_error", "last_polled_at", "last_success_at",
                                 "etag", "last_modified", "content_sha256"])
    return report


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return " ".join(exc.messages)


def _failed(feed: Feed, report: dict, message: str, now) -> dict:
    with transaction.atomic():
        feed = Feed.objects.select_for_update().select_related("partner").get(pk=feed.pk)
        feed.failures += 1
        feed.last_error = message
        feed.last_polled_at = now
        fields = ["failures", "last_error", "last_polled_at"]
        paused = feed.failures >= PAUSE_AFTER_FAILURES and feed.state == FeedState.ACTIVE
        if paused:
            feed.state, feed.paused_at = FeedState.PAUSED, now
            fields += ["state", "paused_at"]
        feed.save(update_fields=fields)
        if paused:
            transaction.on_commit(lambda: _tell_partner(feed))
    report.update(status="paused" if paused else "failed", error=message)
    return report


def _tell_partner(feed: Feed) -> int:
    members = User.objects.filter(is_active=True, memberships__partner_id=feed.partner_id).exclude(email="")
    return send_templated("feed-paused", list(members.values_list("email", flat=True)), {
        "feed": feed, "partner": feed.partner, "failures": feed.failures,
        "feeds_path": reverse("importer_feeds:list"),
    })


# --- one entry ----------------------------------------------------------------------------------------------

def _apply(feed: Feed, entry: Entry, known: FeedEntry | None, now) -> str:
    fingerprint = entry.fingerprint()
    if known is not None:
        if known.fingerprint == fingerprint:
            return "skipped"
        item = known.item
        outcome = "skipped"
        if (item is not None and not known.matched and item.state == ItemState.DRAFT
                and item.revision == known.item_revision):
            item = workflows.save_item(OPERATOR, _item_input(feed, entry, for_update=True), item=item)
            workflows.note_item(OPERATOR, item, _("Updated from the feed %(url)s: its entry %(uid)s changed "
                                                  "(fetched %(at)s).") % _where(feed, entry, now))
            known.item_revision, known.changed_at = item.revision, now
            outcome = "updated"
        known.fingerprint, known.title, known.link, known.date = fingerprint, entry.title, entry.link, entry.date
        known.fetched_at = now
        known.save(update_fields=["fingerprint", "title", "link", "date", "fetched_at", "item_revision",
                                  "changed_at"])
        return outcome
    match = find_existing(entry)
    if match is not None:
        FeedEntry.objects.create(feed=feed, uid=entry.uid, link=entry.link, title=entry.title, date=entry.date,
                                 fingerprint=fingerprint, item=match, matched=True, fetched_at=now,
                                 item_revision=match.revision)
        return "skipped"
    item = workflows.save_item(OPERATOR, _item_input(feed, entry))
    workflows.note_item(OPERATOR, item, _("Made from the feed %(url)s, entry %(uid)s%(link)s (fetched %(at)s).")
                        % _where(feed, entry, now))
    FeedEntry.objects.create(feed=feed, uid=entry.uid, link=entry.link, title=entry.title, date=entry.date,
                             fingerprint=fingerprint, item=item, fetched_at=now, item_revision=item.revision)
    return "new"


def _where(feed: Feed, entry: Entry, now) -> dict:
    return {"url": feed.url, "uid": entry.uid, "link": f" ({entry.link})" if entry.link and entry.link != entry.uid
            else "", "at": now.strftime("%Y-%m-%d %H:%M UTC")}


def find_existing(entry: Entry) -> Item | None:
    """An item that already tells this entry: one with the same link, or the same title and day."""
    if entry.link:
        by_link = Item.objects.filter(
            Q(links__url=entry.link) | Q(document_url=entry.link) | Q(registration_url=entry.link)
            | Q(response_url=entry.link)
        ).order_by("pk").first()
        if by_link is not None:
            return by_link
    if entry.date is not None:
        return (Item.objects.filter(title__iexact=entry.title)
                .filter(Q(start_date=entry.date) | Q(published_on=entry.date)).order_by("pk").first())
    return None


def _summary(entry: Entry) -> str:
    text = entry.text or entry.title
    if len(text) <= 800:
        return text
    cut = text[:797]
    return cut.rsplit(" ", 1)[0] + " …"


def _item_input(feed: Feed, entry: Entry, *, for_update: bool = False) -> workflows.ItemInput:
    kind = entry.kind if entry.kind in ItemKind.values else ItemKind.NEWS
    values = {"kind": kind, "title": entry.title, "summary": _summary(entry), "body": entry.text,
              "language": entry.language}
    if not for_update:
        values["partner"] = feed.partner
    if kind == ItemKind.EVENT:
        online = entry.online
        place = entry.location if not (online and entry.location.startswith(("http://", "https://"))) else ""
        values.update(
            start_date=entry.start, end_date=entry.end or entry.start, date_precision=DatePrecision.DAY,
            start_time=entry.start_time, end_time=entry.end_time,
            time_zone=entry.time_zone if entry.start_time else "", venue=place[:200],
            event_format=(EventFormat.HYBRID if online and place else EventFormat.ONLINE if online
                          else EventFormat.IN_PERSON if place else ""),
            event_type=next((value for value in EventType.values if value in entry.title.lower()), ""),
            event_status=EventStatus.CANCELLED if entry.cancelled else EventStatus.SCHEDULED,
        )
        if entry.deadline and entry.deadline <= (entry.end or entry.start):
            values["enrolment_deadline"] = entry.deadline
    elif kind == ItemKind.PUBLICATION:
        values.update(published_on=entry.published, document_url=entry.link)
    elif kind == ItemKind.CALL:
        values.update(published_on=entry.published, deadline=entry.deadline)
    elif kind == ItemKind.AWARD:
        values.update(published_on=entry.published, award_year=entry.published.year if entry.published else None)
    else:
        values.update(published_on=entry.published)
    links = [(_("Original announcement"), entry.link)] if entry.link else []
    return workflows.ItemInput(values=values, related=workflows.Related(links=links))
