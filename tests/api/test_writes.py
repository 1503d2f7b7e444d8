"""Token writes: the same form rules, the same workflow (audit rows, notifications), one partner only."""

import datetime as dt
import re

import pytest
from django.core import mail

from partnerpost.content.enums import AuditAction, ItemKind, ItemState
from partnerpost.content.models import AuditEntry, Item, Series
from tests.factories import make_item, make_user, move_to


def event(**overrides):
    body = {
        "kind": "event", "title": "Taller virtual Prospectiva e innovación", "summary": "Cuatro sesiones en línea.",
        "language": "es", "event_type": "workshop", "event_format": "online", "start_date": "2020-11-13",
        "fee_amount": "50", "fee_currency": "usd", "session_count": 4, "total_hours": 6,
        "enrolment_deadline": "2020-11-13", "themes": ["digital-government"], "countries": ["cr"],
        "people": [{"name": "Alain Jordá", "role": "facilitator"}, {"name": "Alfredo Acosta Fonseca", "role": "facilitator", "affiliation": "ICAP"}],
        "organizers": ["ICAP"], "supporters": ["UNCDF Malaysia"],
        "links": [{"label": "Programme", "url": "https://icap.ac.cr/taller"}],
        "series": "Dialogue Series",
    }
    body.update(overrides)
    return body


def test_create_saves_a_draft_through_the_workflow(icap, people, icap_token):
    response = icap.post("/api/v1/items", event())
    assert response.status_code == 201, response.content
    item = Item.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/partner/items/{item.slug}"
    body = response.json()
    assert (body["state"], body["slug"], body["revision"]) == ("draft", item.slug, 1)
    assert re.fullmatch(r"taller-virtual-prospectiva-e-innovacion-[a-z2-9]{5}", item.slug)
    assert (item.partner, item.state, item.created_by) == (people.icap, ItemState.DRAFT, people.icap_partner_editor)
    assert (item.fee_amount, item.fee_currency, item.session_count, item.language) == (50, "USD", 4, "es")
    assert [(p.name, p.role, p.affiliation) for p in item.people.all()] == [
        ("Alain Jordá", "facilitator", ""), ("Alfredo Acosta Fonseca", "facilitator", "ICAP")]
    assert [(o.role, o.partner_id, o.name) for o in item.organizations.all()] == [
        ("organizer", people.icap.pk, ""), ("supporter", None, "UNCDF Malaysia")]
    assert [(link.label, link.url) for link in item.links.all()] == [("Programme", "https://icap.ac.cr/taller")]
    assert list(item.themes.values_list("slug", flat=True)) == ["digital-government"]
    assert list(item.countries.values_list("code", flat=True)) == ["CR"]
    assert item.series.name == "Dialogue Series"
    assert [(a.action, a.actor, a.from_state, a.to_state) for a in item.audit_entries.all()] == [
        (AuditAction.CREATE, people.icap_partner_editor, "", ItemState.DRAFT)]


def test_create_and_submit_tells_the_secretariat(icap, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = icap.post("/api/v1/items", event(submit=True))
    assert response.status_code == 201 and response.json()["state"] == "submitted"
    item = Item.objects.get()
    assert [a.action for a in item.audit_entries.all()] == [AuditAction.CREATE, AuditAction.SUBMIT]
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]


@pytest.mark.parametrize("overrides, errors", [
    ({"start_date": None}, {"start_date": ["An event needs its first day."]}),
    ({"title": ""}, {"title": ["This field is required."]}),
    ({"fee_currency": "dollars"}, {"fee_currency": ["String should have at most 3 characters"]}),
    ({"time_zone": "Mars/Olympus"}, {"time_zone": None}),
    ({"countries": ["XX"]}, {"countries": ["XX is not an ISO country code."]}),
    ({"regions": ["999"]}, {"regions": ["999 is not an M49 region code."]}),
    ({"organizers": ["  "]}, {"organizers": ["Position 1: the name is missing."]}),
    ({"themes": ["sdg-99"]}, {"themes": ["sdg-99 is not a theme; GET /api/v1/themes lists them."]}),
    ({"links": [{"label": "Programme", "url": "ftp://icap.ac.cr"}]},
     {"links": ["Position 1: ftp://icap.ac.cr is not a web address; it must start with http:// or https://."]}),
    ({"people": [{"name": "Ana", "role": "moderator"}, {"name": " "}]},
     {"people": ["Position 2: the name is missing."]}),
    ({"days": ["2020-11-03"]}, {"days": ["List at least two separate days, or use the first and last day fields."]}),
    ({"event_type": "party"}, {"event_type": None}),
    ({"session_count": -1}, {"session_count": ["Input should be greater than or equal to 0"]}),
    ({"people": [{"name": "Ana", "role": "singer"}]}, {"people.0.role": None}),
    ({"title": "Null\x00byte"}, {"title": None}),
    ({"award_programme": "no-such-award", "kind": "award"}, {"award_programme": ["no-such-award is not an award programme."]}),
])
def test_bad_fields_are_named_and_nothing_is_written(icap, people, overrides, errors):
    response = icap.post("/api/v1/items", event(**overrides))
    assert response.status_code == 422, response.content
    body = response.json()
    assert sorted(body["errors"]) == sorted(errors)
    for field, messages in errors.items():
        if messages is not None:
            assert body["errors"][field] == messages
        assert body["errors"][field] and all(isinstance(m, str) and m for m in body["errors"][field])
    assert body["detail"] == f"Some fields are not valid: {', '.join(sorted(errors))}."
    assert Item.objects.count() == 0 and AuditEntry.objects.count() == 0
    assert not Series.objects.exists()  # not even the series is left behind


def test_body_that_is_not_json_is_a_400(icap, people):
    response = icap.client.post("/api/v1/items", "{not json", content_type="application/json",
                                HTTP_AUTHORIZATION=f"Bearer {icap.secret}")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON.", "errors": None}
    response = icap.post("/api/v1/items", [1, 2])
    assert response.status_code == 422


def test_update_changes_only_what_is_sent(icap, people):
    slug = icap.post("/api/v1/items", event()).json()["slug"]
    response = icap.patch(f"/api/v1/items/{slug}", {"summary": "Cinco sesiones.", "session_count": 5, "supporters": None})
    assert response.status_code == 200, response.content
    item = Item.objects.get(slug=slug)
    assert (item.summary, item.session_count, item.fee_currency, item.revision) == ("Cinco sesiones.", 5, "USD", 2)
    assert [(o.role, o.partner_id) for o in item.organizations.all()] == [("organizer", people.icap.pk)]
    assert [p.name for p in item.people.all()] == ["Alain Jordá", "Alfredo Acosta Fonseca"]
    audit = item.audit_entries.last()
    assert (audit.action, audit.actor, audit.note) == (AuditAction.EDIT, people.icap_partner_editor, "organizations, session_count, summary")
    assert response.json()["revision"] == 2


def test_update_errors_change_nothing(icap, people):
    slug = icap.post("/api/v1/items", event()).json()["slug"]
    response = icap.patch(f"/api/v1/items/{slug}", {"summary": "Changed", "end_date": "2020-11-01"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "end_date": ["The last day is before the first day."],
        "enrolment_deadline": ["The enrolment deadline is after the event has ended."],
    }
    item = Item.objects.get(slug=slug)
    assert (item.summary, item.revision, item.audit_entries.count()) == ("Cuatro sesiones en línea.", 1, 1)


def test_returned_items_can_be_fixed_and_resubmitted(icap, people):
    item = make_item(people.icap, title="Returned", state=ItemState.SUBMITTED)
    from partnerpost.content import workflows
    workflows.reject_item(people.editor, item, "Add the date.")
    assert icap.patch(f"/api/v1/items/{item.slug}", {"summary": "Fixed"}).status_code == 200
    response = icap.post(f"/api/v1/items/{item.slug}/submit")
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert [a.action for a in AuditEntry.objects.filter(item=item)] == [AuditAction.REJECT, AuditAction.EDIT, AuditAction.SUBMIT]


@pytest.mark.parametrize("state", [ItemState.SUBMITTED, ItemState.APPROVED, ItemState.PUBLISHED, ItemState.WITHDRAWN])
def test_items_past_draft_are_a_conflict(icap, people, state):
    item = move_to(make_item(people.icap, title="Moving on"), state, people.editor)
    audit_rows = item.audit_entries.count()
    response = icap.patch(f"/api/v1/items/{item.slug}", {"title": "Hijacked"})
    assert response.status_code == 409
    assert response.json()["detail"].startswith(f"This item is {item.get_state_display().lower()}, so it can no longer be changed")
    response = icap.post(f"/api/v1/items/{item.slug}/submit")
    assert response.status_code == 409
    item.refresh_from_db()
    assert (item.title, item.state, item.audit_entries.count()) == ("Moving on", state, audit_rows)


def test_a_token_never_touches_another_partners_items(eropa, icap, people):
    """EROPA's token (made by a secretariat editor!) gets 404 on ICAP's items, exactly as on items that do not exist."""
    theirs = make_item(people.icap, title="ICAP draft")
    for path, call in [
        (f"/api/v1/items/{theirs.slug}", lambda p: eropa.patch(p, {"title": "Hijacked"})),
        (f"/api/v1/items/{theirs.slug}/submit", lambda p: eropa.post(p)),
        (f"/api/v1/partner/items/{theirs.slug}", lambda p: eropa.get(p)),
    ]:
        response = call(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "No item with this slug belongs to your partner.", "errors": None}
        missing = call(path.replace(theirs.slug, "no-such-item"))
        assert missing.status_code == 404 and missing.json() == response.json()
    theirs.refresh_from_db()
    assert (theirs.title, theirs.state, theirs.revision, theirs.audit_entries.count()) == ("ICAP draft", ItemState.DRAFT, 1, 0)
    assert [row["title"] for row in eropa.get("/api/v1/partner/items").json()["results"]] == []


def test_a_secretariat_made_token_has_only_contributor_rights(eropa, people):
    """A secretariat editor may edit a published item; a token they made may not."""
    item = make_item(people.eropa, title="Published", state=ItemState.PUBLISHED)
    assert eropa.patch(f"/api/v1/items/{item.slug}", {"title": "Changed"}).status_code == 409
    created = eropa.post("/api/v1/items", event(title="EROPA draft")).json()
    assert created["partner"]["slug"] == "eropa" and created["state"] == "draft"


def test_token_lists_its_partners_items_in_every_state(icap, people):
    make_item(people.icap, title="Draft")
    make_item(people.icap, title="Submitted", state=ItemState.SUBMITTED)
    make_item(people.icap, title="Published", state=ItemState.PUBLISHED)
    make_item(people.eropa, title="EROPA's")
    body = icap.get("/api/v1/partner/items").json()
    assert [(r["title"], r["state"]) for r in body["results"]] == [("Published", "published"), ("Submitted", "submitted"), ("Draft", "draft")]
    assert [r["title"] for r in icap.get("/api/v1/partner/items", {"state": "draft"}).json()["results"]] == ["Draft"]
    response = icap.get("/api/v1/partner/items")
    assert response["Cache-Control"] == "private, no-cache" and "Authorization" in response["Vary"]
    assert icap.get("/api/v1/partner").json()["partner"]["slug"] == "icap"


def test_session_cookies_are_not_accepted_for_writes(client, people):
    """A signed-in member's browser cannot write through the API (so no CSRF)."""
    client.force_login(people.icap_contributor)
    item = make_item(people.icap, title="Draft")
    response = client.post("/api/v1/items", "{}", content_type="application/json")
    assert response.status_code == 401
    response = client.patch(f"/api/v1/items/{item.slug}", '{"title": "x"}', content_type="application/json")
    assert response.status_code == 401
    assert client.get("/api/v1/partner/items").status_code == 401
    assert Item.objects.get(pk=item.pk).title == "Draft"


def test_a_token_stops_when_its_maker_leaves_the_partner(icap, people, icap_token):
    people.icap_partner_editor.memberships.all().delete()
    response = icap.post("/api/v1/items", event())
    assert response.status_code == 401 and not Item.objects.exists()


def test_new_partner_editor_can_write_what_contributors_can(client, people):
    from partnerpost.api import workflows as tokens
    from tests.api.conftest import Api
    editor = make_user("lena", partner=people.eropa, role="editor")
    _, secret = tokens.create_token(editor, people.eropa, "Sync")
    api = Api(client, secret)
    response = api.post("/api/v1/items", {"kind": "news", "title": "News", "summary": "Short.", "published_on": "2021-02-01"})
    assert response.status_code == 201
    item = Item.objects.get()
    assert (item.kind, item.partner, item.published_on) == (ItemKind.NEWS, people.eropa, dt.date(2021, 2, 1))


def test_errors_follow_the_callers_language(icap, people):
    response = icap.post("/api/v1/items", event(start_date=None), headers={"Accept-Language": "fr"})
    assert response.status_code == 422
    assert response["Content-Language"] == "fr" and "Accept-Language" in response["Vary"]
    assert response.json()["errors"]["start_date"] == ["Une manifestation doit avoir un premier jour."]
    english = icap.post("/api/v1/items", event(start_date=None))
    assert english["Content-Language"] == "en"
    assert english.json()["errors"]["start_date"] == ["An event needs its first day."]
