"""Reading files: every kind of file the importer refuses, refused with a message that says what to do."""

from pathlib import Path

import pytest

from partnerpost.importer.reading import Rejected, decode_text, html_to_markdown, read

CORPUS = Path(__file__).parent / "corpus"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@pytest.mark.parametrize(
    "name, data, kwargs, field, words",
    [
        ("scan.pdf", corpus("no-text-layer.pdf"), {}, "file", ["no text layer", "OCR"]),
        ("locked.pdf", corpus("encrypted.pdf"), {}, "file", ["encrypted", "password"]),
        ("cut.pdf", corpus("damaged.pdf"), {}, "file", ["damaged"]),
        ("big.pdf", corpus("bulletin-print.pdf"), {"max_bytes": 1000}, "file", ["limit is 1000 bytes", "Split"]),
        ("long.pdf", corpus("bulletin-print.pdf"), {"max_pages": 2}, "pages", ["5 pages", "limit is 2"]),
        ("empty.txt", corpus("empty.txt"), {}, "file", ["empty"]),
        ("nothing.md", b"", {}, "file", ["empty"]),
        ("binary.txt", bytes(range(256)) * 40, {}, "encoding", []),
        ("wide.txt", "Newsletter de prueba con acentos: gestión pública".encode("utf-32-le"), {}, "encoding", []),
        ("report.docx", b"PK\x03\x04 not really a zip", {}, "file", ["not a file type"]),
    ],
)
def test_bad_files_are_refused_with_a_message(name, data, kwargs, field, words):
    with pytest.raises(Rejected) as caught:
        read(data, name, **kwargs)
    assert caught.value.field == field
    for word in words:
        assert word.lower() in str(caught.value).lower()


def test_common_encodings_are_read():
    spanish = "Taller virtual de innovación en la gestión pública. Fecha límite: 13 de noviembre."
    assert decode_text(spanish.encode("cp1252")) == spanish
    assert decode_text(spanish.encode("utf-8-sig")) == spanish
    assert decode_text(spanish.encode("utf-16")) == spanish
    assert decode_text(b"one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_pdf_lines_carry_page_size_and_weight():
    doc = read(corpus("bulletin-print.pdf"), "bulletin-print.pdf")
    assert doc.format == "pdf" and doc.pages == 5
    assert {line.page for line in doc.lines} == {1, 2, 3, 4, 5}
    sizes = sorted({line.size for line in doc.lines if line.size})
    assert len(sizes) >= 2  # headings are set larger than body text
    assert any(line.bold for line in doc.lines)
    for line in doc.lines[:40]:
        assert doc.text[line.start:line.end] == line.text


def test_text_offsets_point_into_the_source():
    text = "# Title\n\nFirst paragraph\nsecond line\n\n\fPage two\n"
    doc = read(text.encode(), "n.md")
    assert [(line.text, line.page, line.heading) for line in doc.lines] == [
        ("Title", 1, 1), ("First paragraph", 1, 0), ("second line", 1, 0), ("Page two", 2, 0)]
    for line in doc.lines:
        assert line.text in doc.text[line.start:line.end]


def test_html_becomes_markdown_with_links_and_headings():
    html = ("<html><head><title>x</title><style>p{}</style></head><body><h2>ICAP <em>Events</em></h2>"
            "<p>Read <a href='https://icap.ac.cr/'>the site</a> or <a href='#'>here</a>.</p>"
            "<ul><li>One</li><li>Two</li></ul><script>alert(1)</script></body></html>")
    md = html_to_markdown(html)
    assert "## ICAP Events" in md
    assert "[the site](https://icap.ac.cr/)" in md and "[here](#)" in md
    assert "- One" in md and "- Two" in md
    assert "alert" not in md and "p{}" not in md


def test_pdf_table_rows_are_read_row_by_row():
    doc = read((Path(__file__).parent / "heldout" / "table-bulletin.pdf").read_bytes(), "table-bulletin.pdf")
    texts = [line.text for line in doc.lines]
    assert ("12–14 Sep 2017 · Regional Conference on Better Regulation in the Western Balkans · "
            "Danilovgrad, Montenegro (ReSPA campus) · ReSPA, OECD/SIGMA") in texts
    group = next(line for line in doc.lines if line.text.startswith("NISPAcee – Network"))
    assert group.bold and group.text.endswith("Central and Eastern Europe")  # wrapped label joined
    assert "Date Event Venue Organizer" not in texts
