"""iCalendar (RFC 5545) for events: all of them, per partner, per theme, for any search, and one per event page."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from partnerpost.content.enums import EventStatus
from partnerpost.content.filters import FACETS, ItemFilters
from partnerpost.content.models import Item, Theme
from partnerpost.lib.config import url_host
from partnerpost.lib.numbers import plain_number
from partnerpost.lib import datebounds
from partnerpost.lib.timezones import TimeZoneError, resolve_time_zone
from partnerpost.network.models import Partner
from partnerpost.content.permissions import can

logger = logging.getLogger(__name__)


def _host():
    return url_host(settings.SITE_URL)


def event_component(item: Item):
    from icalendar import Event, vRecur  # noqa: F401

    event = Event()
    event.add("uid", f"item-{item.pk}@{_host()}")
    event.add("sequence", item.revision)
    event.add("dtstamp", item.updated_at)
    event.add("last-modified", item.updated_at)
    event.add("summary", item.title)
    url = settings.SITE_URL + item.get_absolute_url()
    event.add("url", url)
    days = [d.date for d in item.days.all()]
    if item.start_time is None:
        first = days[0] if days else item.start_date
        last = first if days else (item.end_date or item.start_date)
        event.add("dtstart", first)
        event.add("dtend", last + dt.timedelta(days=1))  # DTEND of an all-day event is exclusive
        if days[1:]:
            event.add("rdate", days[1:])
    else:
        tz = resolve_time_zone(item.time_zone)
        start = dt.datetime.combine(item.start_date, item.start_time, tz)
        end = dt.datetime.combine(item.end_date or item.start_date, item.end_time, tz) if item.end_time else start + dt.timedelta(hours=1)
        if not isinstance(tz, ZoneInfo):
            start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)  # fixed offsets have no VTIMEZONE: use UTC
        event.add("dtstart", start)
        event.add("dtend", end)
    event.add("status", "CANCELLED" if item.event_status == EventStatus.CANCELLED else "CONFIRMED")
    place = ", ".join(p for p in [item.venue, item.city, item.venue_country.name if item.venue_country_id else ""] if p)
    if place:
        event.add("location", place)
    elif item.online_url:
        event.add("location", item.online_url)
    lines = [item.summary]
    if item.online_url:
        lines.append(f"Online: {item.online_url}")
    if item.registration_url:
        lines.append(f"Registration: {item.registration_url}")
    if item.fee_amount is not None:
        lines.append(f"Fee: {plain_number(item.fee_amount)} {item.fee_currency}" if item.fee_amount else "Free")
    if item.enrolment_deadline:
        lines.append(f"Enrol by {item.enrolment_deadline:%Y-%m-%d}")
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("organizer", f"mailto:{item.partner.contact_email}" if item.partner.contact_email else f"mailto:noreply@{_host()}",
              parameters={"CN": item.partner.name})
    event.add("categories", [item.get_event_type_display() or "Event", item.partner.acronym])
    return event


def calendar_bytes(items, name: str) -> bytes:
    """The calendar of these events. One event that cannot be written (a date out of range stored before
    dates were checked, a time zone that no longer resolves) is left out with a warning in the log; the
    others are served."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//Partnerpost//Partnerpost//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for item in items:
        if not (datebounds.in_range(item.start_date) and datebounds.in_range(item.end_date)):
            logger.warning("Calendar %r: left out item %s (%s), its dates %s to %s are out of range",
                           name, item.pk, item.slug, item.start_date, item.end_date)
            continue
        try:
            component = event_component(item)
        except (ValueError, OverflowError, TypeError, TimeZoneError) as exc:
            logger.warning("Calendar %r: left out item %s (%s): %s", name, item.pk, item.slug, exc)
            continue
        cal.add_component(component)
    cal.add_missing_timezones()
    return cal.to_ical()


def _events():
    return Item.objects.published().events().select_related("partner", "venue_country").prefetch_related("days").order_by("start_date", "id")


def _response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_view(request, scope=None, value=None):
    events = _events()
    name = settings.SITE_NAME
    if scope == "partner":
        partner = get_object_or_404(Partner.objects.active(), slug=value)
        events, name = ItemFilters(partner=partner.slug).apply(events), f"{name}: {partner.acronym}"
    elif scope == "theme":
        theme = get_object_or_404(Theme, slug=value)
        events, name = ItemFilters(theme=theme.slug).apply(events), f"{name}: {theme}"
    elif scope is not None:
        raise Http404
    return _response(calendar_bytes(events, name), f"{slugify(name) or 'events'}.ics")


SEARCH_CALENDAR_LIMIT = 500


def search_calendar(request):
    """The events a search finds (/calendar/search.ics?q=...&partner=...), the same filters as the search page."""
    from . import search as engine

    query = request.GET.get("q", "").strip()[:200]
    filters = ItemFilters.from_query(request.GET, FACETS).replace(kind="event")
    name = f"{settings.SITE_NAME}: {query}" if query else settings.SITE_NAME
    if query:
        results = engine.search(query, filters, page=1, size=SEARCH_CALENDAR_LIMIT)
        ids = [hit.item.pk for hit in results.hits]
        events = _events().filter(pk__in=ids)
    else:  # no words: every event, as /calendar/events.ics
        events = _events()
    return _response(calendar_bytes(events, name), f"{slugify(name) or 'events'}.ics")


def event_ics(request, slug):
    item = get_object_or_404(Item.objects.events().select_related("partner", "venue_country").prefetch_related("days"), slug=slug)
    if not can(request.user, "view", item) or not item.is_live:
        raise Http404
    return _response(calendar_bytes([item], item.title), f"{item.slug[:60]}.ics")
