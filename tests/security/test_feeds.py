"""Finding 8: a plain-text summary is text in every feed; markup typed into it never becomes markup
in a feed reader."""

import html
import xml.etree.ElementTree as ET

import pytest

from tests.factories import published

EVIL = '<img src=x onerror="alert(1)"> & <b>bold</b>'
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def evil_item(people):
    return published(people.icap, title="Plain title", summary=EVIL)


@pytest.mark.parametrize("path", ["/feeds/items.atom", "/feeds/partner/icap.atom", "/feeds/kind/news.atom"])
def test_atom_summary_is_declared_text(client, evil_item, path):
    response = client.get(path)
    assert response.status_code == 200
    entry = ET.fromstring(response.content).find(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == EVIL  # the text as written, for the reader to show as text
    assert entry.find(f"{ATOM}content") is None


@pytest.mark.parametrize("path", ["/feeds/items.rss", "/feeds/partner/icap.rss", "/feeds/kind/news.rss"])
def test_rss_description_is_escaped_text(client, evil_item, path):
    response = client.get(path)
    assert response.status_code == 200
    description = ET.fromstring(response.content).find("channel/item/description").text
    # RSS readers take the description as HTML: what they get must be text that shows the characters.
    assert description == html.escape(EVIL, quote=False)
    assert "<img" not in description and "<b>" not in description
    assert html.unescape(description) == EVIL
