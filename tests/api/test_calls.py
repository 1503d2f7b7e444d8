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
