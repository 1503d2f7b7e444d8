"""The registrant's emails, read from a real SMTP server (aiosmtpd), and the links inside them."""

import datetime as dt
import json
import re

import pytest
from django.core import signing
from icalendar import Calendar

from partnerpost.registration import workflows
from partnerpost.registration.enums import Action
from partnerpost.registration.models import Registration, RegistrationAudit
from partnerpost.registration.tokens import SALT
from tests.registration.conftest import make_event, open_registration

pytestmark = pytest.mark.django_db(transaction=True)


def _mail_to(smtp, address):
    return [m for rcpts, m in smtp.messages if rcpts == [address]]


def _link(message):
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://testserver(/registrations/\S+/)", text).group(1)


def test_cancelling_five_with_emailed_links_confirms_the_next_five(client, smtp, people, settings):
    settings.SITE_URL = "http://testserver"
    settings.REGISTRATION_RATE = 0
    item = make_event(people.icap, start_time=dt.time(14, 0), time_zone="America/Costa_Rica")
    open_registration(item, capacity=5)
    for n in range(12):
        body = {"name": f"Person {n}", "email": f"p{n}@example.org", "answers": {"organization": "Ministry"}}
        assert client.post(f"/api/v1/events/{item.slug}/registrations", json.dumps(body), content_type="application/json").status_code == 201
    assert len(smtp.messages) == 12
    first = _mail_to(smtp, "p0@example.org")[0]
    assert first["Subject"] == f"Registration confirmed: {item.title}"
    ics = [part for part in first.iter_attachments() if part.get_filename() == "event.ics"]
    calendar = Calendar.from_ical(ics[0].get_content())
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == item.title
    assert event.decoded("DTSTART") == dt.datetime.combine(item.start_date, dt.time(14, 0)).replace(
        tzinfo=event.decoded("DTSTART").tzinfo)
    assert str(event.decoded("DTSTART").tzinfo) == "America/Costa_Rica"
    waiting_mail = _mail_to(smtp, "p7@example.org")[0]
    assert waiting_mail["Subject"] == f"You are on the waiting list: {item.title}"
    assert not list(waiting_mail.iter_attachments())

    for n in range(5):
        link = _link(_mail_to(smtp, f"p{n}@example.org")[0])
        page = client.get(link)
        assert f"p{n}@example.org" in page.content.decode()
        assert client.post(link, {"action": "cancel"}).status_code == 302

    statuses = dict(Registration.objects.values_list("email", "status"))
    assert [statuses[f"p{n}@example.org"] for n in range(12)] == ["cancelled"] * 5 + ["confirmed"] * 5 + ["waitlisted"] * 2
    for n in range(5, 10):
        told = _mail_to(smtp, f"p{n}@example.org")
        assert [m["Subject"] for m in told] == [f"You are on the waiting list: {item.title}", f"A place is now yours: {item.title}"]
        assert [p.get_filename() for p in told[1].iter_attachments()] == ["event.ics", "check-in-qr.png"]
    for n in range(5):
        assert _mail_to(smtp, f"p{n}@example.org")[-1]["Subject"] == f"Registration cancelled: {item.title}"
    assert RegistrationAudit.objects.filter(action=Action.PROMOTE).count() == 5
    assert len(smtp.messages) == 12 + 5 + 5


def test_link_refuses_forged_expired_and_reused_cancel(client, people, settings):
    item = make_event(people.icap)
    open_registration(item)
    registration = workflows.register(item, name="Ana", email="ana@example.org", answers={"organization": "X"})
    forged = signing.dumps({"r": registration.pk, "e": registration.email}, salt="another-salt", compress=True)
    assert client.get(f"/registrations/{forged}/").status_code == 404
    other = signing.dumps({"r": registration.pk, "e": "mallory@example.org"}, salt=SALT, compress=True)
    assert client.get(f"/registrations/{other}/").status_code == 404
    good = signing.dumps({"r": registration.pk, "e": registration.email}, salt=SALT, compress=True)
    settings.REGISTRATION_LINK_DAYS = 0
    assert client.get(f"/registrations/{good}/").status_code == 404  # max_age 0: already expired
    settings.REGISTRATION_LINK_DAYS = 365
    assert client.get(f"/registrations/{good}/").status_code == 200
    client.post(f"/registrations/{good}/", {"action": "cancel"})
    again = client.post(f"/registrations/{good}/", {"action": "cancel"}, follow=True)
    assert "This registration is no longer active." in again.content.decode()
    assert Registration.objects.get().status == "cancelled"


def test_offer_in_last_day_is_emailed_and_accepted_from_the_link(client, smtp, people, settings):
    settings.SITE_URL = "http://testserver"
    from django.utils import timezone

    now = timezone.now()
    start = now + dt.timedelta(hours=10)
    item = make_event(people.icap, days_ahead=0, start_date=start.date(), end_date=start.date() + dt.timedelta(days=1),
                      start_time=start.time().replace(microsecond=0), time_zone="UTC")
    open_registration(item, capacity=1, offer_hours=4)
    first = workflows.register(item, name="A", email="a@example.org", answers={"organization": "X"})
    waiting = workflows.register(item, name="B", email="b@example.org", answers={"organization": "X"})
    workflows.cancel_registration(first)
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    offer = _mail_to(smtp, "b@example.org")[-1]
    assert offer["Subject"] == f"A place is offered to you: {item.title}"
    link = _link(offer)
    assert "Accept the place" in client.get(link).content.decode()
    client.post(link, {"action": "accept"})
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert _mail_to(smtp, "b@example.org")[-1]["Subject"] == f"Registration confirmed: {item.title}"
