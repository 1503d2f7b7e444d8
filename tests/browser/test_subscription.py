"""A reader subscribes, confirms, changes preferences and unsubscribes, in headless Chromium."""

import re

import pytest

from partnerpost.audience.models import ConsentRecord, Subscriber
from partnerpost.content import demo
from tests.browser.test_journey import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(smtp, pattern):
    body = smtp.messages[-1][1].get_body(("plain",)).get_content()
    return re.search(pattern, body).group(0)


def test_reader_subscribes_confirms_manages_and_unsubscribes(browser, live_server, smtp, settings):
    settings.SITE_URL = live_server.url
    demo.load(log=lambda *_: None)
    smtp.messages.clear()
    s = Session(browser, live_server.url)
    s.go("/")
    s.link("Subscribe")
    s.type("email", "Lucia.Reader@Example.org")
    s.type("name", "Lucía")
    s.find("select[name='language'] option[value='es']").click()
    s.click("#field-consent input")
    s.shot("14-subscribe-form")
    s.button("Subscribe")
    s.wait_text("Check your inbox")
    assert Subscriber.objects.get().status == "pending"
    assert smtp.messages == []  # the confirmation is a background task...
    from django.core.management import call_command

    call_command("tasks", "worker", "--until-empty", "--no-periodic", "--interval", "0")  # ...which the task worker sends

    confirm = _link(smtp, re.escape(live_server.url) + r"/subscribe/confirm/\S+/")
    browser.get(confirm)
    s.button("Yes, confirm my subscription")
    s.wait_text("You are subscribed")
    s.shot("15-confirmed")
    assert Subscriber.objects.get().status == "confirmed"

    s.link("Choose partners, themes and language")
    s.find("input[name='partners'][value]").click()
    s.button("Save preferences")
    s.wait_text("Your preferences are saved.")
    s.shot("16-preferences")
    assert Subscriber.objects.get().partners.count() == 1

    s.link("Unsubscribe from the newsletter")
    s.button("Unsubscribe")
    s.wait_text("You are unsubscribed")
    s.shot("17-unsubscribed")
    assert Subscriber.objects.get().status == "unsubscribed"
    assert list(ConsentRecord.objects.values_list("action", flat=True)) == ["subscribe", "confirm", "preferences", "unsubscribe"]
