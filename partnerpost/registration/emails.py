"""The registrant's emails: each a subject/text/html template triple, in the registrant's language,
with the event's .ics attached where the person has (or is offered) a place."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from partnerpost.lib.config import url_host
from partnerpost.lib.timezones import TimeZoneError, resolve_time_zone

from .tokens import manage_url

log = logging.getLogger(__name__)


def event_ics(item, registration=None) -> bytes:
    """The event as an iCalendar file with one VEVENT."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Partnerpost//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"item-{item.pk}@{url_host(settings.SITE_URL)}")
    event.add("dtstamp", item.updated_at or dt.datetime.now(dt.UTC))
    event.add("summary", item.title)
    event.add("url", settings.SITE_URL + item.get_absolute_url())
    if item.start_time is None:
        event.add("dtstart", item.start_date)
        event.add("dtend", (item.end_date or item.start_date) + dt.timedelta(days=1))
    else:
        try:
            tz = resolve_time_zone(item.time_zone)
        except TimeZoneError:
            tz = dt.UTC
        start = dt.datetime.combine(item.start_date, item.start_time, tz)
        end = (dt.datetime.combine(item.end_date or item.start_date, item.end_time, tz)
               if item.end_time else start + dt.timedelta(hours=1))
        if not isinstance(tz, ZoneInfo):
            start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
        event.add("dtstart", start)
        event.add("dtend", end)
    place = ", ".join(p for p in [item.venue, item.city] if p)
    if place:
        event.add("location", place)
    description = item.summary
    if item.online_url and registration is not None and registration.holds_seat:
        description += "\n\n" + item.online_url
    event.add("description", description)
    calendar.add_component(event)
    return calendar.to_ical()


def build(template: str, registration, extra: dict | None = None) -> EmailMultiAlternatives:
    """Render emails/registration-<template>-{subject,body}.txt/.html in the registrant's language."""
    item = registration.item
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        context = {
            "site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, "registration": registration,
            "item": item, "event_url": settings.SITE_URL + item.get_absolute_url(), "manage_url": manage_url(registration),
            **(extra or {}),
        }
        subject = " ".join(render_to_string(f"emails/registration-{template}-subject.txt", context).split())
        text = render_to_string(f"emails/registration-{template}-body.txt", context)
        html = render_to_string(f"emails/registration-{template}-body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [registration.email])
    message.attach_alternative(html, "text/html")
    return message


def send(template: str, registration, extra: dict | None = None, *, ics: bool = False,
         attachments: list[tuple[str, bytes, str]] | None = None) -> int:
    """Render emails/registration-<template>-{subject,body}.txt/.html in the registrant's language and send it.
    Returns 1 when the server took it. A failure is logged, never raised: the change it reports is saved."""
    item = registration.item
    message = build(template, registration, extra)
    if ics:
        message.attach("event.ics", event_ics(item, registration), "text/calendar; method=PUBLISH")
    invoice = getattr(registration, "invoice", None) if ics and registration.holds_seat else None
    if invoice is not None:
        from .documents import invoice_pdf

        message.attach(f"invoice-{invoice.number}.pdf", invoice_pdf(invoice), "application/pdf")
    if ics and registration.status == "confirmed":
        from .tokens import checkin_qr_png

        message.attach("check-in-qr.png", checkin_qr_png(registration), "image/png")
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    try:
        return get_connection().send_messages([message]) or 0
    except OSError:
        log.exception("Could not send the %s email of registration %s", template, registration.pk)
        return 0
