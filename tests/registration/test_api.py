import json

import pytest

from partnerpost.registration.models import Registration
from tests.registration.conftest import make_event, open_registration

pytestmark = pytest.mark.django_db


def _post(client, slug, body):
    return client.post(f"/api/v1/events/{slug}/registrations", data=json.dumps(body), content_type="application/json")


def test_post_registration_answers_201_with_id_and_status(client, event):
    response = _post(client, event.slug, {"name": "Ana", "email": "ana@example.org", "answers": {"organization": "ICAP"}})
    assert response.status_code == 201
    registration = Registration.objects.get()
    assert response.json() == {"id": registration.pk, "status": "confirmed"}


def test_post_registration_refusals_name_the_reason_and_write_nothing(client, people):
    item = make_event(people.icap)
    open_registration(item, capacity=1, waiting_list=False)
    assert _post(client, item.slug, {"name": "A", "email": "a@example.org", "answers": {"organization": "X"}}).status_code == 201
    duplicate = _post(client, item.slug, {"name": "A", "email": "A@example.org", "answers": {"organization": "X"}})
    assert duplicate.status_code == 409
    assert duplicate.json() == {"detail": "Already registered.", "reason": "duplicate",
                                "errors": {"email": ["This email address is already registered for this event."]}}
    full = _post(client, item.slug, {"name": "B", "email": "b@example.org", "answers": {"organization": "X"}})
    assert (full.status_code, full.json()["reason"]) == (409, "full")
    missing = _post(client, item.slug, {"name": "C", "email": "c@example.org", "answers": {}})
    assert missing.status_code == 422
    assert missing.json()["errors"] == {"answers.organization": ["This answer is required."]}
    no_body = _post(client, item.slug, {"email": "d@example.org"})
    assert no_body.status_code == 422
    assert list(no_body.json()["errors"]) == ["name"]
    assert Registration.objects.count() == 1


def test_post_registration_to_unknown_or_unpublished_event_is_404(client, people):
    assert _post(client, "nothing-here", {"name": "A", "email": "a@example.org"}).status_code == 404


def test_get_registration_summary(client, people):
    item = make_event(people.icap)
    open_registration(item, capacity=1)
    for n in range(3):
        _post(client, item.slug, {"name": f"P{n}", "email": f"p{n}@example.org", "answers": {"organization": "X"}})
    response = client.get(f"/api/v1/events/{item.slug}/registration")
    assert response.status_code == 200
    assert response.json() == {"open": True, "capacity": 1, "waiting_list": True, "confirmed": 1, "waitlisted": 2}
    bare = make_event(people.icap, title="No registration here")
    assert client.get(f"/api/v1/events/{bare.slug}/registration").json() == {
        "open": False, "capacity": None, "waiting_list": False, "confirmed": 0, "waitlisted": 0}


def test_list_events_registration_open(client, people):
    import datetime as dt

    from django.utils import timezone

    taking = make_event(people.icap, title="Taking registrations")
    open_registration(taking)
    closed = make_event(people.icap, title="Closed", days_ahead=40)
    open_registration(closed, closes_at=timezone.now() - dt.timedelta(hours=1))
    make_event(people.icap, title="No registration", days_ahead=50)
    everything = client.get("/api/v1/events").json()["results"]
    assert len(everything) == 3
    open_only = client.get("/api/v1/events?registration=open").json()["results"]
    assert [row["title"] for row in open_only] == ["Taking registrations"]
    assert client.get("/api/v1/events?registration=closed").status_code == 422


def test_registration_rate_limit(client, event, settings):
    settings.REGISTRATION_RATE = 2
    codes = [_post(client, event.slug, {"name": f"P{n}", "email": f"p{n}@example.org", "answers": {"organization": "X"}}).status_code
             for n in range(3)]
    assert codes == [201, 201, 429]
    assert Registration.objects.count() == 2
    settings.REGISTRATION_RATE = 0
    assert _post(client, event.slug, {"name": "P9", "email": "p9@example.org", "answers": {"organization": "X"}}).status_code == 201


def test_openapi_lists_registration_paths(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/v1/events/{slug}/registrations"]) == {"post"}
    assert set(paths["/api/v1/events/{slug}/registration"]) == {"get"}
    assert any(p["name"] == "registration" for p in paths["/api/v1/events"]["get"]["parameters"])
