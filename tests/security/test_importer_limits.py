"""Finding 10 of issue 11 (Importer): hostile PDFs get a clear refusal, not a 500 or a gigabyte of memory;
large files are analysed by the task worker, with a status page, not inside the request."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from partnerpost.importer import reading, services
from partnerpost.importer.models import ImportBatch
from tests.security.hostile_pdf import bomb_pdf, cyclic_pdf

ROOT = Path(__file__).resolve().parents[2]
def _upload(client, data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(reverse("importer:imports"), {"file": handle})


# --- cyclic page tree ------------------------------------------------------------------------------------


CYCLE_MESSAGE = ("Page 2 of the PDF cannot be read: its page tree is damaged (it may loop back on itself). "
                 "Export the PDF again from its source.")


def test_cyclic_page_tree_is_refused_with_a_reason():
    with pytest.raises(reading.Rejected) as caught:
        reading.read(cyclic_pdf(), "cyclic.pdf")
    assert str(caught.value) == CYCLE_MESSAGE
    assert caught.value.field == "file"


def test_cyclic_page_tree_through_the_web_is_a_form_error_not_a_500(client, people):
    client.force_login(people.editor)
    response = _upload(client, cyclic_pdf(), "cyclic.pdf")
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [CYCLE_MESSAGE]
    assert ImportBatch.objects.count() == 0


# --- decompression bomb ---------------------------------------------------------------------------------

BOMB_MESSAGE = ("The PDF's compressed content unpacks to more than 32 MB, far more than a newsletter holds; "
                "the importer does not open it. If the file is genuine, print it to a new PDF and upload that.")


def test_pdf_that_inflates_to_hundreds_of_megabytes_is_refused_within_bounded_memory():
    data = bomb_pdf(300)
    assert len(data) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(reading.Rejected) as caught:
            reading.read(data, "bomb.pdf")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == BOMB_MESSAGE
    assert peak < 16 * 1024 * 1024, f"peak {peak / 1048576:.1f} MB"


MEASURE = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from tests.security.hostile_pdf import bomb_pdf
from partnerpost.importer import reading
data = bomb_pdf(int(sys.argv[2]))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    reading.read(data, "bomb.pdf")
    outcome = "read"
except reading.Rejected as exc:
    outcome = str(exc)
print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - start, "size": len(data),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "before_mb": before / 1024}))
"""


def test_pdf_bomb_keeps_the_whole_process_small():
    """The PDF engine's own memory does not show in tracemalloc: measure the process's peak instead."""
    result = subprocess.run([sys.executable, "-c", MEASURE, str(ROOT), "200"], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout)
    assert figures["outcome"] == BOMB_MESSAGE
    assert figures["peak_mb"] - figures["before_mb"] < 64, figures


def test_genuine_pdfs_stay_far_below_the_limit():
    corpus = ROOT / "tests" / "importer" / "corpus" / "bulletin-print.pdf"
    assert reading.check_inflated_size(corpus.read_bytes()) < 1024 * 1024


# --- large files go to the task worker --------------------------------------------------------------------


def _newsletter(size: int) -> bytes:
    head = ("# Partners' Newsletter, October - November - December 2020\n\n## ICAP\n\n"
            "### Workshop on public procurement\n\n3 November 2020, San José, Costa Rica. Organized by ICAP.\n\n")
    filler = "The network's partners met online to share experience of public administration reform. "
    text = head + "\n\n".join(f"### Dialogue {n} on digital government\n\n{n % 28 + 1} November 2020, online. {filler}"
                               for n in range(size // 180))
    return text.encode()[:size]


def test_large_text_file_is_analysed_by_the_task_worker_with_a_status_page(transactional_db, client, people, settings):
    """The worker commits between tasks (and closes connections), so this test commits for real."""
    settings.IMPORT_BACKGROUND_BYTES = 100 * 1024
    data = _newsletter(400 * 1024)
    client.force_login(people.editor)
    response = _upload(client, data, "archive.md")
    from partnerpost.importer.models import ImportJob

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("importer:job", args=[job.pk])
    assert ImportBatch.objects.count() == 0  # nothing was analysed inside the request
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress id="job-progress" max="6" value="0">' in html
    assert "Waiting for the task worker" in html

    call_command("tasks", "worker", "--until-empty", "--no-periodic", "--interval", "0")

    job.refresh_from_db()
    batch = ImportBatch.objects.get()
    assert (job.state, job.batch_id, bytes(job.data)) == ("done", batch.pk, b"")
    assert batch.candidates.count() == len(services.analyse(data, "archive.md")["items"]) > 0
    done = client.get(reverse("importer:job", args=[job.pk]))
    assert done.status_code == 302
    assert done["Location"] == reverse("importer:review", args=[batch.pk])


def test_a_refused_background_import_says_why_on_its_status_page(transactional_db, client, people, settings):
    settings.IMPORT_BACKGROUND_BYTES = 1024
    client.force_login(people.editor)
    response = _upload(client, b"\x00\x01" * 5000 + b"abc", "archive.txt")
    call_command("tasks", "worker", "--until-empty", "--no-periodic", "--interval", "0")
    page = client.get(response["Location"])
    html = page.content.decode()
    from partnerpost.importer.models import ImportJob

    assert "The file holds binary data, not text." in html
    assert 'http-equiv="refresh"' not in html
    assert ImportBatch.objects.count() == 0
    assert ImportJob.objects.get().state == "failed"


def test_small_files_are_still_analysed_at_once(client, people):
    client.force_login(people.editor)
    response = _upload(client, _newsletter(8 * 1024), "small.md")
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("importer:review", args=[batch.pk])
    from partnerpost.importer.models import ImportJob

    assert ImportJob.objects.count() == 0
