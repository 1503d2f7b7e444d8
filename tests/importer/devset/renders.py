"""More two-column layouts for the development documents, beside testset/renders.py's.

    two_column_justified_pdf(text)  a magazine setting: serif type, justified lines with automatic
                                    hyphenation (so words break at the column edge), a running header
                                    with the newsletter's name on the left and the page on the right,
                                    and a disclaimer in the footer of every page;
    two_column_a5_pdf(text)         a booklet: small pages in two columns, so that a document runs over
                                    several pages and items break across columns and pages; the
                                    booklet's name and the page number at the top of every page.

bench/import_eval.py calls these for label files that say "render": "two-column-justified-pdf" (or
"two-column-a5-pdf"). Written
for issue 17's development set, to look at what a two-column PDF does to the importer without the test
split. Run directly to write a PDF for a look:
    .venv/bin/python tests/importer/devset/renders.py SOURCE OUT.pdf [two-column-justified-pdf|two-column-a5-pdf]
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("test_renders", Path(__file__).resolve().parent.parent / "testset"
                                               / "renders.py")
_base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_base)

_WORDS = {
    "fr": r"\b(le|la|les|des|du|et|pour|sur)\b",
    "es": r"\b(el|los|las|del|y|para|sobre|en)\b",
    "pt": r"\b(o|os|as|do|da|dos|e|para|sobre|em)\b",
    "en": r"\b(the|of|and|for|on|in|to)\b",
}


def _language(text: str) -> str:
    counts = {lang: len(re.findall(words, text.lower())) for lang, words in _WORDS.items()}
    return max(counts, key=counts.get)


_JUSTIFIED = """
@page { size: A4; margin: 2.4cm 2cm 2.2cm 2cm;
  @top-left { content: "Network Newsletter"; font: italic 8.5pt 'DejaVu Serif'; }
  @top-right { content: counter(page); font: 8.5pt 'DejaVu Serif'; }
  @bottom-center { content: "Views expressed are those of the contributors."; font: 7.5pt 'DejaVu Serif'; } }
body { font: 10.5pt/1.3 'DejaVu Serif'; columns: 2; column-gap: 0.8cm; text-align: justify;
  hyphens: auto; }
p { margin: 0 0 6pt 0; }
"""


def two_column_justified_pdf(text: str) -> bytes:
    import weasyprint

    page = _base._html(text, _JUSTIFIED).replace("<html>", f"<html lang='{_language(text)}'>", 1)
    return weasyprint.HTML(string=page).write_pdf()


_A5 = """
@page { size: A5; margin: 1.6cm 1.3cm 1.5cm 1.3cm;
  @top-left { content: "Network calendar"; font: 7.5pt 'DejaVu Sans'; }
  @top-right { content: "p. " counter(page); font: 7.5pt 'DejaVu Sans'; } }
body { font: 9pt/1.3 'Liberation Sans'; columns: 2; column-gap: 0.6cm; }
p { margin: 0 0 5pt 0; }
"""


def two_column_a5_pdf(text: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=_base._html(text, _A5)).write_pdf()


RENDERS = {"two-column-justified-pdf": two_column_justified_pdf, "two-column-a5-pdf": two_column_a5_pdf}


if __name__ == "__main__":
    source, out = sys.argv[1], sys.argv[2]
    kind = sys.argv[3] if len(sys.argv) > 3 else "two-column-justified-pdf"
    open(out, "wb").write(RENDERS[kind](open(source, encoding="utf-8").read()))
