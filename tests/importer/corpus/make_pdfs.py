"""Build the PDF documents of the importer evaluation corpus.

Run from the repository root:

    .venv/bin/python tests/importer/corpus/make_pdfs.py

Writes, next to this script:

- two-column.pdf      from two-column.html (two CSS columns, running header and "Page N" footer)
- bulletin-print.pdf  from bulletin-print.html (single column, running footer with a disclaimer)
- no-text-layer.pdf   page 1 of two-column.pdf as a picture only: no extractable text
- damaged.pdf         the first 60% of the bytes of bulletin-print.pdf (truncated file)
- empty.txt           whitespace only
- encrypted.pdf       two-column.pdf encrypted with user password "user" and owner password
                      "owner" (AES-256), only when the `qpdf` command is installed

Fonts: two-column.html uses the Noto fonts bundled in partnerpost/editions/static/editions/fonts,
bulletin-print.html uses the DejaVu fonts of the system; nothing is fetched from the network.
The output is deterministic enough to commit; rerun the script after editing either HTML file.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def html_to_pdf(name: str) -> Path:
    import weasyprint

    source, target = HERE / f"{name}.html", HERE / f"{name}.pdf"
    weasyprint.HTML(filename=str(source), base_url=str(HERE)).write_pdf(str(target))
    return target


def image_only_pdf(source: Path, target: Path) -> None:
    """Render page 1 of `source` to a greyscale JPEG and wrap it, alone, into a new PDF."""
    import pypdfium2 as pdfium
    import weasyprint

    document = pdfium.PdfDocument(str(source))
    try:
        image = document[0].render(scale=1.6).to_pil().convert("L")
    finally:
        document.close()
    with tempfile.TemporaryDirectory() as tmp:
        picture = Path(tmp) / "page.jpg"
        image.save(picture, quality=60)
        html = (
            "<!DOCTYPE html><html><head><style>@page { size: A4; margin: 0 }"
            " body { margin: 0 } img { width: 210mm; height: 297mm; display: block }</style></head>"
            f'<body><img src="{picture.name}" alt=""></body></html>'
        )
        weasyprint.HTML(string=html, base_url=tmp).write_pdf(str(target))


def truncated_copy(source: Path, target: Path, fraction: float = 0.6) -> None:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])


def encrypted_copy(source: Path, target: Path) -> bool:
    qpdf = shutil.which("qpdf")
    if not qpdf:
        return False
    subprocess.run([qpdf, "--encrypt", "user", "owner", "256", "--", str(source), str(target)], check=True)
    return True


def page_text(path: Path) -> tuple[int, int]:
    """(pages, characters of extractable text) of a PDF, read with pypdfium2."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        chars = 0
        for page in document:
            chars += len(page.get_textpage().get_text_range().strip())
        return len(document), chars
    finally:
        document.close()


def main() -> int:
    two_column = html_to_pdf("two-column")
    bulletin = html_to_pdf("bulletin-print")
    image_only_pdf(two_column, HERE / "no-text-layer.pdf")
    truncated_copy(bulletin, HERE / "damaged.pdf")
    (HERE / "empty.txt").write_text("  \n\n\t  \n \n", encoding="utf-8")
    encrypted = encrypted_copy(two_column, HERE / "encrypted.pdf")

    for name in ("two-column.pdf", "bulletin-print.pdf", "no-text-layer.pdf"):
        path = HERE / name
        pages, chars = page_text(path)
        print(f"{name:20} {path.stat().st_size / 1024:6.1f} KB  {pages} pages  {chars} characters of text")
    print(f"{'damaged.pdf':20} {(HERE / 'damaged.pdf').stat().st_size / 1024:6.1f} KB  (truncated)")
    print(f"{'empty.txt':20} whitespace only")
    if encrypted:
        print(f"{'encrypted.pdf':20} {(HERE / 'encrypted.pdf').stat().st_size / 1024:6.1f} KB  (user password 'user')")
    else:
        print("encrypted.pdf        not made: the qpdf command is not installed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
