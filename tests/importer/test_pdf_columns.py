"""PDFs without typographic cues set in two columns read like their text (issue 17): reading order, lines
wrapped at the column edge joined, paragraph gaps measured from the baselines, page furniture left out.
The documents are the development set's (tests/importer/devset), never the test split's."""

import importlib.util
from pathlib import Path

import pytest

from partnerpost.importer.pipeline import _page_furniture, _paragraph_gaps, as_paragraphs, extract, order_columns
from partnerpost.importer.reading import Line

DEVSET = Path(__file__).resolve().parent / "devset"


def devset_renders():
    renders = {}
    for folder in ("testset", "devset"):
        spec = importlib.util.spec_from_file_location(f"{folder}_renders", DEVSET.parent / folder / "renders.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        renders.update(module.RENDERS)
    return renders


def placed(*rows, page=1):
    """Lines of a column from (text, top, left, right, blank_before): bottoms 0.012 below their tops."""
    out, at = [], 0
    for text, top, left, right, blank in rows:
        out.append(Line(text=text, page=page, start=at, end=at + len(text), blank_before=blank, top=top,
                        bottom=top + 0.012, left=left, right=right))
        at += len(text) + 1
    return out


def _titles_and_dates(result):
    """The dated items (a masthead read as an undated item or as one dated by the period is left aside)."""
    return [(item["title"], item["start"], item["end"]) for item in result["items"]
            if item["start"] and (result["period"] is None or (item["start"], item["end"]) != (
                result["period"]["start"], result["period"]["end"]))]


@pytest.mark.parametrize("kind", ["two-column-pdf", "two-column-justified-pdf", "two-column-a5-pdf"])
def test_a_two_column_calendar_reads_like_its_text(kind):
    text = (DEVSET / "meetings-calendar-en.txt").read_text(encoding="utf-8")
    as_text = extract(text.encode(), "calendar.txt")
    as_pdf = extract(devset_renders()[kind](text), "calendar.pdf")
    assert as_pdf["document"]["method"] == "text"
    # the same items with the same dates; a title in title case may carry the short line after it (a place)
    # or the rules may read a date line into it
    # when that line would not have fitted at its end: nothing in the PDF tells the two apart
    pdf, txt = _titles_and_dates(as_pdf), _titles_and_dates(as_text)
    assert len(pdf) == len(txt) == 11
    assert [p[1:] for p in pdf] == [t[1:] for t in txt]
    assert sum(t[0] in p[0] for p, t in zip(pdf, txt)) >= 9
    # the title cut by the column break is whole, and so is the hyphenated one
    titles = [title for title, _s, _e in pdf]
    assert any(t.startswith("High-Level Dialogue on Trust in Public Institutions in Post-Conflict Settings")
               for t in titles)
    assert "Regional Training of Trainers on Results-Based Management for Senior Officials of Line Ministries" in titles


def test_news_in_justified_hyphenated_columns_keep_headline_and_paragraph_apart():
    text = (DEVSET / "news-roundup-en.txt").read_text(encoding="utf-8")
    as_pdf = extract(devset_renders()["two-column-justified-pdf"](text), "news.pdf")
    assert _titles_and_dates(as_pdf) == _titles_and_dates(extract(text.encode(), "news.txt"))
    assert ("Civil Service Commission opens new regional training centre", "2023-10-05", "2023-10-05") in \
        _titles_and_dates(as_pdf)


def test_a_capital_after_a_full_line_starts_a_new_line_unless_the_line_runs_on():
    rows = placed(("Regional workshop on performance contracts", 0.30, 0.52, 0.90, True),
                  ("A regional workshop on performance", 0.315, 0.52, 0.83, False),
                  ("Dialogue on Trust in Public Institutions", 0.33, 0.52, 0.90, True),
                  ("Institutions in Post-Conflict Settings", 0.345, 0.52, 0.80, False),
                  ("Officials of the Ministry of", 0.36, 0.52, 0.89, True),
                  ("Finance and Planning", 0.375, 0.52, 0.70, False))
    assert [line.text for line in as_paragraphs(rows)] == [
        "Regional workshop on performance contracts", "A regional workshop on performance",
        "Dialogue on Trust in Public Institutions Institutions in Post-Conflict Settings",
        "Officials of the Ministry of Finance and Planning"]


def test_date_lines_are_never_joined_but_a_date_cut_by_the_edge_is():
    rows = placed(("Jueves 18 de mayo de 2023, 16:30 h", 0.30, 0.52, 0.88, True),
                  ("Presentación del estudio comparado", 0.315, 0.52, 0.80, False),
                  ("The agreement was signed in Accra on 12", 0.40, 0.52, 0.90, True),
                  ("October 2023.", 0.415, 0.52, 0.62, False))
    assert [line.text for line in as_paragraphs(rows)] == [
        "Jueves 18 de mayo de 2023, 16:30 h", "Presentación del estudio comparado",
        "The agreement was signed in Accra on 12 October 2023."]


@pytest.mark.parametrize("hyphen", ["-", "\u2010", "\u00ad", "\ufffe"])
def test_every_kind_of_line_end_hyphen_is_undone(hyphen):
    rows = placed((f"Civil Service Commission opens new re{hyphen}", 0.30, 0.1, 0.48, True),
                  ("gional training centre", 0.315, 0.1, 0.30, False),
                  (f"Results{hyphen}", 0.33, 0.1, 0.48, True), ("Based Management", 0.345, 0.1, 0.3, False))
    assert [line.text for line in as_paragraphs(rows)] == [
        "Civil Service Commission opens new regional training centre", "Results-Based Management"]


def test_paragraph_gaps_come_from_the_baselines():
    tops = [0.100, 0.115, 0.130, 0.152, 0.167, 0.182, 0.204]  # 0.015 a line, 0.022 across a gap
    rows = [Line(text=f"line {k}", page=1, top=t, bottom=t + 0.012, blank_before=k == 0) for k, t in enumerate(tops)]
    assert [line.blank_before for line in _paragraph_gaps(rows)] == [True, False, False, True, False, False, True]


def test_a_title_cut_by_the_column_break_is_joined_and_a_date_line_keeps_its_title():
    left = placed(("3 March 2025", 0.10, 0.08, 0.2, True), ("Workshop on Public Ethics", 0.115, 0.08, 0.3, False),
                  ("Geneva", 0.13, 0.08, 0.14, False), ("10 March 2025", 0.152, 0.08, 0.2, True),
                  ("High-Level Dialogue on Trust in Public", 0.167, 0.08, 0.47, False))
    right = placed(("Institutions in Post-Conflict Settings", 0.10, 0.53, 0.75, False),
                   ("Nairobi, Kenya", 0.115, 0.53, 0.65, False), ("17 March 2025", 0.137, 0.53, 0.65, True),
                   ("Round Table on Administrative Law", 0.152, 0.53, 0.75, False),
                   ("Online", 0.167, 0.53, 0.6, False), ("24 March 2025", 0.189, 0.53, 0.65, True))
    next_page = placed(("Summer Academy on Strategic Foresight", 0.10, 0.08, 0.5, True),
                       ("Singapore", 0.115, 0.08, 0.2, False), page=2)
    read = as_paragraphs(order_columns(left + right + next_page))
    assert [(line.text, line.blank_before) for line in read] == [
        ("3 March 2025", True), ("Workshop on Public Ethics", False), ("Geneva", False),
        ("10 March 2025", True), ("High-Level Dialogue on Trust in Public Institutions in Post-Conflict Settings", False),
        ("Nairobi, Kenya", False), ("17 March 2025", True), ("Round Table on Administrative Law", False),
        ("Online", False), ("24 March 2025", True),
        ("Summer Academy on Strategic Foresight", False),  # the date line's title, over the page
        ("Singapore", False)]


def test_running_header_in_the_top_margin_is_left_out():
    body = [(f"Body line {k}", 0.1 + 0.015 * k, 0.1, 0.5, k == 0) for k in range(8)]
    rows = placed(*body, ("Calendar of meetings and events", 0.03, 0.35, 0.65, True))
    furniture = _page_furniture({1: rows})
    assert {line.text for line in rows if id(line) in furniture} == {"Calendar of meetings and events"}
    assert "Calendar of meetings and events" not in [line.text for line in order_columns(rows)]
