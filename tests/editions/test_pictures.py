"""What readers see: logos, item images and the masthead (hosted, sized, described), the preheader and the
table of contents, in every rendering; the masthead through the edition form, checked like every upload."""

import datetime as dt
import io
import re
from html import unescape

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.editions import renderers, workflows
from partnerpost.editions.models import Edition
from partnerpost.editions.render import context_for
from tests.factories import make_item


def png(width, height, colour=(11, 79, 138)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _edition(people, **fields):
    people.icap.logo.save("logo.png", ContentFile(png(400, 100)))
    item = make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.NEWS, title="Graduation",
                     published_on=dt.date(2020, 11, 2), image_alt="Graduates on the steps of ICAP's school")
    item.image.save("photo.png", ContentFile(png(1200, 800, (200, 120, 40))))
    make_item(people.eropa, state=ItemState.PUBLISHED, kind=ItemKind.NEWS, title="Bulletin", published_on=dt.date(2020, 11, 3))
    edition = Edition(title="Letter", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31), **fields)
    return workflows.create_edition(people.editor, edition), item


def _images(html: str) -> list[dict]:
    return [{k: unescape(v) for k, v in re.findall(r'(\w+)="([^"]*)"', tag)} for tag in re.findall(r"<img\b[^>]*>", html)]


def test_pictures_are_hosted_sized_and_described_in_the_context(people):
    edition, item = _edition(people)
    edition.masthead.save("banner.png", ContentFile(png(1800, 450)), save=False)
    edition.masthead_alt = "The network's partners, in a row of flags"
    workflows.update_edition(people.editor, edition)
    context = context_for(edition)
    assert context["masthead"] == {"url": f"http://127.0.0.1:8000/media/{edition.masthead.name}",
                                   "alt": "The network's partners, in a row of flags", "width": 600, "height": 150}
    icap, eropa = context["sections"]
    assert icap["logo"] == {"url": f"http://127.0.0.1:8000/media/{people.icap.logo.name}",
                            "alt": f"{people.icap.name} logo", "width": 144, "height": 36}
    assert eropa["logo"] is None
    assert icap["entries"][0]["image"] == {"url": f"http://127.0.0.1:8000/media/{item.image.name}",
                                           "alt": "Graduates on the steps of ICAP's school", "width": 536, "height": 357}
    assert eropa["entries"][0]["image"] is None


def test_email_web_and_pdf_show_the_pictures_with_width_height_and_alt(people):
    edition, item = _edition(people)
    edition.masthead.save("banner.png", ContentFile(png(1800, 450)), save=False)
    edition.masthead_alt = "Flags of the partners"
    workflows.update_edition(people.editor, edition)
    context = context_for(edition)
    expected = [
        {"src": f"http://127.0.0.1:8000/media/{edition.masthead.name}", "alt": "Flags of the partners", "width": "600", "height": "150"},
        {"src": f"http://127.0.0.1:8000/media/{people.icap.logo.name}", "alt": f"{people.icap.name} logo", "width": "144", "height": "36"},
        {"src": f"http://127.0.0.1:8000/media/{item.image.name}", "alt": "Graduates on the steps of ICAP's school",
         "width": "536", "height": "357"},
    ]
    for html in (renderers.render_email_html(context), renderers.render_web_fragment(context)):
        found = [{k: image[k] for k in ("src", "alt", "width", "height")} for image in _images(html)]
        assert found == expected

    pdf = pdfium.PdfDocument(renderers.render_pdf(context))
    images = [obj for obj in pdf[0].get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=5)]
    assert sorted(tuple(obj.get_px_size()) for obj in images) == [(400, 100), (1200, 800), (1800, 450)]


def test_a_logo_the_site_would_not_serve_is_left_out(people):
    edition, _ = _edition(people)
    buffer = io.BytesIO()
    Image.new("RGB", (200, 50)).save(buffer, "GIF")
    people.eropa.logo.save("logo.gif", ContentFile(buffer.getvalue()))
    people.icap.logo.storage.delete(people.icap.logo.name)  # a logo whose file went missing
    assert [section["logo"] for section in context_for(edition)["sections"]] == [None, None]


def test_pdf_loads_no_address_outside_the_site(people, settings):
    edition, item = _edition(people)
    context = context_for(edition)
    context["sections"][0]["entries"][0]["image"]["url"] = "http://127.0.0.1:9/elsewhere.png"
    context["sections"][0]["logo"]["url"] = "file:///etc/passwd"
    pdf = pdfium.PdfDocument(renderers.render_pdf(context))
    assert list(pdf[0].get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=5)) == []


def test_email_opens_with_a_hidden_preheader_and_a_table_of_contents(people):
    edition, _ = _edition(people)
    html = renderers.render_email_html(context_for(edition))
    body = html[html.index("<body"):]
    first = re.search(r'<div class="preheader" style="([^"]*)">([^<]*)', body)
    assert body.index('class="preheader"') < body.index("<table")
    assert "display: none" in first.group(1) and "max-height: 0" in first.group(1)
    # The line, then invisible padding that keeps inboxes from filling the preview with the body's text.
    line, padding = unescape(first.group(2)).split(" \u034f", 1)
    assert line == "2 entries: ICAP, EROPA" and padding.count("\u034f") == 29
    toc = re.search(r'<p class="toch"[^>]*>In this edition</p>\s*<p class="tocl"[^>]*>(.*?)</p>', html, re.S).group(1)
    sections = context_for(edition)["sections"]
    assert re.findall(r'<a href="(#[^"]+)"[^>]*><bdi>([^<]+)</bdi></a>&nbsp;\((\d+)\)', toc) == [
        (f"#{section['anchor']}", section["title"], "1") for section in sections]
    text = renderers.render_text(context_for(edition))
    assert f"In this edition\n  - {people.icap.name} (1)\n  - {people.eropa.name} (1)\n" in text

    edition.preheader = "Graduations, bulletins & more"
    workflows.update_edition(people.editor, edition)
    html = renderers.render_email_html(context_for(edition))
    line = unescape(re.search(r'<div class="preheader" style="[^"]*">([^<]*)', html).group(1)).split(" \u034f")[0]
    assert line == "Graduations, bulletins & more"


def test_masthead_through_the_edition_form(client, people, settings):
    edition, _ = _edition(people)
    client.force_login(people.editor)
    url = reverse("compose:settings", args=[edition.pk])
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="masthead"' in page and 'name="masthead_alt"' in page
    fields = {"title": "Letter", "period_start": "2020-10-01", "period_end": "2020-12-31", "language": "en",
              "disclaimer": "Views are the authors' own."}

    response = client.post(url, {**fields, "masthead": SimpleUploadedFile("banner.png", png(1200, 300))})
    assert response.status_code == 200
    assert response.context["form"].errors == {"masthead_alt": ["Describe the masthead image for readers who cannot see it."]}
    response = client.post(url, {**fields, "masthead_alt": "A banner",
                                 "masthead": SimpleUploadedFile("banner.png", b"<svg onload='alert(1)'></svg>")})
    assert response.context["form"].errors == {
        "masthead": ["Image: this file is an SVG drawing (refused because it can carry script); upload a PNG, JPEG or WebP image."]}
    settings.MAX_UPLOAD_MB = 0
    response = client.post(url, {**fields, "masthead_alt": "A banner", "masthead": SimpleUploadedFile("banner.png", png(1200, 300))})
    assert response.context["form"].errors["masthead"][0].startswith("The file is 0.0 MB; the limit is 0 MB.")
    settings.MAX_UPLOAD_MB = 20
    edition.refresh_from_db()
    assert not edition.masthead and edition.masthead_alt == ""

    response = client.post(url, {**fields, "masthead_alt": "  A banner of the network  ",
                                 "masthead": SimpleUploadedFile("banner.html", png(1200, 300))})
    assert response.status_code == 302
    edition.refresh_from_db()
    assert re.fullmatch(r"mastheads/\d{4}/[\w-]+\.png", edition.masthead.name)
    assert edition.masthead_alt == "A banner of the network"
    assert context_for(edition)["masthead"]["width"] == 600 and context_for(edition)["masthead"]["height"] == 150


def test_a_draft_masthead_is_served_only_to_editors_until_publication(client, people):
    edition, _ = _edition(people)
    edition.masthead.save("banner.png", ContentFile(png(1200, 300)), save=False)
    edition.masthead_alt = "A banner"
    workflows.update_edition(people.editor, edition)
    url = "/media/" + edition.masthead.name
    assert client.get(url).status_code == 404
    client.force_login(people.icap_partner_editor)
    assert client.get(url).status_code == 404
    client.force_login(people.editor)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    workflows.publish_edition(people.editor, edition)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"].startswith("public")
