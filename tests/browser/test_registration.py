"""Event registration in headless Chromium: register, cancel from the emailed link, mark attendance, get a certificate."""

import re
import urllib.request

import pytest

from partnerpost.content import demo
from partnerpost.network.models import Partner
from partnerpost.registration.models import Certificate, Registration
from tests.browser.test_journey import Session
from tests.registration.conftest import make_event, open_registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _register(s, item, name, email):
    s.go(item.get_absolute_url())
    s.type("name", name)
    s.type("email", email)
    s.type("organization", "Ministerio de Hacienda")
    s.button("Join the waiting list" if "Join the waiting list" in s.text() else "Register")


def test_register_cancel_attend_and_certificate(browser, live_server, smtp, settings):
    settings.SITE_URL = live_server.url
    settings.REGISTRATION_RATE = 0
    demo.load(log=lambda *_: None)
    icap = Partner.objects.get(acronym="ICAP")
    item = make_event(icap, title="Taller virtual: presupuesto por resultados", total_hours=6)
    open_registration(item, capacity=2, attendance_share=50)
    s = Session(browser, live_server.url)

    s.go(item.get_absolute_url())
    s.find(".registration-box")
    s.shot("01-event-page-form")
    _register(s, item, "María Fernanda Solís", "maria@example.org")
    s.wait_text("You are registered")
    s.shot("02-registered")
    _register(s, item, "José Rivas", "jose@example.org")
    s.wait_text("You are registered")
    _register(s, item, "Lucía Herrera", "lucia@example.org")
    s.wait_text("You are on the waiting list")
    assert dict(Registration.objects.values_list("email", "status")) == {
        "maria@example.org": "confirmed", "jose@example.org": "confirmed", "lucia@example.org": "waitlisted"}

    mail = [m for r, m in smtp.messages if r == ["jose@example.org"]][0]
    link = re.search(re.escape(live_server.url) + r"/registrations/\S+/", mail.get_body(("plain",)).get_content()).group(0)
    browser.get(link)
    s.wait_text("Your registration")
    s.shot("03-manage-link")
    s.button("Cancel my registration")
    s.wait_message("Your registration is cancelled.")
    s.shot("04-cancelled")
    assert Registration.objects.get(email="lucia@example.org").status == "confirmed"
    assert [m["Subject"] for r, m in smtp.messages if r == ["lucia@example.org"]][-1] == f"A place is now yours: {item.title}"

    s.sign_in("icap")
    s.go(f"/workspace/events/{item.pk}/registrations/")
    s.wait_text("Write to registrants")
    s.shot("05-desk")
    s.link("Attendance and certificates")
    for box in browser.find_elements("css selector", "input[name='present']"):
        box.click()
    s.button("Save attendance")
    s.wait_message("is saved")
    s.shot("06-attendance")
    s.button("Issue and email certificates")
    s.wait_message("2 certificates issued and emailed.")
    certificate = Certificate.objects.get(registration__email="maria@example.org")
    s.sign_out()

    s.go(f"/certificates/{certificate.code}/")
    page = s.wait_text("This certificate is genuine.")
    assert "María Fernanda Solís" in page and item.title in page
    s.shot("07-certificate-check")
    href = s.find("a[href$='certificate.pdf']").get_attribute("href")
    with urllib.request.urlopen(href) as response:
        pdf = response.read()
    assert response.headers["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")
