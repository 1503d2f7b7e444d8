"""Turn an uploaded file into lines of text with their page, position and type size.

No Django here: the importer's parsing runs the same from the CLI, the web and the benchmarks.
Every refusal raises `Rejected` with a message that says what is wrong and what to do.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from partnerpost.lib.numbers import file_size

MAX_BYTES = 25 * 1024 * 1024
MAX_PAGES = 300
#: Most bytes a PDF's compressed streams (page contents, fonts, object streams; not images) may inflate to.
#: A small file can hold hundreds of megabytes of page content; the PDF engine would take several times
#: that in memory, so the file is measured before it is opened.
MAX_INFLATED = 32 * 1024 * 1024
#: Most characters of text a PDF may yield.
MAX_TEXT = 8_000_000


class Rejected(ValueError):
    """The file cannot be imported. `field` names what the message is about (file, encoding, pages...)."""

    def __init__(self, message: str, field: str = "file"):
        super().__init__(message)
        self.field = field


@dataclass
class Line:
    text: str
    page: int
    start: int = 0  # offsets of the line in Document.text
    end: int = 0
    size: float | None = None  # type size in points (PDF only)
    bold: bool = False
    top: float | None = None  # distance from the top of the page, 0..1 (PDF only)
    heading: int = 0  # Markdown/HTML heading level, 0 for body text
    blank_before: bool = False
    left: float | None = None  # left and right edges on the page, 0..1 of its width (PDF only)
    right: float | None = None
    #: where the line's type ends below, from the top of the page 0..1 (PDF only): the bottom of the font's
    #: own box, not of the glyph's, so that two lines of one type size are as far apart as their baselines
    bottom: float | None = None
    #: the first line of a column or of a page's body, read after the end of another column (set when a
    #: PDF's columns are put in reading order): no gap above it says whether a paragraph ended there
    column_start: bool = False


@dataclass
class Document:
    format: str  # pdf, markdown, text, html
    text: str
    lines: list[Line] = field(default_factory=list)
    pages: int = 1


def sniff_format(data: bytes, filename: str) -> str:
    name = filename.lower()
    if data[:5] == b"%PDF-" or name.endswith(".pdf"):
        return "pdf"
    if name.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if name.endswith((".md", ".markdown")):
        return "markdown"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if name.endswith((".txt", ".text")) or "." not in name.rsplit("/", 1)[-1]:
        return "text"
    raise Rejected(
        f"“{filename}” is not a file type the importer reads. Upload a PDF with a text layer, "
        "Markdown (.md), plain text (.txt) or HTML (.html).", "file",
    )


def read(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES, max_pages: int = MAX_PAGES,
         max_inflated: int = MAX_INFLATED, max_text: int = MAX_TEXT) -> Document:
    if len(data) > max_bytes:
        raise Rejected(
            f"The file is {file_size(len(data))}; the limit is {file_size(max_bytes)}. "
            "Split the newsletter into smaller files.", "file",
        )
    fmt = sniff_format(data, filename)
    if fmt == "pdf":
        check_inflated_size(data, max_inflated)
        doc = _read_pdf(data, max_pages, max_text)
    else:
        text = decode_text(data)
        if fmt == "html":
            text = html_to_markdown(text)
            fmt_lines = _text_lines(text, markdown=True)
        else:
            fmt_lines = _text_lines(text, markdown=(fmt == "markdown" or _looks_like_markdown(text)))
        doc = Document(format=fmt, text=text, lines=fmt_lines, pages=text.count("\f") + 1)
    if not any(line.text.strip() for line in doc.lines):
        raise Rejected("The document is empty: it holds no text to import.", "file")
    return doc


# --- text ---------------------------------------------------------------------------------------------

_COMMON_ENCODINGS = {"cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman", "utf_16", "cp1251"}


def decode_text(data: bytes) -> str:
    """Decode text the way people save it: UTF-8 (with or without BOM), UTF-16 with a BOM, or a common
    single-byte encoding recognised with confidence. Anything else is refused, never guessed."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _normalise_newlines(data.decode(codec))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=sorted(_COMMON_ENCODINGS)).best()
        if best is None or best.encoding not in _COMMON_ENCODINGS or best.chaos > 0.1:
            raise Rejected(
                "The text is not in an encoding the importer can recognise with confidence. "
                "Save the file as UTF-8 and upload it again.", "encoding",
            )
        text = str(best)
    if _control_ratio(text) > 0.01:
        raise Rejected(
            "The file holds binary data, not text. If it is a Word or other office document, "
            "save it as PDF, HTML or plain text first.", "encoding",
        )
    return _normalise_newlines(text)


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / len(sample)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_MD_HINT = re.compile(r"^(#{1,6} |\s*[-*] |\s*\d+\. )|\[[^\]]+\]\([^)]*\)", re.M)


def _looks_like_markdown(text: str) -> bool:
    return len(_MD_HINT.findall(text[:20000])) >= 3


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _text_lines(text: str, *, markdown: bool) -> list[Line]:
    lines = []
    page = 1
    pos = 0
    blank = True
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        pieces = raw.split("\f")
        if len(pieces) > 1:
            page += len(pieces) - 1
            blank = True
            raw = pieces[-1]
            start = end - len(raw)
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        level = 0
        if markdown:
            m = _HEADING.match(stripped)
            if m:
                level, stripped = len(m.group(1)), m.group(2)
        lines.append(Line(text=stripped, page=page, start=start, end=end, heading=level, blank_before=blank))
        blank = False
    return lines


# --- HTML -----------------------------------------------------------------------------------------------


class _MarkdownWriter(HTMLParser):
    """HTML to the Markdown subset the importer reads: headings, paragraphs, list items and links."""

    BLOCKS = {"p", "div", "section", "article", "li", "br", "table", "ul", "ol", "blockquote", "header",
              "footer", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt"}
    SKIP = {"script", "style", "head", "title", "noscript", "template", "svg", "nav", "aside", "form", "button",
            "select", "iframe"}
    # Page furniture saved along with a CMS page: menus, breadcrumbs, cookie notices, sidebars, share bars.
    FURNITURE = re.compile(r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|cookies?|consent|banner|sidebar|widget|"
                           r"share|social|skip|pager|pagination|site-footer|footer|related)([\s_-]|$)", re.I)

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.skip_tag = ""
        self.links: list[str | None] = []
        self.row: list[dict] | None = None  # cells of the table row being read
        self.cell: dict | None = None
        self.strong = 0

    # Tables: each row becomes one line, "date · event · venue · organizer", its cells' extra text the lines
    # under it; a row with a single cell (a group label) becomes a heading; header rows are dropped.
    def _emit(self, text: str) -> None:
        if self.cell is not None:
            self.cell["text"].append(text)
            if self.strong:
                self.cell["strong"].append(text)
        else:
            self.out.append(text)

    def _row_start(self):
        self.row = []

    def _row_end(self):
        cells = [c for c in (self.row or []) if " ".join("".join(c["text"]).split())]
        self.row = None
        if not cells or all(c["header"] for c in cells):
            return
        texts = [" ".join("".join(c["text"]).split()) for c in cells]
        if len(cells) == 1:
            self.out.append(f"\n\n### {texts[0]}\n\n")
            return
        heads, details = [], []
        for cell, text in zip(cells, texts):
            strong = " ".join("".join(cell["strong"]).split())
            if strong and len(strong) < len(text) and text.startswith(strong):
                heads.append(strong)
                details.append(text[len(strong):].strip())
            else:
                heads.append(text)
        self.out.append("\n\n" + " · ".join(heads) + "\n" + "\n".join("  " + d for d in details if d) + "\n\n")

    def handle_starttag(self, tag, attrs):
        if self.skip:  # inside page furniture: count only nested tags of the same name as the container
            if tag == self.skip_tag:
                self.skip += 1
            return
        values = dict(attrs)
        marker = " ".join(filter(None, [values.get("class"), values.get("id"), values.get("role")]))
        if tag in self.SKIP or (tag in {"div", "section", "footer", "header", "ul", "p"} and marker
                                and self.FURNITURE.search(marker)) or values.get("role") in {"navigation", "banner"}:
            if tag not in self.VOID:
                self.skip, self.skip_tag = 1, tag
            return
        if tag == "tr":
            self._row_start()
            return
        if tag in ("td", "th") and self.row is not None:
            self.cell = {"text": [], "strong": [], "header": tag == "th"}
            self.row.append(self.cell)
            return
        if tag in ("strong", "b"):
            self.strong += 1
        if self.cell is not None:
            if tag == "br" or tag in self.BLOCKS:
                self._emit(" ")
            return
        if tag in self.BLOCKS:
            self.out.append("\n\n")
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.out.append("#" * int(tag[1]) + " ")
        elif tag == "li":
            self.out.append("- ")
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")
            self.out.append("[")

    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "area", "col", "embed"}

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip_tag:
                self.skip -= 1
            return
        if tag in ("strong", "b"):
            self.strong = max(0, self.strong - 1)
        if tag in ("td", "th"):
            self.cell = None
            return
        if tag == "tr":
            self._row_end()
            return
        if self.cell is not None:
            if tag in self.BLOCKS:
                self._emit(" ")
            return
        if tag == "a" and self.links:
            href = self.links.pop()
            self.out.append(f"]({href})")
        elif tag in self.BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self._emit(re.sub(r"\s+", " ", data))


def html_to_markdown(text: str) -> str:
    writer = _MarkdownWriter()
    writer.feed(text)
    writer.close()
    joined = "".join(writer.out)
    lines = [line.strip() for line in joined.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# --- PDF ------------------------------------------------------------------------------------------------


_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_INFLATE_CHUNK = 1024 * 1024


def _too_big(limit: int) -> Rejected:
    return Rejected(
        f"The PDF's compressed content unpacks to more than {file_size(limit)}, far more than a newsletter "
        "holds; the importer does not open it. If the file is genuine, print it to a new PDF and upload that.",
        "file",
    )


def check_inflated_size(data: bytes, limit: int = MAX_INFLATED) -> int:
    """How many bytes the PDF's compressed streams (except images, which text extraction leaves packed)
    unpack to; Rejected as soon as that passes `limit`. Memory stays within about `limit` plus 1 MB, however
    much a stream would unpack to: each one is inflated a slice at a time and only counted."""
    import zlib

    total = 0
    for match in _STREAM_START.finditer(data):
        head_from = data.rfind(b"obj", max(0, match.start() - 16384), match.start())
        head = data[head_from if head_from >= 0 else max(0, match.start() - 2048):match.start()]
        layers = head.count(b"/FlateDecode") + len(re.findall(rb"/Fl(?=[\s/\]>])", head))
        if not layers or re.search(rb"/Subtype\s*/Image", head):
            continue
        end = data.find(b"endstream", match.end())
        body = data[match.end(): end if end >= 0 else len(data)]
        # Every layer but the last is kept (each within what is left of the limit); the last is only counted.
        for layer in range(layers):
            keep = layer < layers - 1
            inflater = zlib.decompressobj()
            kept: list[bytes] = []
            pending = body
            try:
                while pending and not inflater.eof:
                    piece = inflater.decompress(pending, _INFLATE_CHUNK)
                    pending = inflater.unconsumed_tail
                    total += 0 if keep else len(piece)
                    if keep:
                        kept.append(piece)
                        if sum(map(len, kept)) + total > limit:
                            raise _too_big(limit)
                    elif total > limit:
                        raise _too_big(limit)
            except zlib.error:
                break  # a damaged stream: the PDF engine says what it makes of it
            if keep:
                body = b"".join(kept)
    return total


def _read_pdf(data: bytes, max_pages: int, max_text: int = MAX_TEXT) -> Document:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD or "password" in str(exc).lower():
            raise Rejected("The PDF is encrypted with a password. Upload an unprotected copy.", "file") from None
        if code == raw.FPDF_ERR_SECURITY:
            raise Rejected("The PDF uses a security handler the importer cannot open. "
                           "Upload an unprotected copy.", "file") from None
        raise Rejected("The PDF is damaged and cannot be read (it may be truncated). "
                       "Export it again from its source.", "file") from None
    try:
        count = len(pdf)
        if count > max_pages:
            raise Rejected(f"The PDF has {count} pages; the limit is {max_pages}. Split it into smaller files.",
                           "pages")
        if count == 0:
            raise Rejected("The document is empty: the PDF has no pages.", "file")
        text_parts: list[str] = []
        lines: list[Line] = []
        offset = 0
        chars_total = 0
        for number in range(count):
            try:
                page = pdf[number]
            except pdfium.PdfiumError:
                # A page tree that loops back on itself, or a page missing from it.
                raise Rejected(
                    f"Page {number + 1} of the PDF cannot be read: its page tree is damaged (it may loop back on "
                    "itself). Export the PDF again from its source.", "file",
                ) from None
            try:
                page_lines, page_chars = _pdf_page_lines(page, number + 1, raw)
            finally:
                page.close()
            chars_total += page_chars
            if chars_total > max_text:
                raise Rejected(
                    f"The PDF holds more than {max_text:,} characters of text, far more than a newsletter; the "
                    "importer stops there. Split it into smaller files.", "file",
                )
            if number:
                text_parts.append("\f")
                offset += 1
            for line in page_lines:
                line.start, line.end = offset, offset + len(line.text)
                text_parts.append(line.text + "\n")
                offset = line.end + 1
                lines.append(line)
        if chars_total == 0:
            raise Rejected(
                "The PDF has no text layer: its pages are images (a scan). Run OCR on it first "
                "(for example with OCRmyPDF) and upload the result.", "file",
            )
        return Document(format="pdf", text="".join(text_parts), lines=lines, pages=count)
    finally:
        pdf.close()


def _pdf_page_lines(page, number: int, raw) -> tuple[list[Line], int]:
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return [], 0
        text = textpage.get_text_range(0, count)
        height = page.get_height() or 1.0
        width = page.get_width() or 1.0
        handle = textpage.raw
        lines: list[Line] = []
        last_bottom = None
        last_size = None
        index = 0
        pieces = []  # (offset of the printed line in the page's text, its text)
        for chunk in text.split("\n"):
            stripped = chunk.rstrip("\r")
            pieces += _printed_lines(textpage, index, stripped, count)
            index += len(chunk) + 1
        for begin, stripped in pieces:
            body = stripped.strip()
            if not body:
                continue
            first = begin + (len(stripped) - len(stripped.lstrip()))
            size = raw.FPDFText_GetFontSize(handle, first) if first < count else None
            weight = raw.FPDFText_GetFontWeight(handle, first) if first < count else -1
            bold = weight >= 600 if weight and weight > 0 else False
            if not bold:
                bold = _font_is_bold(raw, handle, first)
            box = textpage.get_charbox(first) if first < count else None
            last = begin + len(stripped.rstrip()) - 1
            end_box = textpage.get_charbox(last) if 0 <= last < count else None
            loose = textpage.get_charbox(first, loose=True) if first < count else None
            top = 1 - (box[3] / height) if box else None
            bottom = 1 - (box[1] / height) if box else None
            gap_before = False
            if last_bottom is not None and top is not None and last_size:
                # a gap, or a jump back up the page (the next column begins)
                gap_before = (top - last_bottom) * height > 0.9 * last_size or top < last_bottom - 0.02
            body = body.replace("\ufffe", "-")  # PDFium's mark of a word broken at the end of a line
            lines.append(Line(text=" ".join(body.split()), page=number, size=round(size, 1) if size else None,
                              bold=bold, top=top, blank_before=gap_before or not lines,
                              left=box[0] / width if box else None, right=end_box[2] / width if end_box else None,
                              bottom=1 - (loose[1] / height) if loose else None))
            last_bottom, last_size = bottom, size
        return _with_tables(textpage, raw, handle, height, number, lines), count
    finally:
        textpage.close()


def _printed_lines(textpage, begin: int, chunk: str, count: int) -> list[tuple[int, str]]:
    """A line of PDFium's text as the printed lines it holds: PDFium joins a line that ends with a broken
    word to the next one, marking the break with U+FFFE; the line is cut there again when what follows
    the mark sits lower on the page."""
    out, start = [], 0
    for k, ch in enumerate(chunk):
        if ch != "\ufffe" or k + 1 >= len(chunk.rstrip()) or begin + k + 1 >= count:
            continue
        here, after = textpage.get_charbox(begin + k, loose=True), textpage.get_charbox(begin + k + 1, loose=True)
        if after[3] <= here[1]:  # the next character's top is below this one's bottom: a new printed line
            out.append((begin + start, chunk[start:k + 1]))
            start = k + 1
    out.append((begin + start, chunk[start:]))
    return out


def _with_tables(textpage, raw, handle, height: float, number: int, lines: list[Line]) -> list[Line]:
    """Replace the lines of a table on this page by one line per row (see pdftables)."""
    from . import pdftables

    def style(x: float, y: float):
        index = raw.FPDFText_GetCharIndexAtPos(handle, x, y, 2.0, 2.0)
        if index < 0:
            return None, False
        weight = raw.FPDFText_GetFontWeight(handle, index)
        bold = bool(weight and weight >= 600) or _font_is_bold(raw, handle, index)
        return raw.FPDFText_GetFontSize(handle, index), bold

    if textpage.count_rects() < 12:
        return lines
    found = pdftables.read_table(pdftables.page_runs(textpage, height, style))
    if not found:
        return lines
    top, bottom, rows = found
    inside = [i for i, line in enumerate(lines) if line.top is not None and top - 1 <= line.top * height <= bottom + 1]
    if not inside:
        return lines
    table_lines = []
    for row in rows:
        text, details = pdftables.row_lines(row)
        first_run = next(run for cell in row.cells for run in cell)
        table_lines.append(Line(text=text, page=number, size=round(first_run.size, 1), bold=row.group,
                                top=row.top / height, blank_before=True))
        if details:
            table_lines.append(Line(text=details, page=number, size=round(first_run.size, 1), bold=False,
                                    top=row.top / height, blank_before=False))
    return lines[:inside[0]] + table_lines + [line for line in lines[inside[0]:] if not (
        line.top is not None and top - 1 <= line.top * height <= bottom + 1)]


def _font_is_bold(raw, handle, index: int) -> bool:
    import ctypes

    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int(0)
    length = raw.FPDFText_GetFontInfo(handle, index, buffer, 128, ctypes.byref(flags))
    name = buffer.value.decode("latin-1", "replace") if length else ""
    return bool(re.search(r"bold|black|heavy|semibold", name, re.I))


def unescape_markdown(text: str) -> str:
    return html.unescape(re.sub(r"\\([\\`*_{}\[\]()#+\-.!$\"'])", r"\1", text))
