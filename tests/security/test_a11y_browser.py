"""Finding 11 in Chromium: axe finds nothing critical or serious on the item form, new and with
errors, nor on pages with danger buttons."""

import pytest
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from partnerpost.content.enums import ItemState
from tests.browser.conftest import axe_source, browser, serious_violations  # noqa: F401  (the browser suite's fixtures, used here)
from tests.factories import make_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def _sign_in(browser, base, user):
    client = Client()
    client.force_login(user)
    browser.get(base + "/robots.txt")
    browser.add_cookie({"name": "sessionid", "value": client.cookies["sessionid"].value, "path": "/"})


def _axe(browser, axe_source):
    return serious_violations(browser, axe_source, browser.current_url)


def test_item_form_has_no_serious_axe_findings(browser, live_server, axe_source, people):
    _sign_in(browser, live_server.url, people.icap_contributor)
    browser.get(live_server.url + "/workspace/items/new/")
    assert browser.find_element(By.CSS_SELECTOR, "form textarea[name=summary]")
    assert _axe(browser, axe_source) == []
    # described-by help is a real element, read with the field
    summary = browser.find_element(By.ID, "id_summary")
    for ref in (summary.get_attribute("aria-describedby") or "").split():
        assert browser.find_elements(By.ID, ref), ref
    browser.find_element(By.CSS_SELECTOR, "input[name=title]").clear()
    browser.find_element(By.CSS_SELECTOR, "form.item-form button[name=save]").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "id_title_error")))
    title = browser.find_element(By.ID, "id_title")
    assert "id_title_error" in title.get_attribute("aria-describedby")
    assert browser.find_element(By.ID, "id_title_error").text
    assert _axe(browser, axe_source) == []


def test_pages_with_danger_buttons_have_no_serious_axe_findings(browser, live_server, axe_source, people):
    item = make_item(people.icap, state=ItemState.PUBLISHED, title="Published story")
    _sign_in(browser, live_server.url, people.editor)
    browser.get(live_server.url + f"/workspace/items/{item.pk}/")
    assert browser.find_elements(By.CSS_SELECTOR, ".button-danger")
    assert _axe(browser, axe_source) == []
