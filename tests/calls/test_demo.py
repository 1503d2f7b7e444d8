import csv
import io

import pytest

from partnerpost.api import workflows as tokens
from partnerpost.calls import demo as calls_demo
from partnerpost.calls.models import Call, Submission
from partnerpost.content import demo
from partnerpost.network.models import Partner, User
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    demo.load(log=lambda *a: None)
    calls_demo.load(log=lambda *a: None)
    return {c.item.title: c for c in Call.objects.select_related("item")}


def test_demo_calls_are_listed_with_their_windows_and_states(client, loaded):
    body = client.get("/api/v1/calls").json()
    states = {c["title"]: c["state"] for c in body["results"]}
    assert states == {calls_demo.COMPENDIUM_TITLE: "closed", calls_demo.NISPACEE_TITLE: "open", calls_demo.UNPSA_TITLE: "open"}
    compendium = next(c for c in body["results"] if c["title"] == calls_demo.COMPENDIUM_TITLE)
    assert (compendium["opens_at"], compendium["closes_at"]) == ("2020-04-13T13:00:00Z", "2020-05-08T22:00:00Z")


def test_loading_twice_adds_nothing(loaded):
    assert calls_demo.load(log=lambda *a: None) == {"calls": 0, "initiatives": 0}
    assert Submission.objects.count() == len(calls_demo.INITIATIVES)


def test_api_answers_to_the_open_call_and_refuses_the_closed_one(client, loaded):
    unpsa = loaded[calls_demo.UNPSA_TITLE]
    body = client.get(f"/api/v1/calls/{unpsa.slug}").json()
    category = next(f for f in body["fields"] if f["name"] == "category")
    assert category["choices"] == [
        "Fostering innovation to deliver inclusive and equitable services for all, including through digital transformation",
        "Enhancing the effectiveness of public institutions to reach the SDGs",
        "Promoting gender-responsive public services to achieve the SDGs",
        "Institutional preparedness and response in times of crisis",
    ]
    editor = User.objects.get(username="editor")
    _token, secret = tokens.create_token(editor, Partner.objects.get(acronym="ICAP"), "script")
    api = Api(client, secret)
    answers = {"public_sector": True, "running_two_years": True, "title": "Citizen service centres",
               "institution": "A national agency", "country": "CR", "category": category["choices"][0],
               "summary": "One-stop shops for public services.", "started": "2017-03-01",
               "nominator": {"name": "Ana", "email": "ana@example.org"}}
    assert api.post(f"/api/v1/calls/{unpsa.slug}/submissions", {"answers": answers}).status_code == 201
    compendium = loaded[calls_demo.COMPENDIUM_TITLE]
    response = api.post(f"/api/v1/calls/{compendium.slug}/submissions", {"answers": {"title": "Late"}})
    assert response.status_code == 409
    assert response.json()["errors"] == {"closes_at": [
        "This call closed on 8 May 2020, 18:00 (America/New_York); answers can no longer be submitted or changed."]}


def test_the_demo_catalogue_covers_every_area_and_region(client, loaded):
    compendium = loaded[calls_demo.COMPENDIUM_TITLE]
    page = client.get(f"/calls/{compendium.slug}/catalogue/").content.decode()
    for area in calls_demo.AREAS:
        assert f">{area}</a> <span class=\"count\">" in page
    for region in ("Africa", "Americas", "Asia", "Europe", "Oceania"):
        count = page.split(f">{region}</a> <span class=\"count\">")[1].split("<")[0]
        assert int(count) > 0, region
    rows = list(csv.DictReader(io.StringIO(client.get(f"/calls/{compendium.slug}/catalogue/entries.csv").content.decode())))
    assert len(rows) == len(calls_demo.INITIATIVES) >= 40
    assert "illustrative" in client.get(f"/calls/{compendium.slug}/").content.decode()
