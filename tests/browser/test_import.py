"""An editor imports the sample newsletter in Chromium, reviews what was found and accepts it as drafts."""

from pathlib import Path

import pytest

from partnerpost.content import demo
from partnerpost.content.models import AuditEntry, Item
from partnerpost.importer.models import Decision, ImportCandidate
from tests.browser.test_journey import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "seed" / "partners-newsletter-2020-q4.md"


def test_editor_imports_reviews_and_accepts_the_sample(browser, live_server, settings):
    if not SAMPLE.exists():
        pytest.skip(f"the sample newsletter is not beside the clone ({SAMPLE})")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load(log=lambda *_: None)
    items_before = Item.objects.count()
    s = Session(browser, live_server.url)
    s.sign_in("editor")
    s.link("Imports")
    assert not s.find("#upload-progress").is_displayed()  # the progress bar shows only while uploading
    s.find("input[type=file]").send_keys(str(SAMPLE))
    s.find("select[name='partner'] option[value='UN DESA']").click()
    s.shot("20-import-upload")
    s.button("Upload and find items")
    s.wait_text("reviewed")
    found = ImportCandidate.objects.count()
    assert found >= 20
    s.shot("21-import-review")

    # The demo already holds the sample's items: the first one is offered as a merge, not a second copy.
    first = ImportCandidate.objects.order_by("position").first()
    assert first.match is not None
    s.click_through(f"#c{first.pk} button[value='merge']")
    s.wait_message("Merged")

    # A new item: the editor corrects its title, then accepts it.
    fresh = list(ImportCandidate.objects.filter(match__isnull=True).order_by("position"))
    assert len(fresh) >= 2
    s.driver.execute_script("document.getElementById(arguments[0]).scrollIntoView()", f"c{fresh[0].pk}")
    s.shot("23-import-candidate")
    field = s.find(f"[name='c{fresh[0].pk}-title']")
    field.clear()
    field.send_keys("Imported: corrected title")
    s.click_through(f"#c{fresh[0].pk} button[value='accept']")
    s.wait_message("is now a draft item")
    item = Item.objects.get(title="Imported: corrected title")
    assert item.state == "draft"
    assert "Imported from" in AuditEntry.objects.filter(item=item).order_by("-pk").first().note

    # One is dropped; the other new ones are accepted at once; matches wait for a decision.
    s.click_through(f"#c{fresh[1].pk} button[value='drop']")
    s.wait_message("Dropped")
    items_now = Item.objects.count()
    s.click_through("form[action$='accept-all/'] button")
    s.wait_message("became draft")
    s.shot("22-import-done")
    new = ImportCandidate.objects.filter(match__isnull=True)
    assert not new.filter(decision=Decision.PENDING).exists()
    assert Item.objects.count() == items_now + new.filter(decision=Decision.ACCEPTED).count() - 1
    assert Item.objects.count() - items_before == new.filter(decision=Decision.ACCEPTED).count()
    assert not Item.objects.filter(pk__in=new.values("item")).exclude(state="draft").exists()
