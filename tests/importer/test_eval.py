"""The importer against the labelled corpus (tests/importer/corpus), held to the aims of the import issue.

`bench/import_eval.py` prints the same figures as a table; this test fails when they drop below the aims."""

import argparse
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def evaluate(corpus: Path | None = None) -> dict:
    spec = importlib.util.spec_from_file_location("import_eval", ROOT / "bench" / "import_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.to_json(module.run(argparse.Namespace(corpus=str(corpus or module.CORPUS))))


@pytest.fixture(scope="module")
def report():
    return evaluate()


def document(report, name):
    return next(d for d in report["documents"] if d["document"] == name)


def test_across_the_set_nine_in_ten_items_and_dates(report):
    overall = report["overall"]
    assert overall["recall"] >= 0.9, overall
    assert overall["precision"] >= 0.9, overall
    assert overall["dates_accuracy"] >= 0.9, overall
    for doc in report["documents"]:
        assert "error" not in doc, doc.get("error")


@pytest.mark.parametrize("name", ["calendar-list", "monthly-bulletin", "quarterly-note", "two-column",
                                  "two-column-html", "markdown-export", "bulletin-print", "bulletin-print-html"])
def test_each_own_document_reaches_the_aim(report, name):
    doc = document(report, name)
    assert doc["recall"] >= 0.9 and doc["precision"] >= 0.9, (doc["missed"], doc["spurious"])
    assert doc["dates_accuracy"] >= 0.85, doc["mismatches"]
    assert doc["period"]["predicted"] == doc["period"]["expected"]


def test_the_sample_every_item_no_boilerplate_and_dates(report):
    doc = document(report, "sample-2020-q4")
    if "skipped" in doc:
        pytest.skip(f"the sample newsletter is not beside the clone: {doc['skipped']}")
    assert doc["recall"] == 1.0, doc["missed"]
    assert doc["precision"] == 1.0, doc["spurious"]
    assert doc["dates_accuracy"] >= 0.95, doc["mismatches"]
    assert doc["period"]["predicted"] == {"start": "2020-10-01", "end": "2020-12-31",
                                          "label": "October - November - December 2020"}


def test_held_out_documents_do_not_slip():
    """tests/importer/heldout was written by someone who had not read the extractor's rules. Its first
    measurement was 36% of items found; this keeps the ground gained since from being lost."""
    overall = evaluate(ROOT / "tests" / "importer" / "heldout")["overall"]
    assert overall["recall"] >= 0.9 and overall["precision"] >= 0.85, overall
    assert overall["dates_accuracy"] >= 0.8, overall
