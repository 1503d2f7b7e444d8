"""The learned layout reader, the PDF fallback without typographic cues, and the evaluation split."""

import importlib.util
import json
from pathlib import Path

import pytest

from partnerpost.importer.learning import LABELS
from partnerpost.importer.learning.assemble import assemble, dates_come_first
from partnerpost.importer.learning.model import MODEL_PATH, label_lines
from partnerpost.importer.learning.synth import TEMPLATES, as_text, newsletter
from partnerpost.importer.parsing import PartnerIndex
from partnerpost.importer.pipeline import as_paragraphs, extract, has_typographic_cues
from partnerpost.importer.reading import Line, read

HERE = Path(__file__).resolve().parent
PARTNERS = [{"acronym": "ICAP", "name": "Instituto Centroamericano de Administración Pública"},
            {"acronym": "EROPA", "name": "Eastern Regional Organization for Public Administration"}]


def renders():
    spec = importlib.util.spec_from_file_location("renders", HERE / "testset" / "renders.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lines(*rows):
    """Lines from (text, blank_before) pairs."""
    out, at = [], 0
    for text, blank in rows:
        out.append(Line(text=text, page=1, start=at, end=at + len(text), blank_before=blank))
        at += len(text) + 1
    return out


def test_assemble_gives_each_date_line_to_the_title_after_it_when_dates_come_first():
    rows = lines(("3-5 May 2021", True), ("Workshop on open data", False), ("Lima, Peru", False),
                 ("12 May 2021", True), ("Webinar on public ethics", False))
    labels = ["date", "title", "place", "date", "title"]
    assert dates_come_first(labels) is True
    items = assemble(rows, labels, PartnerIndex.build(PARTNERS))
    assert [(i.title_block.raw, i.subtitle, [b.raw for b in i.body]) for i in items] == [
        ("Workshop on open data", "3-5 May 2021", ["Lima, Peru"]),
        ("Webinar on public ethics", "12 May 2021", []),
    ]


def test_assemble_gives_each_date_line_to_the_title_before_it_when_titles_come_first():
    rows = lines(("Workshop on open data", True), ("3-5 May 2021", False), ("Webinar on public ethics", True),
                 ("12 May 2021", False), ("Open to all.", True))
    labels = ["title", "date", "title", "date", "body"]
    assert dates_come_first(labels) is False
    items = assemble(rows, labels, PartnerIndex.build(PARTNERS))
    assert [(i.title_block.raw, i.subtitle, [b.raw for b in i.body]) for i in items] == [
        ("Workshop on open data", "3-5 May 2021", []),
        ("Webinar on public ethics", "12 May 2021", ["Open to all."]),
    ]


def test_assemble_inherits_the_day_heading_and_reads_sections():
    rows = lines(("ICAP", True), ("Tuesday 4 May", True), ("10:00", True), ("Board meeting", False),
                 ("15:30", True), ("Signing of an agreement", False), ("Cartago", False))
    labels = ["heading", "heading", "date", "title", "date", "title", "place"]
    items = assemble(rows, labels, PartnerIndex.build(PARTNERS), year=2021)
    assert [(i.title_block.raw, i.subtitle, i.section) for i in items] == [
        ("Board meeting", "Tuesday 4 May 10:00", "ICAP"),
        ("Signing of an agreement", "Tuesday 4 May 15:30", "ICAP"),
    ]


AGENDA = """Agenda of the Director General
Week of 7 to 11 June 2021

Monday 7 June

09:30
Meeting with the heads of the regional schools
Tegucigalpa

Wednesday 9 June

11:00
Opening of the course on public procurement
Online

16:00
Interview with the press on the civil service reform
San José
"""


def test_extract_dates_agenda_items_from_their_day_headings_and_time_lines():
    result = extract(AGENDA.encode(), "agenda.txt", PARTNERS)
    got = [(i["title"], i["start"], i["time"]) for i in result["items"]]
    assert got == [
        ("Meeting with the heads of the regional schools", "2021-06-07", "09:30"),
        ("Opening of the course on public procurement", "2021-06-09", "11:00"),
        ("Interview with the press on the civil service reform", "2021-06-09", "16:00"),
    ]
    assert all(0 < i["confidence"]["title"] <= 1 for i in result["items"])
    rules_only = extract(AGENDA.encode(), "agenda.txt", PARTNERS, use_model="rules")
    # the rules alone take the masthead for the one item and the agenda for its text
    assert [i["title"] for i in rules_only["items"]] == ["Agenda of the Director General"]


def test_label_lines_uses_the_known_labels_and_gives_probabilities():
    doc = read(AGENDA.encode(), "agenda.txt")
    labels, sure = label_lines(doc.lines, 2021)
    assert len(labels) == len(doc.lines) == len(sure)
    assert set(labels) <= set(LABELS)
    assert all(0.0 <= p <= 1.0 for p in sure)
    assert labels[doc.lines.index(next(x for x in doc.lines if x.text == "09:30"))] == "date"


def test_generator_is_seeded_and_labels_every_line():
    import random

    for template in TEMPLATES:
        for lang in ("en", "fr", "es", "pt"):
            first, _ = newsletter(random.Random(5), template, lang)
            again, _ = newsletter(random.Random(5), template, lang)
            assert first == again
            assert {label for _t, label, _b, _h in first} <= set(LABELS)
            assert any(label == "title" for _t, label, _b, _h in first), (template, lang)
    text = as_text(newsletter(random.Random(1), "agenda", "fr")[0])
    assert text.count("\n\n") >= 4


CALENDAR = """Calendar of courses, second half of 2019

Our partners' open courses for the coming months. Fees and enrolment rules are on each course page.

2-6 September 2019
Course on Strategic Planning in Local Government
Tegucigalpa, Honduras

23 September 2019
Webinar on the Ethics of Algorithms in Public Services
Online

14-18 October 2019
Regional Seminar on Merit Systems and Civil Service Careers
San Salvador, El Salvador

4-8 November 2019
Diploma Course on Results-Based Management
Panama City

2 December 2019
Launch of the Yearbook of Central American Public Administration
Guatemala City

Enquiries: courses@example.org
"""


def _items(result):
    return [(i["title"], i["start"], i["end"]) for i in result["items"]]


@pytest.mark.parametrize("kind", ["plain-pdf", "two-column-pdf"])
def test_a_pdf_without_typographic_cues_reads_like_its_text(kind):
    pdf = renders().RENDERS[kind](CALENDAR)
    as_pdf = extract(pdf, "calendar.pdf", PARTNERS)
    as_text_result = extract(CALENDAR.encode(), "calendar.txt", PARTNERS)
    assert as_pdf["document"]["format"] == "pdf" and as_pdf["document"]["method"] == "text"
    assert _items(as_pdf) == _items(as_text_result)
    assert [(t, a) for t, a, _b in _items(as_pdf)] == [
        ("Course on Strategic Planning in Local Government", "2019-09-02"),
        ("Webinar on the Ethics of Algorithms in Public Services", "2019-09-23"),
        ("Regional Seminar on Merit Systems and Civil Service Careers", "2019-10-14"),
        ("Diploma Course on Results-Based Management", "2019-11-04"),
        ("Launch of the Yearbook of Central American Public Administration", "2019-12-02"),
    ]


def test_typographic_cues_are_told_apart():
    plain = read(renders().plain_pdf(CALENDAR), "c.pdf")
    assert has_typographic_cues(plain.lines) is False
    designed = read((HERE / "corpus" / "bulletin-print.pdf").read_bytes(), "bulletin-print.pdf")
    assert has_typographic_cues(designed.lines) is True
    result = extract((HERE / "corpus" / "bulletin-print.pdf").read_bytes(), "bulletin-print.pdf", PARTNERS)
    assert result["document"]["method"] == "layout"


def test_as_paragraphs_joins_wrapped_lines_and_hyphenation():
    rows = lines(("Regional Symposium on Digital Govern-", True), ("ment and Resilient Recovery", False),
                 ("Held online.", True))
    joined = as_paragraphs(rows)
    assert [line.text for line in joined] == ["Regional Symposium on Digital Government and Resilient Recovery",
                                              "Held online."]
    assert (joined[0].start, joined[0].end) == (rows[0].start, rows[1].end)


def test_split_file_names_every_labelled_document_once_and_each_source_in_one_split():
    split = json.loads((HERE / "split.json").read_text(encoding="utf-8"))
    listed = [doc for entry in split["sources"].values() for doc in entry["documents"]]
    assert len(listed) == len(set(listed))
    on_disk = sorted(f"{p.parent.name}/{p.name[: -len('.expected.json')]}"
                     for folder in ("corpus", "heldout", "devset", "testset") for p in (HERE / folder).glob("*.expected.json"))
    assert sorted(listed) == on_disk
    assert {entry["split"] for entry in split["sources"].values()} == {"train", "test"}


def test_shipped_model_is_small():
    assert MODEL_PATH.exists() and MODEL_PATH.stat().st_size < 500_000
