"""Start times read from a newsletter keep their time zone when they become items, half and quarter hours too."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from partnerpost.content.enums import ItemState
from partnerpost.content.models import Item
from partnerpost.importer import services
from partnerpost.importer.forms import CandidateForm
from partnerpost.importer.models import Decision, ImportBatch, ImportCandidate

# Offsets that are not whole hours: India and Sri Lanka, Nepal, Iran, Newfoundland, central Australia.
PART_HOURS = ["UTC+05:30", "UTC+05:45", "UTC+03:30", "UTC-03:30", "UTC+09:30"]


@pytest.mark.parametrize("offset", PART_HOURS)
def test_an_offset_that_is_not_a_whole_hour_is_kept(offset):
    assert services._zone_name(offset) == offset


@pytest.mark.parametrize("offset, name", [
    ("UTC-06:00", "Etc/GMT+6"), ("UTC+01:00", "Etc/GMT-1"), ("UTC+14:00", "Etc/GMT-14"), ("UTC-12:00", "Etc/GMT+12"),
    ("UTC+00:00", "UTC"), ("UTC", "UTC"), (None, "UTC"), ("", "UTC"),
    ("Asia/Kolkata", "Asia/Kolkata"), ("America/Costa_Rica", "America/Costa_Rica"),
])
def test_whole_hours_and_zone_names_as_before(offset, name):
    assert services._zone_name(offset) == name


def _candidate(data: dict) -> ImportCandidate:
    batch = ImportBatch.objects.create(file_name="news.md", sha256="1" * 64, format="markdown")
    return ImportCandidate.objects.create(batch=batch, position=0, data=data)


@pytest.mark.parametrize("offset, utc", [
    ("UTC+05:30", (4, 30)), ("UTC+05:45", (4, 15)), ("UTC+03:30", (6, 30)), ("UTC-03:30", (13, 30)),
    ("UTC+09:30", (0, 30)), ("UTC-06:00", (16, 0)), ("Asia/Kolkata", (4, 30)),
])
def test_accepted_event_starts_at_the_right_instant(people, offset, utc):
    candidate = _candidate({"title": "Webinar on digital government", "kind": "event", "section": "EROPA",
                            "start": "2021-03-18", "end": "2021-03-18", "time": "10:00", "timezone": offset,
                            "online": True, "language": "en", "summary": "Online, open to all."})
    item = services.accept(candidate, people.editor)
    item.refresh_from_db()
    assert item.starts_at == dt.datetime(2021, 3, 18, *utc, tzinfo=dt.UTC)
    if offset in PART_HOURS:
        assert item.time_zone == offset


NEWSLETTER = """# Partner News — March 2021

## EROPA Events

### Webinar on digital government in South Asia

EROPA will hold a webinar on digital government in South Asia on 18 March 2021 at 10:00 IST (UTC+05:30).
It is organized by EROPA and open to civil servants of the region. Register at https://eropa.example.org/webinar

### Workshop on local government finance in Nepal

EROPA will hold an online workshop on local government finance on 25 March 2021 at 14:00 NPT (UTC+05:45).
""".encode()


def _form_as_submitted(candidate) -> dict:
    """What the browser sends back when the editor accepts the review form without changing it."""
    form = CandidateForm.for_candidate(candidate)
    post = {"action": "accept"}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        post[form.add_prefix(name)] = "on" if value is True else field.widget.format_value(value) or ""
    return post


def test_newsletter_event_in_india_keeps_its_time_zone_from_upload_to_draft(client, people, tmp_path):
    path = tmp_path / "partner-news.md"
    path.write_bytes(NEWSLETTER)
    out = io.StringIO()
    call_command("import-newsletter", str(path), "--dry-run", "--json", stdout=out)
    found = {i["title"]: i for i in json.loads(out.getvalue())["items"]}
    webinar = found["Webinar on digital government in South Asia"]
    assert (webinar["start"], webinar["time"], webinar["timezone"]) == ("2021-03-18", "10:00", "UTC+05:30")
    assert found["Workshop on local government finance in Nepal"]["timezone"] == "UTC+05:45"

    client.force_login(people.editor)
    handle = io.BytesIO(NEWSLETTER)
    handle.name = path.name
    client.post(reverse("importer:imports"), {"file": handle})
    batch = ImportBatch.objects.get()

    # One item accepted on its own from the review form, the other with "accept all".
    candidate = batch.candidates.get(data__title="Webinar on digital government in South Asia")
    response = client.post(reverse("importer:decide", args=[candidate.pk]), _form_as_submitted(candidate))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.decision == Decision.ACCEPTED
    assert client.post(reverse("importer:accept_all", args=[batch.pk])).status_code == 302

    webinar = Item.objects.get(title="Webinar on digital government in South Asia")
    assert webinar.state == ItemState.DRAFT
    assert webinar.time_zone == "UTC+05:30"
    assert (webinar.start_date, webinar.start_time) == (dt.date(2021, 3, 18), dt.time(10, 0))
    assert webinar.starts_at == dt.datetime(2021, 3, 18, 4, 30, tzinfo=dt.UTC)
    workshop = Item.objects.get(title="Workshop on local government finance in Nepal")
    assert workshop.time_zone == "UTC+05:45"
    assert workshop.starts_at == dt.datetime(2021, 3, 25, 8, 15, tzinfo=dt.UTC)
