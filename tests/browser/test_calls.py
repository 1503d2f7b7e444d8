"""Calls in headless Chromium: answering in steps with a saved draft, returned for changes, accepted
and published in the catalogue; the demo compendium's catalogue."""

import re

import pytest

from partnerpost.calls import demo as calls_demo
from partnerpost.calls import workflows
from partnerpost.calls.models import Submission
from partnerpost.content import demo
from partnerpost.network.models import Partner
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_journey import Session
from tests.factories import make_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(smtp, base):
    body = smtp.messages[-1][1].get_body(("plain",)).get_content()
    return re.search(re.escape(base) + r"/calls/\S+/link/\S+/", body).group(0)


def test_answer_in_steps_returned_for_changes_then_published(browser, live_server, smtp, settings, tmp_path):
    settings.SITE_URL = live_server.url
    demo.load(log=lambda *_: None)
    call = make_call(Partner.objects.get(acronym="UN DESA"), title="Call for inputs: digital public services",
                     is_catalogue=True, eligibility=[workflows.QuestionSpec(
                         "public_body", "Is the initiative run by a public authority?", True,
                         "This call collects initiatives of public authorities only.")])
    s = Session(browser, live_server.url)
    s.go(f"/calls/{call.slug}/")
    s.type("email", "focal@gov.example")
    s.button("Email me a link")
    s.wait_text("a link is on its way")
    browser.get(_link(smtp, live_server.url))
    # eligibility: the wrong answer stops, with the reason
    s.click("input[name='public_body'][value='no']")
    s.button("Continue")
    s.wait_text("This call collects initiatives of public authorities only.")
    s.shot("15-calls-eligibility-stop")
    s.click("input[name='public_body'][value='yes']")
    s.button("Continue")
    s.wait_text("Step 1 of 2")
    # step 1: a missing answer is named, the rest is kept
    s.type("title", "Kenya digital land registry")
    s.button("Save and continue")
    s.wait_text("Country: this answer is required.")
    s.shot("15-calls-step-error")
    assert Submission.objects.get().answers == {"title": "Kenya digital land registry"}
    s.find("select[name='country'] option[value='KE']").click()
    s.click("input[name='areas'][value='E-participation']")
    s.button("Save and continue")
    s.wait_text("Step 2 of 2")
    s.find("textarea[name='description']").send_keys("Land titles can be searched and transferred online.")
    s.type("contact__name", "Wanjiru K.")
    s.type("contact__email", "wanjiru@gov.example")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    s.find("input[name='report']").send_keys(str(pdf))
    s.button("Save draft")
    s.wait_message("Your draft is saved.")
    s.shot("15-calls-step-2-draft")
    s.button("Save and continue")
    s.wait_text("Review and send")
    s.shot("15-calls-review")
    s.button("Send my answers")
    s.wait_text("Thank you.")
    assert smtp.messages[-1][1]["Subject"].strip() == "Received: your answers to “Call for inputs: digital public services”"

    # the editor returns it with a reason
    browser.delete_all_cookies()
    s.sign_in("editor")
    s.go(f"/workspace/calls/{call.slug}/queue/")
    s.link("Kenya digital land registry")
    s.type("reason", "Please add the year the registry went online.")
    s.shot("15-calls-moderate")
    s.button("Return for changes")
    s.wait_message("Decision recorded")
    assert Submission.objects.get().state == "returned"
    s.sign_out()

    # the submitter follows the emailed link, edits and sends again
    browser.delete_all_cookies()
    browser.get(_link(smtp, live_server.url))
    s.wait_text("Please add the year the registry went online.")
    s.shot("15-calls-returned")
    s.type("title", "Kenya digital land registry (online since 2020)")
    s.button("Save and continue")
    s.button("Save and continue")
    s.button("Send my answers")
    s.wait_text("Thank you.")

    # the editor accepts: the entry is published in the catalogue
    browser.delete_all_cookies()
    s.sign_in("editor")
    s.go(f"/workspace/calls/{call.slug}/queue/")
    s.link("Kenya digital land registry (online since 2020)")
    s.button("Accept")
    s.wait_message("Decision recorded")
    s.go(f"/calls/{call.slug}/catalogue/")
    s.wait_text("1 published entry")
    s.link("Kenya digital land registry (online since 2020)")
    s.wait_text("Land titles can be searched and transferred online.")
    assert "Wanjiru" not in s.text()
    assert list(Submission.objects.get().audit_entries.values_list("action", flat=True)) == [
        "create", "save", "save", "save", "save", "submit", "return", "save", "save", "submit", "accept"]
    assert list(Submission.objects.get().audit_entries.filter(action="save").values_list("note", flat=True)[:3]) == [
        "step 1: title", "step 1: areas, country", "step 2: contact, description, report"]


def test_demo_catalogue_page(browser, live_server):
    demo.load(log=lambda *_: None)
    calls_demo.load(log=lambda *_: None)
    compendium = Submission.objects.first().call
    s = Session(browser, live_server.url)
    s.go(f"/calls/{compendium.slug}/catalogue/")
    s.wait_text("48 published entries")
    browser.set_window_size(1280, 2600)
    s.shot("15-calls-catalogue")
    # the world map: every country a shape, the counted ones named with their count
    world = s.find("figure.catalogue-map svg")
    assert world.get_attribute("aria-labelledby") == "chart-entries-by-country-t chart-entries-by-country-d"
    assert len(world.find_elements("css selector", "path")) > 200
    titles = [t.get_attribute("textContent") for t in world.find_elements("css selector", "path > title")]
    kenya = Submission.objects.filter(call=compendium, state="accepted", country="KE").count()
    assert kenya >= 1 and f"Kenya: {kenya}" in titles
    browser.execute_script("arguments[0].scrollIntoView()", world)
    world.screenshot(str(SCREENSHOTS / "15-calls-world-map.png"))
    # in Arabic, right to left: the names in the map and the facets are Arabic
    s.go(f"/ar/calls/{compendium.slug}/catalogue/")
    assert s.find("html").get_attribute("dir") == "rtl"
    world = s.find("figure.catalogue-map svg")
    assert f"كينيا: {kenya}" in [t.get_attribute("textContent") for t in world.find_elements("css selector", "path > title")]
    assert "أفريقيا" in s.find("#facet-region").text
    browser.execute_script("arguments[0].scrollIntoView()", world)
    s.shot("15-calls-catalogue-ar-map")
    s.go(f"/calls/{compendium.slug}/catalogue/?area=E-health")
    s.wait_text("6 published entries")
    s.go("/calls/")
    s.wait_text("Open now")
    s.shot("15-calls-list")
