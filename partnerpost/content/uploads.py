"""What an uploaded file is, told from its bytes, never from its name.

Items carry two kinds of upload: a document (PDF, Word, Excel, PowerPoint, OpenDocument) and an image
(PNG, JPEG, WebP). `detect()` reads the first bytes (and, for ZIP and OLE2 containers, their table of
parts) and says what the file is. The model fields validate with `document_validator` and
`image_validator`, so the web form, the API, the importer, the admin and the shell all get the same
message, naming the field; the stored name gets a random part and the extension of the detected type
(`document_path`, `image_path`). The media view asks `detect()` again when it serves a file, so what a
browser is told about a file also comes from its content.

SVG is refused, not sanitized: a drawing can carry script, and a sanitizer is one more thing to trust.
"""

from __future__ import annotations

import io
import secrets
import struct
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class FileType:
    key: str  # pdf, docx, png, html, ...
    extension: str  # the stored name's extension, without the dot
    mime: str  # what a browser is told
    label: str  # "a PDF document", "an HTML page": for messages, translated when shown


def _t(key, extension, mime, label):
    return FileType(key, extension, mime, label)


PDF = _t("pdf", "pdf", "application/pdf", gettext_lazy("a PDF document"))
DOCX = _t("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", gettext_lazy("a Word document"))
XLSX = _t("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", gettext_lazy("an Excel workbook"))
PPTX = _t("pptx", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
          gettext_lazy("a PowerPoint presentation"))
ODT = _t("odt", "odt", "application/vnd.oasis.opendocument.text", gettext_lazy("an OpenDocument text"))
ODS = _t("ods", "ods", "application/vnd.oasis.opendocument.spreadsheet", gettext_lazy("an OpenDocument spreadsheet"))
ODP = _t("odp", "odp", "application/vnd.oasis.opendocument.presentation", gettext_lazy("an OpenDocument presentation"))
DOC = _t("doc", "doc", "application/msword", gettext_lazy("a Word 97-2003 document"))
XLS = _t("xls", "xls", "application/vnd.ms-excel", gettext_lazy("an Excel 97-2003 workbook"))
PPT = _t("ppt", "ppt", "application/vnd.ms-powerpoint", gettext_lazy("a PowerPoint 97-2003 presentation"))
PNG = _t("png", "png", "image/png", gettext_lazy("a PNG image"))
JPEG = _t("jpeg", "jpg", "image/jpeg", gettext_lazy("a JPEG image"))
WEBP = _t("webp", "webp", "image/webp", gettext_lazy("a WebP image"))

# Refused types, named so the message says what the file was.
HTML = _t("html", "bin", "application/octet-stream", gettext_lazy("an HTML page"))
SVG = _t("svg", "bin", "application/octet-stream", gettext_lazy("an SVG drawing (refused because it can carry script)"))
XML = _t("xml", "bin", "application/octet-stream", gettext_lazy("an XML file"))
GIF = _t("gif", "bin", "application/octet-stream", gettext_lazy("a GIF image"))
ZIP = _t("zip", "bin", "application/octet-stream", gettext_lazy("a ZIP archive"))
OLE = _t("ole", "bin", "application/octet-stream", gettext_lazy("an old-style Office file that is not Word, Excel or PowerPoint"))
PROGRAM = _t("program", "bin", "application/octet-stream", gettext_lazy("a program"))
TEXT = _t("text", "bin", "application/octet-stream", gettext_lazy("a text file"))
EMPTY = _t("empty", "bin", "application/octet-stream", gettext_lazy("an empty file"))
UNKNOWN = _t("unknown", "bin", "application/octet-stream", gettext_lazy("a file of a type that is not allowed"))

DOCUMENT_TYPES = frozenset({PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT})
IMAGE_TYPES = frozenset({PNG, JPEG, WEBP})

#: Largest part of a ZIP container read to tell its type ([Content_Types].xml, mimetype).
_PART_LIMIT = 256 * 1024

_OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.ms-word.document.macroenabled.main+xml": None,  # macros: not allowed
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
_ODF = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.presentation": ODP,
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The WHATWG MIME sniffing patterns for HTML, and script-bearing markup besides.
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<h1", b"<div",
                b"<font", b"<table", b"<a ", b"<a>", b"<style", b"<title", b"<b ", b"<b>", b"<br", b"<p ", b"<p>",
                b"<!--", b"<img", b"<object", b"<embed", b"<meta", b"<link", b"<form", b"<svg", b"<math")


def detect(source) -> FileType:
    """The type of a file, from its content. `source` is bytes or a readable, seekable file; its position
    is put back where it was."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        stream = io.BytesIO(bytes(source))
    else:
        stream = source
    try:
        position = stream.tell()
    except (AttributeError, OSError):
        position = None
    try:
        stream.seek(0)
        return _detect(stream)
    finally:
        if position is not None:
            stream.seek(position)


def _detect(stream) -> FileType:
    head = stream.read(4096)
    if not head:
        return EMPTY
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"PK\x03\x04"):
        stream.seek(0)
        return _zip_type(stream)
    if head.startswith(_OLE_MAGIC):
        stream.seek(0)
        return _ole_type(stream)
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")):
        return PROGRAM
    return _markup_or_text(head)


def _markup_or_text(head: bytes) -> FileType:
    text = head
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if text.startswith(bom):
            text = text[len(bom):]
            break
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = head.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            pass
    lowered = text.lstrip(b" \t\r\n\f\x00").lower()
    if b"<svg" in lowered[:4096] and (lowered.startswith((b"<?xml", b"<svg", b"<!doctype svg", b"<!--"))):
        return SVG
    if lowered.startswith(_HTML_STARTS) or b"<script" in lowered or b"<html" in lowered:
        return HTML
    if lowered.startswith(b"<?xml"):
        return XML
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(text) - 4:  # a sequence cut at the end of the sample is not a mistake
            return UNKNOWN
    if any(byte < 9 or 13 < byte < 32 for byte in text):
        return UNKNOWN
    return TEXT


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        with archive.open(name) as part:
            return part.read(_PART_LIMIT)
    except (KeyError, zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        return None


def _zip_type(stream) -> FileType:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        return ZIP
    with archive:
        names = archive.namelist()
        if "mimetype" in names:
            declared = (_read_part(archive, "mimetype") or b"").strip()
            if declared in _ODF and "content.xml" in names:
                return _ODF[declared]
        if "[Content_Types].xml" in names:
            types = _read_part(archive, "[Content_Types].xml") or b""
            for marker, kind in _OOXML_MAIN.items():
                if marker in types.lower():
                    return kind or ZIP
    return ZIP


def _ole_type(stream) -> FileType:
    """Walk the directory of an OLE2 compound file for the stream that marks Word, Excel or PowerPoint."""
    header = stream.read(512)
    if len(header) < 512:
        return OLE
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        return OLE
    size = 1 << shift
    first_dir = struct.unpack_from("<I", header, 0x30)[0]
    fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < 0xFFFFFFFA]

    def sector(number: int) -> bytes:
        stream.seek(size * (number + 1))
        return stream.read(size)

    fat: list[int] = []
    for number in fat_sectors[:64]:  # enough to reach the directory of any document we accept
        data = sector(number)
        fat.extend(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))
    names = set()
    current, seen = first_dir, set()
    while current < 0xFFFFFFFA and current not in seen and len(seen) < 256:
        seen.add(current)
        data = sector(current)
        for offset in range(0, len(data) - 127, 128):
            length = struct.unpack_from("<H", data, offset + 0x40)[0]
            if 2 <= length <= 64:
                names.add(data[offset:offset + length - 2].decode("utf-16-le", "replace"))
        current = fat[current] if current < len(fat) else 0xFFFFFFFE
    if "WordDocument" in names:
        return DOC
    if "Workbook" in names or "Book" in names:
        return XLS
    if "PowerPoint Document" in names:
        return PPT
    return OLE


# --- validation on the model fields ------------------------------------------------------------------


def _uncommitted(value):
    """The new upload in a FieldFile, or None when the field holds a file already stored."""
    if not value or getattr(value, "_committed", True):
        return None
    return getattr(value, "file", None)


def _check(value, allowed, field_label: str, wanted: str):
    upload = _uncommitted(value)
    if upload is None:
        return
    found = detect(upload)
    if found in allowed:
        return
    raise ValidationError(
        _("%(field)s: this file is %(found)s; %(wanted)s") % {"field": field_label, "found": found.label, "wanted": wanted},
        code="file_type",
    )


def document_validator(value) -> None:
    _check(value, DOCUMENT_TYPES, _("Document file"),
           _("upload a PDF, a Word, Excel or PowerPoint file, or an OpenDocument file."))


def image_validator(value) -> None:
    upload = _uncommitted(value)
    _check(value, IMAGE_TYPES, _("Image"), _("upload a PNG, JPEG or WebP image."))
    if upload is not None:
        _check_image_decodes(upload)


def _check_image_decodes(upload) -> None:
    from PIL import Image, UnidentifiedImageError

    position = upload.tell()
    try:
        upload.seek(0)
        with Image.open(upload) as picture:
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("Image: the picture is damaged and cannot be read; upload a PNG, JPEG or WebP image."), code="file_type"
        ) from None
    finally:
        upload.seek(position)


# --- stored names ------------------------------------------------------------------------------------------


def _typed_name(content) -> str:
    """A name whose extension is the detected type's ("upload.pdf"); the original name is not kept."""
    found = detect(content)
    return f"upload.{found.extension}"


class TypedFieldFile(FieldFile):
    """Every way of storing a file (a form, the admin, code calling `.save()`) names it by its content."""

    def save(self, name, content, save=True):
        super().save(_typed_name(content), content, save)


class TypedImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        super().save(_typed_name(content), content, save)


class TypedFileField(models.FileField):
    attr_class = TypedFieldFile


class TypedImageField(models.ImageField):
    attr_class = TypedImageFieldFile


def _stored_name(folder: str, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"{folder}/{timezone.now():%Y}/{secrets.token_urlsafe(18)}.{extension}"


def document_path(instance, filename: str) -> str:
    """documents/2026/<random>.<extension of the detected type>: unguessable, and never .html."""
    return _stored_name("documents", filename)


def image_path(instance, filename: str) -> str:
    return _stored_name("items", filename)


def masthead_path(instance, filename: str) -> str:
    """mastheads/2026/<random>.<extension>: an edition's masthead picture."""
    return _stored_name("mastheads", filename)
