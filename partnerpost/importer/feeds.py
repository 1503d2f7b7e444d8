"""Reading a partner's feed: RSS and Atom (feedparser) or iCalendar (icalendar) bytes -> entries.

Pure: no database, no network. `parse_feed` gives a `ParsedFeed` whose entries carry what an item needs
(title, link, text, dates, a guessed kind) and a fingerprint of those values, so a later poll can tell an
entry that changed from one that did not. A document that is not a feed, or whose XML is broken, raises
`NotAFeed` with a message naming the problem (and the line, when the parser gives one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import xml.sax
from dataclasses import asdict, dataclass, field

from partnerpost.lib.langguess import guess_language
from partnerpost.lib.markup import plain_text

from . import fields as field_reader

FORMATS = ("rss", "atom", "ical")


class NotAFeed(Exception):
    """The document is not an RSS, Atom or iCalendar feed, or cannot be read as one."""


@dataclass
class Entry:
    uid: str  # the entry's own id (RSS guid, Atom id, iCalendar UID); else its link; else its title and date
    title: str
    link: str = ""
    text: str = ""  # plain text of the summary or description
    kind: str = "news"
    published: dt.date | None = None  # when the entry appeared (RSS/Atom)
    start: dt.date | None = None  # an event's first and last day
    end: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    time_zone: str = ""
    location: str = ""
    online: bool = False
    deadline: dt.date | None = None
    language: str = "en"
    cancelled: bool = False  # iCalendar STATUS:CANCELLED
    warnings: list[str] = field(default_factory=list)

    @property
    def date(self) -> dt.date | None:
        """The day that identifies the entry with its title: an event's first day, else its publication day."""
        return self.start or self.published

    def fingerprint(self) -> str:
        values = {k: v for k, v in asdict(self).items() if k not in ("warnings",)}
        return hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode()).hexdigest()


@dataclass
class ParsedFeed:
    format: str
    title: str
    entries: list[Entry]


def parse_feed(data: bytes, *, content_type: str = "") -> ParsedFeed:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        return _parse_ical(data)
    if content_type == "text/calendar":
        raise NotAFeed("The server says this is a calendar (text/calendar), but it does not start with "
                       "BEGIN:VCALENDAR.")
    return _parse_xml(data)


# --- RSS and Atom -------------------------------------------------------------------------------------------

def _parse_xml(data: bytes) -> ParsedFeed:
    import feedparser

    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise NotAFeed("This address gives a web page, not an RSS, Atom or iCalendar feed. To import the "
                       "page itself as a newsletter, use `partnerpost import-newsletter URL`.")
    if not head.startswith(b"<"):
        raise NotAFeed("This is not an RSS, Atom or iCalendar feed: it is neither XML nor a calendar "
                       "(BEGIN:VCALENDAR).")
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, xml.sax.SAXParseException):
        raise NotAFeed(f"The feed's XML is malformed at line {problem.getLineNumber()}, column "
                       f"{problem.getColumnNumber()}: {problem.getMessage()}.")
    version = parsed.get("version") or ""
    if not version:
        raise NotAFeed("This XML document is not an RSS or Atom feed.")
    fmt = "atom" if version.startswith("atom") else "rss"
    entries = []
    for raw in parsed.entries:
        entry = _xml_entry(raw)
        if entry is not None:
            entries.append(entry)
    return ParsedFeed(format=fmt, title=_clean(parsed.feed.get("title", ""))[:300], entries=_unique(entries))


def _identifier(value: str) -> str:
    """An entry id that fits its column: a long one is replaced by its digest, never cut (cut ids could clash)."""
    value = value.strip()
    return value if len(value) <= 500 else "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def _web_link(value) -> str:
    """An http(s) address short enough to keep whole, else nothing."""
    value = str(value or "").strip()
    return value if value.startswith(("http://", "https://")) and len(value) <= 500 else ""


def _clean(value: str) -> str:
    return html.unescape(plain_text(value or "")).strip()


def _struct_date(value) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    except (ValueError, AttributeError):
        return None


def _xml_entry(raw) -> Entry | None:
    title = _clean(raw.get("title", ""))
    link = _web_link(raw.get("link"))
    if not title:
        return None
    content = raw.get("content") or []
    text_html = raw.get("summary") or (content[0].get("value") if content else "") or ""
    text = _clean(text_html)
    published = _struct_date(raw.get("published_parsed") or raw.get("updated_parsed"))
    uid = (raw.get("id") or "").strip() or link or f"{title}|{published or ''}"  # made whole by _identifier
    entry = Entry(uid=_identifier(uid), title=title[:300], link=link, text=text, published=published)
    _guess(entry)
    return entry


def _guess(entry: Entry) -> None:
    """Kind, dates and place from the entry's words, with the newsletter importer's own readers."""
    kind, _confidence = field_reader.guess_kind(entry.title, entry.text)
    year = entry.published.year if entry.published else None
    if kind in ("event", "call", "consultation"):
        text = f"{entry.title}\n{entry.text}"
        choice = field_reader.choose_dates(text, None, year, kind="event")
        if choice.deadline is not None:
            entry.deadline = choice.deadline.start
        if kind == "event" and choice.event is not None and choice.event.precision == "day":
            entry.start, entry.end = choice.event.start, choice.event.end
            entry.online = bool(re.search(r"\b(online|virtual|webinar|zoom)\b", text, re.I))
        elif kind == "event":
            entry.warnings.append("no day found for the event: kept as news")
            kind = "news"
    if kind == "consultation":
        kind = "call" if entry.deadline else "news"  # a consultation needs where to respond; the editor adds it
    entry.kind = str(kind)
    entry.language = guess_language(f"{entry.title} {entry.text}") or "en"


# --- iCalendar ----------------------------------------------------------------------------------------------

def _parse_ical(data: bytes) -> ParsedFeed:
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(data.decode("utf-8-sig", errors="replace"))
    except (ValueError, IndexError, KeyError) as exc:
        first = (str(exc).splitlines() or [""])[0][:160]
        raise NotAFeed(f"The calendar cannot be read: {first}.") from None
    entries = []
    for event in calendar.walk("VEVENT"):
        entry = _ical_entry(event)
        if entry is not None:
            entries.append(entry)
    name = str(calendar.get("X-WR-CALNAME", "") or calendar.get("NAME", "") or "")
    return ParsedFeed(format="ical", title=name[:300], entries=_unique(entries))


def _ical_value(component, name):
    prop = component.get(name)
    if prop is None:
        return None
    return getattr(prop, "dt", prop)


_ONLINE = re.compile(r"\b(online|virtual|zoom|teams|webex|webinar)\b", re.I)


def _ical_entry(event) -> Entry | None:
    title = " ".join(str(event.get("SUMMARY", "")).split())
    start = _ical_value(event, "DTSTART")
    if not title or start is None:
        return None
    end = _ical_value(event, "DTEND")
    entry = Entry(uid=_identifier(str(event.get("UID", "") or "")), title=title[:300], kind="event")
    entry.link = _web_link(event.get("URL"))
    entry.cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
    entry.text = " ".join(str(event.get("DESCRIPTION", "") or "").split())
    entry.location = " ".join(str(event.get("LOCATION", "") or "").split())[:200]
    if isinstance(start, dt.datetime) and start.tzinfo is not None:
        zone = getattr(start.tzinfo, "key", None)
        if not zone:  # a fixed offset: kept as the same moment in UTC
            start, zone = start.astimezone(dt.timezone.utc), "UTC"
        entry.time_zone = zone
        entry.start, entry.start_time = start.date(), start.time().replace(tzinfo=None)
        if isinstance(end, dt.datetime):
            end = end.astimezone(start.tzinfo) if end.tzinfo is not None else end
            entry.end = end.date()
            if entry.end == entry.start and end.time() > start.time():
                entry.end_time = end.time().replace(tzinfo=None)
    elif isinstance(start, dt.datetime):  # a "floating" time with no zone: the day is sure, the hour is not
        entry.start = start.date()
        entry.end = end.date() if isinstance(end, dt.datetime) else None
    else:
        entry.start = start
        # DTEND of an all-day event is the day after its last day
        entry.end = (end - dt.timedelta(days=1)) if isinstance(end, dt.date) and end > start else start
    entry.end = entry.end or entry.start
    entry.online = bool(_ONLINE.search(f"{entry.location} {entry.title}"))
    if entry.online and _ONLINE.search(entry.location) and "," not in entry.location:
        entry.location = ""  # "Online (Zoom)" says how, not where
    if not entry.uid:
        entry.uid = _identifier(entry.link or f"{title}|{entry.start}")
    entry.language = guess_language(f"{entry.title} {entry.text}") or "en"
    return entry


def _unique(entries: list[Entry]) -> list[Entry]:
    """One entry per id: a feed that repeats an entry (a recurring event's instances) gives its first."""
    seen, kept = set(), []
    for entry in entries:
        if entry.uid not in seen:
            seen.add(entry.uid)
            kept.append(entry)
    return kept
