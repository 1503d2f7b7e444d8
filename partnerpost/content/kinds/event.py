"""Events: webinars, workshops, courses, symposia, forums, conferences, meetings, ceremonies."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partnerpost.lib.numbers import plain_number
from partnerpost.lib.timezones import TimeZoneError, normalize_time_zone, resolve_time_zone

from ..enums import EventFormat, EventStatus, ItemKind
from . import Kind, place_ref, register

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


@register
class Event(Kind):
    value = ItemKind.EVENT
    order = 10
    fields = (
        "event_type", "event_format", "event_status", "start_date", "end_date", "start_time", "end_time",
        "time_zone", "venue", "city", "venue_country", "online_url", "registration_url", "fee_amount",
        "fee_currency", "enrolment_deadline", "capacity", "session_count", "total_hours", "series",
    )
    lists = ("days", "people", "series")
    schema_type = "Event"
    api_key = "event"
    import_words = (
        r"webinars?|workshops?|courses?|forums?|fora|symposi(um|a)|conferences?|ceremony|meetings?|seminars?|"
        r"school|training|sessions?|round ?tables?|summit|dialogues?|congress|lectures?|masterclass|"
        r"bootcamp|hackathon|exhibition|consultation|panel|talks?|conversation|expert group|graduation|"
        r"taller|curso|seminario|conferencia|congreso|foro|jornadas?|encuentro|diplomado|atelier|colloque|"
        r"s[ée]minaire|formation|conf[ée]rence|rencontre|oficina|semin[áa]rio|f[óo]rum|events?"
    )
    import_priority = 3
    date_fields = ("start_date",)

    def prepare(self, item) -> None:
        item.fee_currency = (item.fee_currency or "").strip().upper()
        if item.time_zone:
            try:
                item.time_zone = normalize_time_zone(item.time_zone.strip())
            except TimeZoneError:
                pass  # clean() names the problem

    def clean(self, item, extra=None) -> dict[str, str]:
        errors = {}
        if not item.start_date:
            errors["start_date"] = _("An event needs its first day.")
        if item.start_date and item.end_date and item.end_date < item.start_date:
            errors["end_date"] = _("The last day is before the first day.")
        if item.end_time is not None and item.start_time is None:
            errors["end_time"] = _("Give a start time before an end time.")
        if item.start_time is not None and not item.time_zone:
            errors["time_zone"] = _("Give the time zone of the start time, e.g. America/Costa_Rica or UTC-06:00.")
        if item.time_zone:
            try:
                resolve_time_zone(item.time_zone)
            except TimeZoneError as exc:
                errors["time_zone"] = str(exc)
        if (
            item.start_date == (item.end_date or item.start_date)
            and item.start_time is not None
            and item.end_time is not None
            and item.end_time <= item.start_time
        ):
            errors["end_time"] = _("The event ends before it starts.")
        if item.event_format in {EventFormat.IN_PERSON, EventFormat.HYBRID} and not (item.city or item.venue):
            errors["city"] = _("An in-person or hybrid event needs its city or venue.")
        if item.fee_amount is not None and not item.fee_currency:
            errors["fee_currency"] = _("Give the currency of the fee, e.g. USD.")
        if item.fee_currency and item.fee_amount is None:
            errors["fee_amount"] = _("A currency was given without a fee.")
        if item.fee_currency and not (
            len(item.fee_currency) == 3 and item.fee_currency.isalpha() and item.fee_currency.isupper()
        ):
            errors["fee_currency"] = _("Use a three-letter ISO 4217 code in capitals, e.g. USD or EUR.")
        last_day = item.end_date or item.start_date
        if item.enrolment_deadline and last_day and item.enrolment_deadline > last_day:
            errors["enrolment_deadline"] = _("The enrolment deadline is after the event has ended.")
        return errors

    def facts(self, item) -> list[str]:
        lines = []
        if item.fee_amount is not None:
            lines.append(
                _("Fee: %(amount)s %(currency)s") % {"amount": plain_number(item.fee_amount), "currency": item.fee_currency}
                if item.fee_amount else _("Free")
            )
        if item.session_count:
            lines.append(_("%(n)d sessions") % {"n": item.session_count})
        if item.total_hours:
            lines.append(_("%(n)s hours") % {"n": plain_number(item.total_hours)})
        if item.enrolment_deadline:
            lines.append(_("Enrol by %(date)s") % {"date": date_format(item.enrolment_deadline, "j F Y")})
        return lines

    def edition_links(self, item) -> list[dict]:
        return [{"label": _("Register"), "url": item.registration_url}] if item.registration_url else []

    def jsonld(self, item, data: dict, absolute_url: str) -> None:
        data["startDate"] = item.starts_at.isoformat() if item.starts_at else item.start_date.isoformat()
        data["endDate"] = item.ends_at.isoformat() if item.ends_at else item.end_date.isoformat()
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
        data["organizer"] = data.pop("author", [])
        if item.fee_amount is not None:
            offer = {"@type": "Offer", "price": str(item.fee_amount), "priceCurrency": item.fee_currency,
                     "url": item.registration_url or absolute_url}
            if item.enrolment_deadline:
                offer["validThrough"] = item.enrolment_deadline.isoformat()
            data["offers"] = offer
        performers = [{"@type": "Person", "name": p.name} for p in item.people.all()]
        if performers:
            data["performer"] = performers

    api_fields = {}  # the event object has a hand-written schema (api.schemas.EventOut) with nested parts

    def api_data(self, item, absolute) -> dict:
        return {
            "type": item.event_type or None,
            "format": item.event_format or None,
            "status": item.event_status,
            "start_date": item.start_date,
            "end_date": item.end_date,
            "days": [day.date for day in item.days.all()],
            "date_precision": item.date_precision,
            "start_time": item.start_time,
            "end_time": item.end_time,
            "time_zone": item.time_zone,
            "starts_at": item.starts_at,
            "ends_at": item.ends_at,
            "venue": item.venue,
            "city": item.city,
            "venue_country": place_ref(item.venue_country),
            "online_url": item.online_url,
            "registration_url": item.registration_url,
            "fee": {"amount": item.fee_amount, "currency": item.fee_currency} if item.fee_amount is not None else None,
            "enrolment_deadline": item.enrolment_deadline,
            "capacity": item.capacity,
            "session_count": item.session_count,
            "total_hours": item.total_hours,
            "series": {"slug": item.series.slug, "name": item.series.name} if item.series_id else None,
            "people": [{"name": p.name, "role": p.role, "affiliation": p.affiliation} for p in item.people.all()],
            "calendar_url": absolute(reverse("event-ics", args=[item.slug])),
        }


