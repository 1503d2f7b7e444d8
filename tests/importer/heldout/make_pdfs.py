"""Build the PDF of the held-out importer corpus from its HTML source.

Run from the repository root:

    .venv/bin/python tests/importer/heldout/make_pdfs.py

Renders table-bulletin.html to table-bulletin.pdf with WeasyPrint (system DejaVu fonts, so no
network access is needed; the running header and the "Page N of M" footer are CSS @page margin
boxes and so appear on every page). Afterwards it prints the number of pages and of extractable
characters of the PDF, read back with pypdfium2. With --png DIR it also renders every page to
DIR/table-bulletin-pN.png to check the layout by eye.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCUMENTS = ["table-bulletin"]


def build(name: str) -> Path:
    from weasyprint import HTML

    source = HERE / f"{name}.html"
    target = HERE / f"{name}.pdf"
    HTML(filename=str(source), base_url=str(HERE)).write_pdf(str(target))
    return target


def report(pdf: Path, png_dir: Path | None) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    chars = 0
    for index in range(len(doc)):
        page = doc[index]
        chars += len(page.get_textpage().get_text_range())
        if png_dir is not None:
            png_dir.mkdir(parents=True, exist_ok=True)
            page.render(scale=1.5).to_pil().save(png_dir / f"{pdf.stem}-p{index + 1}.png")
    print(f"{pdf.name}: {len(doc)} pages, {chars} extractable characters")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--png", type=Path, default=None, help="also render every page to PNG in this directory")
    args = parser.parse_args()
    for name in DOCUMENTS:
        report(build(name), args.png)


if __name__ == "__main__":
    main()
