"""The editors' import screens and the CLI: who may use them, what they write, and what they refuse."""

import io
from pathlib import Path
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from partnerpost.content.enums import AuditAction, ItemState
from partnerpost.content.models import AuditEntry, Item
from partnerpost.importer.models import Decision, ImportBatch, ImportCandidate
from tests.factories import make_item

NEWSLETTER = """# Partner News — March 2021

## ICAP Events

### Virtual workshop on open government

ICAP held a virtual workshop on open government on 3 & 5 March 2021. Fee: USD 50.
Registration closes 1 March 2021. Details at https://icap.ac.cr/taller and [here](#).

### Regional forum on civil service reform

The forum took place in San José, Costa Rica from 24 to 26 March 2021. It was organized by ICAP in
collaboration with EROPA.
""".encode()


def upload(client, data=NEWSLETTER, name="partner-news.md", **extra):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(reverse("importer:imports"), {"file": handle, **extra})


@pytest.mark.parametrize("who, status", [
    ("icap_contributor", 403), ("icap_partner_editor", 403), ("outsider", 403), ("editor", 200)])
def test_only_secretariat_editors_import(client, people, who, status):
    client.force_login(getattr(people, who))
    assert client.get(reverse("importer:imports")).status_code == status
    assert upload(client).status_code in ((302,) if status == 200 else (403,))
    assert ImportBatch.objects.count() == (1 if status == 200 else 0)


def test_anonymous_is_sent_to_sign_in(client, people):
    response = client.get(reverse("importer:imports"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    batch = ImportBatch.objects.create(file_name="x.md", sha256="0" * 64, format="markdown")
    candidate = ImportCandidate.objects.create(batch=batch, position=0, data={"title": "T"})
    for url in (reverse("importer:review", args=[batch.pk]), reverse("importer:accept_all", args=[batch.pk]),
                reverse("importer:decide", args=[candidate.pk])):
        assert client.post(url, {"action": "drop"}).status_code == 302
    assert ImportCandidate.objects.get().decision == Decision.PENDING


def test_upload_finds_items_and_accepting_makes_drafts_with_provenance(client, people):
    client.force_login(people.editor)
    response = upload(client)
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("importer:review", args=[batch.pk])
    candidates = list(batch.candidates.all())
    assert [c.data["title"] for c in candidates] == [
        "Virtual workshop on open government", "Regional forum on civil service reform"]
    workshop, forum = candidates
    assert workshop.data["dates"] == ["2021-03-03", "2021-03-05"] and workshop.data["section"] == "ICAP"
    assert workshop.data["fee"] == "50" and workshop.data["currency"] == "USD"
    assert workshop.data["deadline"] == "2021-03-01"
    assert workshop.data["links"] == ["https://icap.ac.cr/taller"]
    assert forum.data["location"] == "San José, Costa Rica" and forum.data["organizers"] == ["ICAP", "EROPA"]
    assert "3 & 5 March 2021" in workshop.source_text

    page = client.get(reverse("importer:review", args=[batch.pk]))
    assert page.status_code == 200
    assert b"Virtual workshop on open government" in page.content and b"0 of 2 reviewed" in page.content

    prefix = f"c{workshop.pk}-"
    form = {prefix + k: v for k, v in {
        "title": "Virtual workshop on open government", "kind": "event", "section": "ICAP", "start": "2021-03-03",
        "end": "2021-03-05", "language": "en", "fee": "50", "currency": "USD", "deadline": "2021-03-01",
        "links": "https://icap.ac.cr/taller", "organizers": "ICAP", "online": "on", "summary": "Two mornings."}.items()}
    response = client.post(reverse("importer:decide", args=[workshop.pk]), {**form, "action": "accept"})
    assert response.status_code == 302
    item = Item.objects.get(title="Virtual workshop on open government")
    assert item.state == ItemState.DRAFT and item.partner == people.icap
    assert (item.start_date.isoformat(), item.end_date.isoformat()) == ("2021-03-03", "2021-03-05")
    assert sorted(d.date.day for d in item.days.all()) == [3, 5]
    assert item.fee_amount == 50 and item.enrolment_deadline.isoformat() == "2021-03-01"
    note = AuditEntry.objects.get(item=item, action=AuditAction.NOTE).note
    assert "partner-news.md" in note and "page 1" in note
    workshop.refresh_from_db()
    assert workshop.decision == Decision.ACCEPTED and workshop.item == item

    client.post(reverse("importer:accept_all", args=[batch.pk]))
    assert Item.objects.filter(state=ItemState.DRAFT).count() == 2
    assert not Item.objects.exclude(state=ItemState.DRAFT).exists()


def test_bad_corrections_name_the_field_and_change_nothing(client, people):
    client.force_login(people.editor)
    upload(client)
    candidate = ImportCandidate.objects.first()
    before = dict(candidate.data)
    prefix = f"c{candidate.pk}-"
    bad = {prefix + "title": "", prefix + "kind": "party", prefix + "start": "2021-03-05", prefix + "end": "2021-03-01",
           prefix + "links": "https://ok.example/\nnot a link", prefix + "fee": "-3", prefix + "language": "en",
           prefix + "timezone": "Mars/Olympus", "action": "accept"}
    response = client.post(reverse("importer:decide", args=[candidate.pk]), bad)
    assert response.status_code == 400
    text = response.content.decode()
    for message in ("This field is required.", "Select a valid choice", "The last day is before the first day.",
                    "Line 2 is not a web address", "greater than or equal to 0", "Write an offset such as UTC-06:00"):
        assert message in text, message
    candidate.refresh_from_db()
    assert candidate.data == before and candidate.decision == Decision.PENDING
    assert not Item.objects.exists()


def test_same_file_twice_creates_nothing_new_and_matches_are_offered_as_merge(client, people):
    client.force_login(people.editor)
    existing = make_item(people.icap, title="Regional forum on civil service reform",
                         start_date="2021-03-24", end_date="2021-03-26", kind="event")
    upload(client)
    response = upload(client)
    assert ImportBatch.objects.count() == 1 and ImportCandidate.objects.count() == 2
    assert response["Location"] == reverse("importer:review", args=[ImportBatch.objects.get().pk])
    forum = ImportCandidate.objects.get(data__title="Regional forum on civil service reform")
    assert forum.match == existing
    client.post(reverse("importer:decide", args=[forum.pk]), {"action": "merge"})
    forum.refresh_from_db()
    assert forum.decision == Decision.MERGED and forum.item == existing
    assert Item.objects.count() == 1


def test_drop_and_review_again(client, people):
    client.force_login(people.editor)
    upload(client)
    candidate = ImportCandidate.objects.first()
    client.post(reverse("importer:decide", args=[candidate.pk]), {"action": "drop"})
    candidate.refresh_from_db()
    assert candidate.decision == Decision.DROPPED
    response = client.post(reverse("importer:decide", args=[candidate.pk]), {"action": "accept"})
    assert response.status_code in (302, 400)
    assert not Item.objects.exists()
    client.post(reverse("importer:decide", args=[candidate.pk]), {"action": "reopen"})
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING


@pytest.mark.parametrize("data, name, message", [
    (b"%PDF-1.7\n%broken", "cut.pdf", "damaged"),
    (b"   \n\n ", "blank.txt", "empty"),
    (b"\x00\x01\x02\x03 data" * 200, "dump.txt", "binary data"),
    (bytes(range(128, 256)) * 20, "noise.txt", "Save the file as UTF-8"),
])
def test_rejected_uploads_show_the_reason_and_write_nothing(client, people, data, name, message):
    client.force_login(people.editor)
    response = upload(client, data, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists() and not ImportCandidate.objects.exists()


def test_cli_dry_run_json_writes_nothing(people, tmp_path):
    path = tmp_path / "partner-news.md"
    path.write_bytes(NEWSLETTER)
    out = io.StringIO()
    call_command("import-newsletter", str(path), "--dry-run", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["period"] == {"start": "2021-03-01", "end": "2021-03-31", "label": "March 2021"}
    first = result["items"][0]
    for key in ("title", "kind", "start", "end", "dates", "time", "timezone", "location", "online", "organizers",
                "links", "section", "language", "source"):
        assert key in first
    assert first["kind"] == "event" and first["start"] == "2021-03-03" and first["end"] == "2021-03-05"
    assert set(first["source"]) == {"page", "start", "end"}
    assert not ImportBatch.objects.exists() and not Item.objects.exists()


def test_cli_saves_for_review_once(people, tmp_path):
    path = tmp_path / "partner-news.md"
    path.write_bytes(NEWSLETTER)
    out = io.StringIO()
    call_command("import-newsletter", str(path), "--partner", "icap", stdout=out)
    assert "Saved as import #" in out.getvalue()
    batch = ImportBatch.objects.get()
    assert batch.partner == people.icap and batch.candidates.count() == 2
    out = io.StringIO()
    call_command("import-newsletter", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["duplicate_of"] == batch.pk
    assert ImportBatch.objects.count() == 1 and ImportCandidate.objects.count() == 2


@pytest.mark.parametrize("args, message", [
    (["missing.md"], "No such file"),
    (["{doc}", "--partner", "NOPE"], "--partner: no partner has the acronym 'NOPE'"),
    (["{bad}"], "damaged"),
])
def test_cli_errors(people, tmp_path, args, message):
    (tmp_path / "doc.md").write_bytes(NEWSLETTER)
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 truncated")
    args = [a.format(doc=tmp_path / "doc.md", bad=tmp_path / "bad.pdf") for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("import-newsletter", *args)
    assert not ImportBatch.objects.exists()


def test_size_and_page_limits_come_from_settings(client, people, settings):
    client.force_login(people.editor)
    pdf = (Path(__file__).parent / "corpus" / "bulletin-print.pdf").read_bytes()
    settings.IMPORT_MAX_PAGES = 2
    response = upload(client, pdf, "bulletin.pdf")
    assert response.status_code == 400 and "The PDF has 5 pages; the limit is 2." in response.content.decode()
    settings.IMPORT_MAX_PAGES = 300
    settings.IMPORT_MAX_BYTES = 1000
    response = upload(client, pdf, "bulletin.pdf")
    assert response.status_code == 400
    assert "The file is 31 KB; the limit is 1000 bytes. Split the newsletter into smaller files." in (
        response.content.decode())
    assert not ImportBatch.objects.exists()


def test_storing_and_correcting_an_import_need_a_secretariat_editor(people):
    from django.core.exceptions import PermissionDenied

    from partnerpost.importer import services
    from partnerpost.importer.models import ImportBatch, ImportCandidate

    text = b"# Partner News - March 2021\n\n## ICAP\n\n### Virtual workshop on open government\n\nICAP held a virtual workshop on 3 March 2021.\n"
    result = services.analyse(text, "news.md")
    for outsider in (people.icap_partner_editor, people.outsider):
        with pytest.raises(PermissionDenied):
            services.store(text, "news.md", result, user=outsider)
    assert not ImportBatch.objects.exists()
    batch = services.store(text, "news.md", result, user=people.editor)
    candidate = ImportCandidate.objects.filter(batch=batch).first()
    with pytest.raises(PermissionDenied):
        services.save_edits(candidate, {**candidate.data, "title": "Changed"}, people.icap_partner_editor)
    candidate.refresh_from_db()
    assert candidate.data["title"] == "Virtual workshop on open government"
