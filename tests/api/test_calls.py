import datetime as dt

import pytest

from partnerpost.calls.enums import SubmissionState
from partnerpost.calls.models import Submission
from tests.factories import make_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(people):
    open_call = make_call(people.icap, title="Open call", opens=dt.datetime(2020, 1, 1), closes=dt.datetime(2099, 1, 31, 17, 0),
                          time_zone="America/New_York")
    closed_call = make_call(people.icap, title="Closed call", opens=dt.datetime(2020, 4, 1), closes=dt.datetime(2020, 5, 10, 23, 59),
                            is_catalogue=True)
    return open_call, closed_call


def test_list_calls_gives_windows_and_states(anon, calls):
    body = anon.get("/api/v1/calls").json()
    assert [(c["slug"], c["title"], c["opens_at"], c["closes_at"], c["state"]) for c in body["results"]] == [
        (calls[0].slug, "Open call", "2020-01-01T05:00:00Z", "2099-01-31T22:00:00Z", "open"),
        (calls[1].slug, "Closed call", "2020-04-01T00:00:00Z", "2020-05-10T23:59:00Z", "closed"),
    ]


def test_one_call_gives_its_fields(anon, calls):
    body = anon.get(f"/api/v1/calls/{calls[0].slug}").json()
    assert body["fields"][:3] == [
        {"name": "title", "type": "text", "label": "Name of the initiative", "required": True, "step": 1, "choices": None},
        {"name": "country", "type": "country", "label": "Country", "required": True, "step": 1, "choices": None},
        {"name": "areas", "type": "choices", "label": "Action areas", "required": True, "step": 1,
         "choices": ["Information sharing", "E-participation", "E-health"]},
    ]
    assert anon.get("/api/v1/calls/no-such-call").status_code == 404


def test_a_partner_token_answers_an_open_call(icap, calls):
    response = icap.post(f"/api/v1/calls/{calls[0].slug}/submissions",
                         {"answers": {"title": "Digital one-stop shop", "country": "CR", "areas": ["E-participation"]}})
    assert response.status_code == 201
    stored = Submission.objects.get()
    assert response.json() == {"id": stored.pk, "call": calls[0].slug, "state": "submitted",
                               "submitted_at": stored.submitted_at.isoformat().replace("+00:00", "Z"),
                               "possible_duplicate_of": None}
    assert (stored.state, stored.partner.acronym, stored.country) == (SubmissionState.SUBMITTED, "ICAP", "CR")


def test_the_closed_call_refuses_naming_the_close(icap, calls):
    response = icap.post(f"/api/v1/calls/{calls[1].slug}/submissions",
                         {"answers": {"title": "Late", "country": "CR", "areas": ["E-health"]}})
    assert response.status_code == 409
    message = "This call closed on 10 May 2020, 23:59 (UTC); answers can no longer be submitted or changed."
    assert response.json() == {"detail": message, "errors": {"closes_at": [message]}}
    assert not Submission.objects.exists()


def test_refused_answers_name_the_field_and_keep_nothing(icap, calls):
    response = icap.post(f"/api/v1/calls/{calls[0].slug}/submissions", {"answers": {"title": "No country", "areas": "Nope"}})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "areas": ["Action areas: “Nope” is not one of the options."],
    }
    response = icap.post(f"/api/v1/calls/{calls[0].slug}/submissions", {"answers": {"title": "No country"}})
    assert response.json()["errors"] == {"country": ["Country: this answer is required."],
                                         "areas": ["Action areas: this answer is required."]}
    assert not Submission.objects.exists()


def test_answering_needs_a_token(anon, calls):
    response = anon.post(f"/api/v1/calls/{calls[0].slug}/submissions", {"answers": {}})
    assert response.status_code == 401


def test_a_members_call_refuses_nobody_with_a_token_but_an_invited_one_does(icap, people):
    invited = make_call(people.icap, title="Invited", audience="invited", invitations=["focal@gov.example"])
    response = icap.post(f"/api/v1/calls/{invited.slug}/submissions", {"answers": {"title": "X"}})
    assert response.status_code == 403
    assert response.json() == {"detail": "This partner may not answer this call.", "errors": None}


# --- files as base64 in the JSON answers ---------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _file(content: bytes, name="report.pdf"):
    import base64

    return {"name": name, "content_base64": base64.b64encode(content).decode()}


def _answers(**extra):
    return {"answers": {"title": "Digital one-stop shop", "country": "CR", "areas": ["E-participation"], **extra}}


def _stored_files(settings):
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_file_answer_is_stored_after_the_checks_of_a_browser_upload(icap, calls, settings):
    from partnerpost.calls.models import SubmissionFile

    settings.CALLS_VIRUS_SCAN = "tests.calls.scanner.scan"
    response = icap.post(f"/api/v1/calls/{calls[0].slug}/submissions", _answers(report=_file(PDF + b"x" * 2000)))
    assert response.status_code == 201, response.json()
    stored = SubmissionFile.objects.get()
    assert (stored.submission.state, stored.field, stored.size) == ("submitted", "report", len(PDF) + 2000)
    assert stored.file.read() == PDF + b"x" * 2000
    assert stored.file.name.endswith(".pdf") and len(_stored_files(settings)) == 1


@pytest.mark.parametrize("answer, message", [
    ({"name": "report.pdf", "content_base64": "JVBERi0x!!not base64"}, "Report: content_base64 is not valid base64."),
    ({"name": "report.pdf", "content_base64": 12}, "Report: content_base64 is not valid base64."),
    ({"name": "report.pdf", "content_base64": ""}, "Report: the file is empty."),
    ({"name": "", "content_base64": "JVBERi0x"}, "Report: give the file a name (at most 200 characters, no folders)."),
    ({"name": "../../etc/x.pdf", "content_base64": "JVBERi0x"}, "Report: give the file a name (at most 200 characters, no folders)."),
    ("JVBERi0x", 'Report: send the file as {"name": …, "content_base64": …}.'),
    ({"content_base64": "JVBERi0x"}, 'Report: send the file as {"name": …, "content_base64": …}.'),
])
def test_a_file_answer_that_cannot_be_decoded_is_refused_naming_the_field(icap, calls, settings, answer, message):
    response = icap.post(f"/api/v1/calls/{calls[0].slug}/submissions", _answers(report=answer))
    assert response.status_code == 422
    assert response.json()["errors"] == {"report": [message]}
    assert not Submission.objects.exists() and _stored_files(settings) == []


def test_a_file_of_the_wrong_type_over_the_limit_or_infected_is_refused_and_nothing_is_stored(icap, calls, settings):
    from tests.calls.scanner import EICAR

    settings.CALLS_VIRUS_SCAN = "tests.calls.scanner.scan"
    settings.MAX_UPLOAD_MB = 1
    url = f"/api/v1/calls/{calls[0].slug}/submissions"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = icap.post(url, _answers(report=_file(png, name="report.pdf")))  # named .pdf, but a PNG
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["report"]
    assert response.json()["errors"]["report"][0].startswith("Report: this file is ")
    response = icap.post(url, _answers(report=_file(PDF + b"x" * (1024 * 1024 + 100 * 1024))))
    assert response.json()["errors"] == {"report": ["Report: the file is 1.1 MB; the limit is 1 MB."]}
    response = icap.post(url, _answers(report=_file(PDF + EICAR)))
    assert response.json()["errors"] == {"report": ["Report: the EICAR test signature was found."]}
    assert not Submission.objects.exists() and _stored_files(settings) == []


def test_a_good_file_is_not_kept_when_another_answer_is_refused(icap, calls, settings):
    response = icap.post(f"/api/v1/calls/{calls[0].slug}/submissions",
                         {"answers": {"title": "No country", "areas": ["E-health"], "report": _file(PDF)}})
    assert response.status_code == 422
    assert response.json()["errors"] == {"country": ["Country: this answer is required."]}
    assert not Submission.objects.exists() and _stored_files(settings) == []
    response = icap.post(f"/api/v1/calls/{calls[0].slug}/submissions",
                         {"answers": {"title": "Bad area", "country": "CR", "areas": ["Nope"], "report": "x"}})
    assert response.json()["errors"] == {"areas": ["Action areas: “Nope” is not one of the options."],
                                         "report": ['Report: send the file as {"name": …, "content_base64": …}.']}
    assert not Submission.objects.exists() and _stored_files(settings) == []
