"""schema.org JSON-LD and Open Graph data for an item page."""

from __future__ import annotations

import json

from django.utils.safestring import mark_safe

from partnerpost.content.enums import EventFormat, EventStatus, ItemKind
from partnerpost.lib.markup import plain_text

_ATTENDANCE = {
    EventFormat.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    EventFormat.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    EventFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}
_STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}


def _organization(name, url=None):
    data = {"@type": "Organization", "name": name}
    if url:
        data["url"] = url
    return data


def item_jsonld(item, absolute_url: str) -> dict:
    organizers = [o for o in item.organizations.all() if o.role == "organizer"] or None
    org_list = (
        [_organization(o.display_name, o.partner.website if o.partner_id else None) for o in organizers]
        if organizers
        else [_organization(item.partner.name, item.partner.website or None)]
    )
    data = {
        "@context": "https://schema.org",
        "name": item.title,
        "description": item.summary,
        "url": absolute_url,
        "inLanguage": item.language,
    }
    if item.image:
        data["image"] = absolute_url.split("/items/")[0] + item.image.url
    if item.kind == ItemKind.EVENT:
        data["@type"] = "Event"
        data["startDate"] = item.starts_at.isoformat() if item.starts_at else item.start_date.isoformat()
        end = item.ends_at or None
        data["endDate"] = end.isoformat() if end else item.end_date.isoformat()
        data["eventStatus"] = _STATUS.get(item.event_status, _STATUS[EventStatus.SCHEDULED])
        # An event without a stated format (often one imported from an old newsletter) is described by what
        # is known: a place means in person, an online link means online; with neither, no claim is made.
        event_format = item.event_format or (
            EventFormat.IN_PERSON if (item.city or item.venue) else EventFormat.ONLINE if item.online_url else "")
        if event_format:
            data["eventAttendanceMode"] = _ATTENDANCE[event_format]
        locations = []
        if event_format in {EventFormat.ONLINE, EventFormat.HYBRID}:
            locations.append({"@type": "VirtualLocation", "url": item.online_url or item.registration_url or absolute_url})
        if event_format in {EventFormat.IN_PERSON, EventFormat.HYBRID}:
            address = {"@type": "PostalAddress", "addressLocality": item.city}
            if item.venue_country_id:
                address["addressCountry"] = item.venue_country_id
            locations.append({"@type": "Place", "name": item.venue or item.city, "address": address})
        if not locations:
            locations.append({"@type": "Place", "name": "To be announced"})
        data["location"] = locations[0] if len(locations) == 1 else locations
        data["organizer"] = org_list
        if item.fee_amount is not None:
            offer = {"@type": "Offer", "price": str(item.fee_amount), "priceCurrency": item.fee_currency,
                     "url": item.registration_url or absolute_url}
            if item.enrolment_deadline:
                offer["validThrough"] = item.enrolment_deadline.isoformat()
            data["offers"] = offer
        performers = [{"@type": "Person", "name": p.name} for p in item.people.all()]
        if performers:
            data["performer"] = performers
    else:
        data["@type"] = {ItemKind.NEWS: "NewsArticle", ItemKind.PUBLICATION: "CreativeWork"}.get(item.kind, "CreativeWork")
        data["publisher"] = _organization(item.partner.name, item.partner.website or None)
        data["author"] = org_list
        if item.published_on:
            data["datePublished"] = item.published_on.isoformat()
        elif item.first_published_at:
            data["datePublished"] = item.first_published_at.date().isoformat()
        if item.kind == ItemKind.NEWS:
            data["headline"] = item.title[:110]
        if item.document_url:
            data["encoding"] = {"@type": "MediaObject", "contentUrl": item.document_url}
        if item.body_html:
            data["abstract"] = plain_text(item.body_html)[:500]
    return data


def as_script(data: dict) -> str:
    """The JSON-LD, safe inside a <script type="application/ld+json"> element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)
