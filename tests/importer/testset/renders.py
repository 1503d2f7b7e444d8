"""Render a text or Markdown newsletter as a PDF, the way other tools would, for the evaluation.

    plain_pdf(text)       a word processor's "save as PDF": one font, titles at body size and weight,
                          a disclaimer repeated in the footer of every page, page numbers;
    two_column_pdf(text)  the same text in two columns with a running header between the margins.

bench/import_eval.py calls these for label files that say "render": "plain-pdf" or "two-column-pdf",
so that the PDF and the text of one document are scored on the same labels. Run directly to write the
PDFs for a look:  .venv/bin/python tests/importer/testset/renders.py SOURCE OUT.pdf [plain|two-column]
"""

from __future__ import annotations

import html
import re
import sys

DISCLAIMER = "The opinions in this newsletter belong to their authors, not to the organisations named."


def _paragraphs(text: str) -> list[list[str]]:
    """Markdown or plain text as paragraphs (lists of lines, hard line breaks kept as a word processor keeps
    them): link syntax, emphasis and heading marks gone."""
    text = re.sub(r"!?\[((?:[^\[\]\\]|\\.)*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\\(.)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    paragraphs, current = [], []
    for line in text.splitlines():
        line = re.sub(r"^#{1,6}\s+", "", line.strip())
        if not line:
            if current:
                paragraphs.append(current)
                current = []
            continue
        if line.lower().startswith("disclaimer:"):
            continue  # the running footer repeats it on every page
        current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def _html(text: str, css: str) -> str:
    body = "\n".join("<p>" + "<br>".join(html.escape(line) for line in p) + "</p>" for p in _paragraphs(text))
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{css}</style></head><body>{body}</body></html>"


_PLAIN = f"""
@page {{ size: A4; margin: 2.2cm 2cm 2.5cm 2cm;
  @bottom-left {{ content: "Disclaimer: {DISCLAIMER}"; font: 8pt 'DejaVu Serif'; }}
  @bottom-right {{ content: counter(page); font: 8pt 'DejaVu Serif'; }} }}
body {{ font: 11pt/1.35 'DejaVu Serif'; }}
p {{ margin: 0 0 9pt 0; }}
"""

_TWO_COLUMNS = """
@page { size: A4; margin: 2cm 1.6cm;
  @top-center { content: "Calendar of meetings and events"; font: 9pt 'DejaVu Sans'; }
  @bottom-center { content: "Page " counter(page); font: 9pt 'DejaVu Sans'; } }
body { font: 10pt/1.3 'DejaVu Sans'; columns: 2; column-gap: 1cm; }
p { margin: 0 0 7pt 0; }
"""


def plain_pdf(text: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=_html(text, _PLAIN)).write_pdf()


def two_column_pdf(text: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=_html(text, _TWO_COLUMNS)).write_pdf()


RENDERS = {"plain-pdf": plain_pdf, "two-column-pdf": two_column_pdf}


if __name__ == "__main__":
    source, out = sys.argv[1], sys.argv[2]
    kind = sys.argv[3] if len(sys.argv) > 3 else "plain"
    data = (plain_pdf if kind == "plain" else two_column_pdf)(open(source, encoding="utf-8").read())
    open(out, "wb").write(data)
