"""An editor sends a test, schedules the send and watches it finish from the edition's page, in
headless Chromium. Screenshots of each step go to docs/screenshots/13/."""

import datetime as dt
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from partnerpost.audience import demo as audience_demo
from partnerpost.content import demo
from partnerpost.editions import demo as edition_demo
from partnerpost.mailing.models import Delivery, ScheduledSend
from partnerpost.mailing.worker import Worker
from tests.browser.conftest import serious_violations
from tests.browser.test_journey import Session
from tests.conftest import run_queued_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "13"


def _count(browser, name) -> str:
    """The figure as shown now. Read in one script call: the desk replaces its status block as the
    send moves on, so a found element can go stale before its text is read."""
    found = browser.execute_script(
        "const el = document.querySelector(arguments[0]); return el ? el.innerText.trim() : '';",
        f"#desk-status dd[data-count='{name}']",
    )
    return found or "0"


def test_editor_tests_schedules_and_watches_a_send(browser, live_server, settings, smtp, axe_source):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load(log=lambda *_: None)
    edition = edition_demo.load(log=lambda *_: None)
    audience_demo.load(log=lambda *_: None)  # seven confirmed readers
    smtp.messages.clear()  # the demo's editorial notifications
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(1280, 1100)

    def shot(name, desk_only=False):
        if desk_only:  # the desk itself, wherever the page is scrolled
            browser.find_element(By.CSS_SELECTOR, ".desk").screenshot(str(SHOTS / f"{name}.png"))
        else:
            browser.save_screenshot(str(SHOTS / f"{name}.png"))

    s = Session(browser, live_server.url)
    s.sign_in("editor")
    s.go(f"/workspace/editions/{edition.pk}/")
    s.find("#desk-send")
    assert s.find("#desk-send").text == "Send to 7 subscribers…"
    assert s.find("#test-addresses").get_attribute("value") == "editor@example.org"
    shot("01-desk")
    problems = serious_violations(browser, axe_source, "desk")

    # A test to the editor's own address: marked, and no delivery.
    s.button("Send test")
    s.wait_message("Test sent to editor@example.org.")
    assert [(to, message["Subject"].lstrip()[:7]) for to, message in smtp.messages] == [(["editor@example.org"], "[Test] ")]
    assert Delivery.objects.count() == 0
    shot("02-test-sent")

    # The confirm step shows the count; the send is set for an hour from now.
    s.click_through("#desk-send")
    assert "7 subscribers will receive it" in s.find("#confirm-heading").text
    s.find("input[name='when'][value='later']").click()
    at = timezone.localtime(timezone.now() + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    s.set_value("at", at.strftime("%Y-%m-%dT%H:%M"))
    shot("03-confirm")
    problems += serious_violations(browser, axe_source, "confirm")
    s.button("Send to 7 subscribers")
    s.wait_message("The edition will be sent at")
    assert ScheduledSend.objects.get().run_at == at
    assert s.find(".desk-phase").text.startswith("Scheduled")
    shot("04-scheduled", desk_only=True)

    # Its time comes: the task worker starts it, and the page follows without a reload.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.update(run_after=timezone.now() - dt.timedelta(seconds=1))
    assert run_queued_tasks() == 1
    WebDriverWait(browser, 15).until(lambda d: _count(d, "waiting") == "7")
    assert s.find(".desk-phase").text.startswith("Sending")
    shot("05-sending", desk_only=True)

    # The worker sends, a message at a time (a slow relay), while the figures move on the page.
    smtp.delay = 0.6
    page = browser.find_element(By.TAG_NAME, "html")

    def work():
        try:
            Worker(connections=1).run(until_idle=True)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    try:
        WebDriverWait(browser, 30).until(lambda d: 0 < int(_count(d, "sent")) < 7)
        shot("06-progress", desk_only=True)
        WebDriverWait(browser, 60).until(lambda d: _count(d, "sent") == "7")
    finally:
        thread.join()
    assert s.find(".desk-phase").text.startswith("Finished")
    assert page.is_enabled()  # the same document all along: no reload
    assert sorted(to[0] for to, _ in smtp.messages[1:]) == sorted(Delivery.objects.values_list("email", flat=True))
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    shot("07-finished", desk_only=True)

    s.link("Delivery report")
    assert "7 deliveries" in s.find("#counts-heading").text
    shot("08-report")
    problems += serious_violations(browser, axe_source, "report")
    assert problems == []
