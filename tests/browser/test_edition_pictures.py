"""An editor gives an edition a masthead picture in the browser; readers' pages load it with its size and alt text."""

import datetime as dt
import io

import pytest
from PIL import Image

from partnerpost.content import demo
from partnerpost.editions import workflows
from partnerpost.editions.models import Edition
from partnerpost.network.models import User
from tests.browser.test_journey import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_editor_sets_a_masthead_and_readers_see_it(browser, live_server, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = live_server.url
    demo.load(log=lambda *_: None)
    editor = User.objects.get(username="editor")
    edition = workflows.create_edition(editor, Edition(
        title="Partners' Newsletter", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31)))
    banner = tmp_path / "banner.png"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 300), (11, 79, 138)).save(buffer, "PNG")
    banner.write_bytes(buffer.getvalue())

    s = Session(browser, live_server.url)
    s.sign_in("editor")
    s.go(f"/workspace/editions/{edition.pk}/settings/")
    s.find("input[name='masthead']").send_keys(str(banner))
    s.button("Save")
    assert s.find("#field-masthead_alt .field-error").text == "Describe the masthead image for readers who cannot see it."
    s.find("input[name='masthead']").send_keys(str(banner))  # a refused form does not keep the file
    s.type("masthead_alt", "A blue banner with the network's name")
    s.type("preheader", "Webinars, training and awards from the partners")
    s.shot("13-readers-masthead-settings")
    s.button("Save")
    s.wait_message("Saved.")

    s.go(edition.get_absolute_url())
    image = s.find("img.edition-masthead-image")
    loaded = s.driver.execute_script("return [arguments[0].complete, arguments[0].naturalWidth, arguments[0].naturalHeight]", image)
    assert loaded == [True, 1200, 300]
    assert (image.get_dom_attribute("width"), image.get_dom_attribute("height"), image.get_dom_attribute("alt")) == (
        "600", "150", "A blue banner with the network's name")
    assert image.get_attribute("src").startswith(live_server.url + "/media/mastheads/")
    s.shot("13-readers-masthead-page")
