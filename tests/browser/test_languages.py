"""The Arabic (right-to-left) and Chinese pages walked in Chromium: screenshots and axe."""

import pytest

from partnerpost.content import demo
from partnerpost.content.models import Item
from tests.browser.conftest import serious_violations as _axe
from tests.browser.test_journey import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_arabic_home_item_and_composer_read_right_to_left(browser, live_server, axe_source, settings):
    from partnerpost.editions import demo as edition_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load(log=lambda *_: None)
    edition = edition_demo.load(log=lambda *_: None)
    item = Item.objects.get(title="XLVI ICAP graduation ceremony")
    s = Session(browser, live_server.url)
    problems = []

    s.go("/ar/")
    s.find("main")
    html = browser.find_element("tag name", "html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    nav = browser.find_element("css selector", ".main-nav").text
    assert "الفعاليات" in nav and "Events" not in nav
    # Right to left: the brand sits at the right edge, the search box at the left.
    brand = browser.find_element("css selector", ".brand").rect
    search = browser.find_element("css selector", ".header-search").rect
    assert brand["x"] > search["x"]
    problems += _axe(browser, axe_source, "/ar/")
    s.shot("30-ar-home")

    s.go(f"/ar{item.get_absolute_url()}")
    s.find("main")
    title = browser.find_element("css selector", "h1")
    assert title.get_attribute("lang") == "en" and title.get_attribute("dir") == "auto"
    assert "Español" in browser.find_element("css selector", ".also-in").text
    problems += _axe(browser, axe_source, "item")
    s.shot("31-ar-item")

    s.sign_in("editor")
    s.go(f"/ar/workspace/editions/{edition.pk}/")
    s.find("main")
    assert browser.find_element("tag name", "html").get_attribute("dir") == "rtl"
    problems += _axe(browser, axe_source, "composer")
    s.shot("32-ar-composer")
    assert problems == []


def test_chinese_home_has_no_serious_accessibility_problem(browser, live_server, axe_source):
    demo.load(log=lambda *_: None)
    s = Session(browser, live_server.url)
    s.go("/zh-hans/")
    s.find("main")
    assert browser.find_element("tag name", "html").get_attribute("lang") == "zh-hans"
    assert "活动" in browser.find_element("css selector", ".main-nav").text
    problems = _axe(browser, axe_source, "/zh-hans/")
    s.shot("33-zh-home")
    assert problems == []
