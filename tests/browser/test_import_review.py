"""The import review in headless Chromium: an agenda read by the line model, its unsure fields marked."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from partnerpost.content import demo
from partnerpost.importer.models import ImportCandidate
from tests.browser.conftest import serious_violations
from tests.browser.test_journey import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENDA = """Agenda of the Director General
Week of 7 to 11 June 2021

Monday 7 June

09:30
Meeting with the heads of the regional schools
Tegucigalpa

Wednesday 9 June

11:00
Opening of the course on public procurement
Online
"""


def test_editor_reviews_an_agenda_with_unsure_fields_marked(browser, live_server, settings, tmp_path, axe_source):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load(log=lambda *_: None)
    s = Session(browser, live_server.url)
    s.sign_in("editor")
    source = tmp_path / "director-agenda.txt"
    source.write_text(AGENDA, encoding="utf-8")
    s.go("/workspace/imports/")
    s.find("input[type='file']").send_keys(str(source))
    s.button("Upload and find items")
    s.find(".candidate")
    titles = [c.data["title"] for c in ImportCandidate.objects.order_by("position")]
    assert titles == ["Meeting with the heads of the regional schools", "Opening of the course on public procurement"]
    first = ImportCandidate.objects.order_by("position").first()
    assert first.data["start"] == "2021-06-07" and first.data["time"] == "09:30"
    first.data["confidence"]["location"] = 0.4  # as the importer would give a place it barely read
    first.save(update_fields=["data"])
    s.go(reverse("importer:review", args=[first.batch_id]))
    s.find(".candidate")
    marked = browser.find_elements(By.CSS_SELECTOR, f"#c{first.pk} .low-confidence")
    # the place, set unsure above, and the organizers, which the agenda does not name (the importer's own figure)
    assert first.data["confidence"]["organizers"] < 0.6
    assert [m.get_attribute("name") for m in marked] == [f"c{first.pk}-location", f"c{first.pk}-organizers"]
    assert "The importer is unsure of this value (40%)" in s.find(f"#c{first.pk}").text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", marked[0])
    s.shot("17-import-review-unsure-field")
    assert serious_violations(browser, axe_source, "import review") == []
