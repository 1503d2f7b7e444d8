"""User journeys in real headless Chromium, with screenshots in var/screenshots/."""

import datetime as dt

import pytest
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from partnerpost.content import demo
from partnerpost.content.models import AuditEntry, Item
from tests.browser.conftest import SCREENSHOTS, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Session:
    def __init__(self, driver, base):
        self.driver, self.base = driver, base

    def go(self, path):
        self.driver.get(self.base + path)

    def find(self, css):
        return self._wait().until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def click(self, css):
        self.find(css).click()

    def _and_wait_for_new_page(self, element):
        """Click something that loads a page, and wait until the old page is gone."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        element.click()

        def gone(driver):
            # Chromium answers a question about a node of a replaced document either with a
            # stale-element error or with "Node … does not belong to the document".
            try:
                old.is_enabled()
            except (StaleElementReferenceException, WebDriverException):
                return True
            return False

        WebDriverWait(self.driver, 15).until(gone)
        self._settle()

    def _settle(self):
        """Wait until the new document has finished loading."""
        self._wait().until(lambda d: d.execute_script("return document.readyState") == "complete")

    def _wait(self, seconds=10):
        # While a page is being replaced, a node found a moment ago may belong to the old document.
        return WebDriverWait(self.driver, seconds, ignored_exceptions=(StaleElementReferenceException, WebDriverException))

    def button(self, text):
        self._and_wait_for_new_page(self._wait().until(
            EC.element_to_be_clickable((By.XPATH, f"//button[normalize-space()='{text}']"))
        ))

    def link(self, text):
        self._and_wait_for_new_page(self.driver.find_element(By.LINK_TEXT, text))

    def click_through(self, css_or_element):
        element = self.find(css_or_element) if isinstance(css_or_element, str) else css_or_element
        self._and_wait_for_new_page(element)

    def type(self, name, value):
        field = self.find(f"[name='{name}']")
        field.clear()
        field.send_keys(value)

    def set_value(self, name, value):
        """Date and time inputs: set the ISO value directly, independent of the browser's locale."""
        self.driver.execute_script("arguments[0].value = arguments[1]", self.find(f"[name='{name}']"), value)

    def text(self):
        return self._wait().until(lambda d: d.find_element(By.CSS_SELECTOR, "main").text)

    def wait_message(self, text):
        """Wait for the status message of the page that a click loads (not the old page's)."""
        self._wait().until(lambda d: any(text in m.text for m in d.find_elements(By.CSS_SELECTOR, ".messages .message")))

    def wait_text(self, text):
        """Wait until the page's main content shows `text` (after a click that loads a page)."""
        self._wait().until(lambda d: text in d.find_element(By.CSS_SELECTOR, "main").text)
        return self.text()

    def shot(self, name):
        self.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))

    def sign_in(self, username):
        self.go("/accounts/login/")
        self.type("username", username)
        self.type("password", demo.DEMO_PASSWORD)
        self.button("Sign in")
        self.find(".workspace-bar")

    def sign_out(self):
        self.button("Sign out")
        self.find(".hero")


def test_contributor_submits_editor_rejects_then_approves(browser, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load(log=lambda *_: None)
    s = Session(browser, live_server.url)
    title = "Taller virtual de gobierno abierto"
    first_day = dt.date.today() + dt.timedelta(days=30)

    # The ICAP contributor writes an event, makes a mistake, and is told which field is wrong.
    s.sign_in("icap")
    s.link("New item")
    s.type("title", title)
    s.type("summary", "Tres sesiones en línea sobre gobierno abierto para personal municipal.")
    s.find("select[name='language'] option[value='es']").click()
    s.find("select[name='event_format'] option[value='online']").click()
    s.set_value("start_date", first_day.isoformat())
    s.set_value("end_date", (first_day - dt.timedelta(days=2)).isoformat())
    s.type("fee_amount", "50")
    s.type("fee_currency", "USD")
    s.type("links_text", "Programa | https://icap.ac.cr/gobierno-abierto")
    s.shot("01-contributor-new-event")
    s.button("Save and submit for review")
    assert "The last day is before the first day." in s.find(".form-errors").text
    s.shot("02-contributor-sees-field-error")
    assert Item.objects.count() == len(demo.ITEMS)
    s.set_value("end_date", (first_day + dt.timedelta(days=2)).isoformat())
    s.button("Save and submit for review")
    s.wait_message("Saved and submitted for review.")
    item = Item.objects.get(title=title)
    assert item.state == "submitted"
    s.sign_out()

    # The editor returns it with a reason.
    s.sign_in("editor")
    s.link("Review queue")
    s.link(title)
    s.type("reason", "Please add the registration link so readers can enrol.")
    s.shot("03-editor-reviews")
    s.button("Return to partner")
    s.wait_message("Returned to the partner with your reason.")
    s.sign_out()

    # The contributor sees the reason, fixes the item and submits again.
    s.sign_in("icap")
    assert "Please add the registration link so readers can enrol." in s.text()
    s.shot("04-contributor-sees-reason")
    s.link(title)
    s.link("Edit")
    s.type("registration_url", "https://icap.ac.cr/matricula")
    s.button("Save and submit for review")
    s.wait_message("Saved and submitted for review.")
    s.sign_out()

    # The editor approves and publishes it.
    s.sign_in("editor")
    s.link("Review queue")
    s.link(title)
    s.button("Approve")
    s.button("Publish")
    s.wait_message("Published.")
    s.shot("05-editor-published")
    s.sign_out()

    # Anyone can now find it on the portal.
    s.link("Events")
    assert title in s.text()
    s.link(title)
    page = s.text()
    assert "50 USD" in page and "Register" in page
    s.shot("06-public-event-page")
    item.refresh_from_db()
    assert item.state == "published" and item.registration_url == "https://icap.ac.cr/matricula"
    actions = list(AuditEntry.objects.filter(item=item).values_list("action", flat=True))
    assert actions == ["create", "submit", "reject", "edit", "submit", "approve", "publish"]


PUBLIC_PAGES = ["/", "/items/", "/items/?kind=event&partner=icap", "/events/past/", "/partners/", "/partners/icap/",
                "/accounts/login/", "/subscribe/", "/events/calendar/?month=2020-11", "/search/?q=digital"]


def test_public_pages_have_no_serious_accessibility_violations(browser, live_server, axe_source):
    from partnerpost.editions import demo as edition_demo

    demo.load(log=lambda *_: None)
    edition = edition_demo.load(log=lambda *_: None)
    item = Item.objects.get(title="Taller virtual Prospectiva e innovación en la gestión territorial")
    s = Session(browser, live_server.url)
    problems = []
    for path in PUBLIC_PAGES + [item.get_absolute_url(), "/editions/", edition.get_absolute_url()]:
        s.go(path)
        s.find("main")
        problems += serious_violations(browser, axe_source, path)
    s.go("/")
    s.shot("07-home")
    s.go("/items/")
    s.shot("08-archive")
    s.go("/events/calendar/?month=2020-11")
    s.shot("18-month-calendar")
    s.go("/search/?q=digital+government")
    s.shot("19-search")
    assert problems == []


def test_archive_filters_update_results_in_place(browser, live_server):
    demo.load(log=lambda *_: None)
    s = Session(browser, live_server.url)
    s.go("/items/")
    assert s.find(".results-count").text == f"{len(demo.ITEMS)} items"
    browser.execute_script("window.notReloaded = true")
    s.find("select[name='partner'] option[value='respa']").click()
    WebDriverWait(browser, 10).until(lambda d: "partner=respa" in d.current_url)
    WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: d.find_element(By.CSS_SELECTOR, ".results-count").text == "7 items")
    assert browser.execute_script("return window.notReloaded") is True
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".card-title a")]
    assert "ReSPA's 10th Anniversary" in titles and "EROPA Bulletin Volume 41" not in titles
    s.shot("09-archive-filtered")
