"""The structure of every rendering of the demo edition."""

import re
from html.parser import HTMLParser

import pytest

from partnerpost.editions import renderers
from partnerpost.editions.render import context_for
from tests.editions import pdftext


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.images, self.styles, self._in_style = [], [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"a", "link"} and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(html):
    parser = Links()
    parser.feed(html)
    return parser


def _titles(context):
    return [entry["title"] for section in context["sections"] for entry in section["entries"]]


def _positions(text, titles):
    positions = []
    for title in titles:
        assert text.count(title) == 1, f"{title!r} appears {text.count(title)} times"
        positions.append(text.index(title))
    return positions


@pytest.fixture
def context(demo_edition):
    return context_for(demo_edition)


def test_demo_edition_has_every_partner_section_in_network_order(context):
    assert [s["partner"] for s in context["sections"]] == ["UN DESA", "UNPOG", "ICAP", "EROPA", "NISPAcee", "ReSPA", "KIPA", "NIA"]
    assert context["entry_count"] == 27  # 26 from the sample, and its discussion board as a consultation
    assert context["period"] == "October – November – December 2020"


@pytest.mark.parametrize("fmt", ["web", "email", "text", "md"])
def test_every_entry_appears_once_in_order(context, fmt):
    import html

    output = renderers.render(context, fmt).decode()
    text = html.unescape(output) if fmt in {"web", "email"} else output
    positions = _positions(text, _titles(context))
    assert positions == sorted(positions)


@pytest.mark.parametrize("fmt", ["web", "email"])
def test_every_link_is_absolute(context, fmt):
    hrefs = parse(renderers.render(context, fmt).decode()).hrefs
    assert len(hrefs) > 50
    relative = [h for h in hrefs if not h.startswith(("http://", "https://", "mailto:"))]
    if fmt == "email":
        # The email's table of contents points at its own sections, by their ids in the same message.
        anchors = [s["anchor"] for s in context["sections"]]
        assert relative == [f"#{anchor}" for anchor in anchors]
        html = renderers.render(context, fmt).decode()
        assert all(html.count(f'id="{anchor}"') == 1 for anchor in anchors)
    else:
        assert relative == []


def test_markdown_links_are_absolute(context):
    targets = re.findall(r"\]\(([^)]+)\)", renderers.render(context, "md").decode())
    assert targets and all(t.startswith(("http://", "https://")) for t in targets)


def test_email_keeps_only_media_queries_and_fits_gmail(context):
    html = renderers.render_email_html(context)
    assert len(html.encode()) < renderers.EMAIL_LIMIT_BYTES
    styles = "".join(parse(html).styles)
    without_media = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", styles)
    assert without_media.strip() == ""
    assert "@media (prefers-color-scheme: dark)" in styles and "max-width: 620px" in styles
    assert 'class="entry"' in html and 'style="' in html
    assert "View in your browser" in html
    assert all(img.get("alt") for img in parse(html).images)


def test_email_has_a_slot_for_personal_links(context):
    html = renderers.render_email_html(context, {"unsubscribe_url": "https://news.example/u/abc", "preferences_url": "https://news.example/p/abc"})
    assert 'href="https://news.example/u/abc"' in html and 'href="https://news.example/p/abc"' in html
    text = renderers.render_text(context, {"unsubscribe_url": "https://news.example/u/abc", "preferences_url": "https://news.example/p/abc"})
    assert "Unsubscribe: https://news.example/u/abc" in text


def test_pdf_pages_carry_footer_page_numbers_titles_links_and_metadata(context):
    pdf = pdftext.read(renderers.render_pdf(context))
    pages = pdf["pages"]
    assert len(pages) >= 4
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert "The views expressed are those of the individual authors" in flat, f"page {number} lacks the disclaimer"
        assert f"{number} / {len(pages)}" in flat, f"page {number} lacks its number"
    everything = " ".join(" ".join(pages).split())
    for title in _titles(context):
        assert " ".join(title.split()) in everything, f"{title!r} is missing from the PDF"
    entry_urls = {e["url"] for s in context["sections"] for e in s["entries"]}
    assert entry_urls <= set(pdf["links"])
    assert all(link.startswith(("http://", "https://", "mailto:")) for link in pdf["links"])
    assert pdf["metadata"]["Title"] == "UNPAN Partners' Newsletter – October – November – December 2020"
    assert pdf["metadata"]["Author"] == "UN Public Administration Network"
    assert pdf["language"] == "en"
    assert "Taller virtual Prospectiva e innovación en la gestión territorial" in everything


def test_text_prints_the_portal_link_once_for_an_item_without_links(people):
    import datetime as dt

    from partnerpost.content.enums import ItemState
    from partnerpost.editions import workflows
    from partnerpost.editions.models import Edition
    from tests.factories import make_item

    item = make_item(people.icap, state=ItemState.PUBLISHED, title="Graduation", published_on=dt.date(2020, 11, 2))
    edition = workflows.create_edition(people.editor, Edition(
        title="Letter", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31)))
    text = renderers.render_text(context_for(edition))
    url = f"http://127.0.0.1:8000/items/{item.slug}/"
    assert text.count(url) == 1
    assert f"  On the portal: {url}\n" in text
