"""Review as the safety net: unsure fields marked for the editor, corrections kept as training examples."""

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from partnerpost.importer import services
from partnerpost.importer.learning.corpus import correction_sequences
from partnerpost.importer.models import Decision, ImportCandidate
from tests.importer.test_review import upload


def test_review_marks_the_fields_the_importer_is_unsure_of(client, people):
    client.force_login(people.editor)
    upload(client)
    candidate = ImportCandidate.objects.first()
    candidate.data["confidence"] = {"title": 0.95, "dates": 0.3, "location": 0.55}
    candidate.save(update_fields=["data"])
    page = client.get(reverse("importer:review", args=[candidate.batch.pk])).content.decode()
    prefix = f"c{candidate.pk}-"
    for name in ("start", "end", "location"):
        assert re.search(rf'<input[^>]*name="{prefix}{name}"[^>]*class="low-confidence"', page), name
    assert not re.search(rf'<input[^>]*name="{prefix}title"[^>]*class="low-confidence"', page)
    assert page.count('class="low-confidence"') == 3  # start, end, location; not the title
    assert "The importer is unsure of this value (30%): check it against the document." in page
    assert "The importer is unsure of this value (55%): check it against the document." in page


def test_invalid_post_keeps_the_marks(client, people):
    client.force_login(people.editor)
    upload(client)
    candidate = ImportCandidate.objects.first()
    candidate.data["confidence"] = {"dates": 0.2}
    candidate.save(update_fields=["data"])
    response = client.post(reverse("importer:decide", args=[candidate.pk]), {f"c{candidate.pk}-title": "", "action": "save"})
    assert response.status_code == 400
    assert response.content.decode().count('class="low-confidence"') == 2


def test_corrections_keep_the_importers_reading_and_export_as_examples(client, people, tmp_path):
    client.force_login(people.editor)
    upload(client)
    workshop, forum = ImportCandidate.objects.order_by("position")
    prefix = f"c{forum.pk}-"
    form = {prefix + k: v for k, v in {
        "title": "Regional Forum on Civil Service Reform", "kind": "event", "section": "ICAP", "start": "2021-03-24",
        "end": "2021-03-26", "language": "en", "location": "San José, Costa Rica", "organizers": "ICAP\nEROPA"}.items()}
    assert client.post(reverse("importer:decide", args=[forum.pk]), {**form, "action": "save"}).status_code == 302
    forum.refresh_from_db()
    assert forum.data["corrected"] == ["summary", "title"]
    assert forum.data["original"]["title"] == "Regional forum on civil service reform"
    # a second correction keeps the importer's first reading
    form[prefix + "title"] = "Regional Forum on Civil-Service Reform"
    client.post(reverse("importer:decide", args=[forum.pk]), {**form, "action": "save"})
    forum.refresh_from_db()
    assert forum.data["original"]["title"] == "Regional forum on civil service reform"

    examples = services.training_examples()
    assert [(e["position"], e["decision"], e["item"]["title"]) for e in examples] == [
        (1, Decision.PENDING, "Regional Forum on Civil-Service Reform")]
    assert examples[0]["original"]["title"] == "Regional forum on civil service reform"
    assert examples[0]["year"] == 2021 and "24 to 26 March 2021" in examples[0]["text"]

    out = tmp_path / "corrections.json"
    call_command("import-corrections", "--export", str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(json.dumps(examples))

    sequences = list(correction_sequences(examples))
    assert len(sequences) == 1
    features, labels = sequences[0]
    assert labels[0] == "title" and len(features) == len(labels)


def test_import_train_refuses_a_bad_corrections_file(tmp_path):
    missing = tmp_path / "none.json"
    with pytest.raises(CommandError, match="--corrections: no such file"):
        call_command("import-train", "--corrections", str(missing), "--output", str(tmp_path / "m.crfsuite"))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="--corrections: .* is not JSON"):
        call_command("import-train", "--corrections", str(broken), "--output", str(tmp_path / "m.crfsuite"))
    wrong = tmp_path / "wrong.json"
    wrong.write_text('[{"title": "x"}]', encoding="utf-8")
    with pytest.raises(CommandError, match="not a list of records with 'text' and 'item'"):
        call_command("import-train", "--corrections", str(wrong), "--output", str(tmp_path / "m.crfsuite"))
    with pytest.raises(CommandError, match="--per-template: give 1 or more"):
        call_command("import-train", "--per-template", "0", "--output", str(tmp_path / "m.crfsuite"))
    assert not (tmp_path / "m.crfsuite").exists()


def test_import_train_is_reproducible_and_learns_from_corrections(tmp_path):
    corrections = tmp_path / "corrections.json"
    corrections.write_text(json.dumps([{
        "text": "Week of 7 June 2021\n\nMonday 7 June\n\n09:30\nBoard meeting of the school\nTegucigalpa\n",
        "year": 2021, "item": {"title": "Board meeting of the school", "start": "2021-06-07", "end": "2021-06-07"}}]),
        encoding="utf-8")
    first, second = tmp_path / "a.crfsuite", tmp_path / "b.crfsuite"
    for path in (first, second):
        call_command("import-train", "--per-template", "1", "--pdf-every", "0", "--corrections", str(corrections),
                     "--output", str(path))
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_size > 1000
