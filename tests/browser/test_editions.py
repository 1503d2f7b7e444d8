"""An editor composes, reorders, previews and publishes an edition in headless Chromium."""

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from partnerpost.content import demo
from partnerpost.editions.models import Edition, Entry
from tests.browser.test_journey import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAG = """
const [entry, list, before] = arguments;
const data = new DataTransfer();
entry.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));
const box = before ? before.getBoundingClientRect() : list.getBoundingClientRect();
const y = before ? box.top + 2 : box.bottom - 2;
list.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, clientY: y, dataTransfer: data}));
list.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));
entry.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: data}));
"""


def _order(edition):
    return [
        (s.partner.acronym if s.partner else s.title, [e.item.title for e in s.entries.order_by("position")])
        for s in edition.sections.order_by("position").select_related("partner")
    ]


def test_editor_composes_reorders_and_publishes(browser, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load(log=lambda *_: None)
    s = Session(browser, live_server.url)
    s.sign_in("editor")
    s.link("Editions")
    s.type("title", "Partners' Newsletter")
    s.set_value("period_start", "2020-10-01")
    s.set_value("period_end", "2020-12-31")
    s.type("period_label", "October – November – December 2020")
    s.type("contact_email", "unpan@un.org")
    s.button("Create and gather items")
    s.wait_message("Edition created with 26 items from the period.")  # the sample's 25 in the period, and its discussion board
    edition = Edition.objects.get()
    s.shot("10-composer")

    # Remove an item, then add it back from the list of the period's items.
    website = "ReSPA's Redesigned Website"
    s.click_through(browser.find_element(By.XPATH, f"//li[contains(@class,'compose-entry')][.//p[text()=\"{website}\"]]//button[contains(., 'Remove')]"))
    s.wait_message("Removed.")
    assert website not in [e.item.title for e in Entry.objects.filter(section__edition=edition)]
    s.click_through(browser.find_element(By.XPATH, f"//aside//li[contains(., \"{website}\")]//button"))
    s.wait_message(f"Added “{website}”.")

    # Keyboard-friendly reordering: the arrow buttons.
    respa_before = dict(_order(edition))["ReSPA"]
    s.click_through(f"button[aria-label=\"Move {website} up\"]")
    respa_after = dict(_order(edition))["ReSPA"]
    assert respa_after.index(website) == respa_before.index(website) - 1 == len(respa_before) - 2

    # Drag and drop: the EROPA bulletin goes to the top of the ICAP section.
    bulletin = Entry.objects.get(section__edition=edition, item__title="EROPA Bulletin Volume 41")
    icap = edition.sections.get(partner__acronym="ICAP")
    first_icap = icap.entries.order_by("position").first()
    browser.execute_script(
        DRAG, s.find(f"#entry-{bulletin.pk}"), s.find(f".entry-list[data-section-id='{icap.pk}']"), s.find(f"#entry-{first_icap.pk}")
    )
    WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: d.find_element(By.ID, "order-status").text == "New order saved.")
    assert dict(_order(edition))["ICAP"][0] == "EROPA Bulletin Volume 41"
    s.shot("11-composer-reordered")

    s.link("Preview")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".preview-grid iframe")) == 3
    s.shot("12-preview")
    s.click_through(f".eyebrow a[href='/workspace/editions/{edition.pk}/']")
    s.button("Publish edition")
    s.wait_message("Published. The edition's text is now frozen.")
    edition.refresh_from_db()
    assert edition.state == "published" and edition.snapshot["entry_count"] == 26
    s.sign_out()

    s.link("Newsletter")
    s.link("Partners' Newsletter")
    page = s.text()
    assert page.index("EROPA Bulletin Volume 41") < page.index("XLVI ICAP graduation ceremony")
    s.shot("13-published-edition")
