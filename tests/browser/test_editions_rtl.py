"""The Arabic translation of the demo edition, on the web and in the composer, in headless Chromium."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from partnerpost.content import demo
from partnerpost.editions import demo as edition_demo
from tests.browser.test_journey import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_RUN = (
    "const done = arguments[arguments.length - 1];"
    "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))))"
    ".catch(e => done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]));"
)


def _serious(browser, axe_source):
    browser.execute_script(axe_source)
    return [(v["id"], v["nodes"]) for v in browser.execute_async_script(AXE_RUN) if v["impact"] in {"serious", "critical"}]


def test_arabic_edition_reads_right_to_left_on_the_web_and_in_the_composer(browser, live_server, settings, axe_source):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load(log=lambda *_: None)
    original = edition_demo.load(log=lambda *_: None)
    arabic = original.translations.get(language="ar")
    s = Session(browser, live_server.url)

    s.go(f"/ar/editions/{arabic.slug}/")
    article = s.find("article.edition")
    assert (article.get_attribute("lang"), article.get_attribute("dir")) == ("ar", "rtl")
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", article) == "rtl"
    assert s.find(".edition-masthead h1").text == "نشرة شركاء شبكة الأمم المتحدة للإدارة العامة"
    # The masthead's title starts at the right, and an English entry's title reads from the left.
    heading = s.find(".edition-masthead h1")
    box = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]", heading)
    masthead = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]", s.find(".edition-masthead"))
    text_right = browser.execute_script(
        "const range = document.createRange(); range.selectNodeContents(arguments[0]); return range.getBoundingClientRect().right", heading)
    assert text_right > masthead[1] - 60 and box[1] <= masthead[1]
    notes = browser.find_elements(By.CSS_SELECTOR, ".language-note[lang='en']")
    assert len(notes) == 26 and notes[0].text == "In English"
    s.shot("30-edition-ar-web")
    browser.execute_script("arguments[0].scrollIntoView()", s.find(".edition-section"))
    s.shot("30-edition-ar-web-entries")
    assert _serious(browser, axe_source) == []

    s.sign_in("editor")
    s.go(reverse("compose:edition", args=[original.pk]))
    assert "Make a translation" in s.text() and "نشرة شركاء شبكة الأمم المتحدة للإدارة العامة" in s.text()
    s.go(reverse("compose:edition", args=[arabic.pk]))
    assert "This edition is the Arabic translation of" in s.text()
    s.shot("31-composer-ar")
    assert _serious(browser, axe_source) == []
