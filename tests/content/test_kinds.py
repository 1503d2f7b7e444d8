"""The kind registry, the domain's one door for item content (save_item), and the consultation kind."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import get_template
from django.urls import reverse

from partnerpost.api import workflows as api_workflows
from partnerpost.content import kinds, workflows
from partnerpost.content.enums import AuditAction, ItemKind, ItemState
from partnerpost.content.models import AuditEntry, EventDay, Item
from tests.factories import published

D = dt.date


def consultation_values(partner, **overrides):
    values = {
        "kind": "consultation", "partner": partner, "title": "Online board on open government",
        "summary": "Tell us what worked.", "language": "en",
        "published_on": D(2020, 12, 1), "deadline": D(2020, 12, 20), "response_url": "https://icap.ac.cr/foro",
    }
    values.update(overrides)
    return values


def save(user, values, **kwargs):
    return workflows.save_item(user, workflows.ItemInput(values=values), **kwargs)


# The registry -------------------------------------------------------------------------------------------


def test_every_kind_is_registered_once_with_real_fields_and_a_facts_template():
    assert sorted(k.value for k in kinds.all()) == sorted(ItemKind.values)
    columns = {f.name for f in Item._meta.get_fields()}
    for kind in kinds.all():
        assert set(kind.fields) <= columns, kind
        assert set(kind.lists) <= {"days", "people", "winners", "series", "award_categories"}, kind
        get_template(kind.facts_template)  # raises when the template is missing


def test_unknown_kind_is_named():
    with pytest.raises(KeyError, match="Unknown item kind 'seminar'"):
        kinds.get("seminar")


def test_registering_a_kind_twice_is_refused():
    class Again(kinds.Kind):
        value = "event"

    with pytest.raises(ValueError, match="registered twice"):
        kinds.register(Again)


# save_item: one door, one transaction, the same errors ---------------------------------------------------


def test_consultation_is_created_and_submitted_in_one_call(people):
    item = save(people.icap_contributor, consultation_values(people.icap), submit=True)
    assert (item.kind, item.state, item.deadline, item.sort_date) == ("consultation", "submitted", D(2020, 12, 20), D(2020, 12, 1))
    assert [a.action for a in item.audit_entries.all()] == [AuditAction.CREATE, AuditAction.SUBMIT]


@pytest.mark.parametrize("overrides, field, message", [
    ({"deadline": None}, "deadline", "A consultation needs the day it closes."),
    ({"response_url": ""}, "response_url", "Say where to respond: the address of the discussion board or form."),
    ({"deadline": D(2020, 11, 1)}, "deadline", "The consultation closes before it was opened."),
    ({"response_url": "javascript:alert(1)"}, "response_url",
     "Enter a web address that starts with http:// or https://, or mailto: and an email address."),
    ({"response_url": "mailto:not an address"}, "response_url", "not an address is not an email address."),
    ({"title": "  "}, "title", "This field is required."),
    ({"summary": "Nul\x00"}, "summary", "This text contains a NUL character, which is not allowed."),
])
def test_bad_consultation_is_named_and_nothing_is_written(people, overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        save(people.icap_contributor, consultation_values(people.icap, **overrides), submit=True)
    assert caught.value.message_dict[field] == [message]
    assert not Item.objects.exists() and not AuditEntry.objects.exists()


def test_mailto_is_a_way_to_respond(people):
    item = save(people.icap_contributor, consultation_values(people.icap, response_url="mailto:foro@icap.ac.cr"))
    assert item.response_url == "mailto:foro@icap.ac.cr"


def test_permission_comes_before_the_rules(people):
    # An EROPA contributor learns nothing about ICAP's rules: refused, even with broken values.
    with pytest.raises(PermissionDenied):
        save(people.eropa_contributor, consultation_values(people.icap, deadline=None))
    item = save(people.icap_contributor, consultation_values(people.icap))
    with pytest.raises(PermissionDenied):
        workflows.save_item(people.eropa_contributor, workflows.ItemInput(values={"title": "Mine now"}), item=item)
    assert Item.objects.get().title == "Online board on open government"


def test_a_failed_submit_leaves_nothing_behind(people):
    # A secretariat editor may create for ICAP; a withdrawn-state submit is impossible, so make
    # submit fail by taking away the right to submit: an outsider cannot even create.
    with pytest.raises(PermissionDenied):
        save(people.outsider, consultation_values(people.icap), submit=True)
    assert not Item.objects.exists()


def test_changing_kind_clears_what_belonged_to_the_old_one(people):
    event = workflows.save_item(people.icap_contributor, workflows.ItemInput(
        values={"kind": "event", "partner": people.icap, "title": "Forum", "summary": "Two days.",
                "start_date": D(2020, 12, 3), "end_date": D(2020, 12, 5), "fee_amount": 10, "fee_currency": "usd",
                "time_zone": "utc+05:30", "start_time": dt.time(10)},
        related=workflows.Related(days=[D(2020, 12, 3), D(2020, 12, 5)]),
        series_name="Dialogue Series",
    ))
    assert (event.fee_currency, event.time_zone, event.series.name) == ("USD", "UTC+05:30", "Dialogue Series")
    assert event.starts_at == dt.datetime(2020, 12, 3, 4, 30, tzinfo=dt.UTC)
    item = workflows.save_item(
        people.icap_contributor, workflows.ItemInput(values=consultation_values(people.icap)), item=event)
    item.refresh_from_db()
    assert (item.kind, item.start_date, item.fee_amount, item.fee_currency, item.series_id) == (
        "consultation", None, None, "", None)
    assert not EventDay.objects.filter(item=item).exists()
    note = item.audit_entries.last().note.split(", ")
    assert {"kind", "deadline", "response_url", "fee_amount", "days"} <= set(note)


def test_the_same_mistake_reads_the_same_on_the_web_and_in_the_api(client, people):
    api_token, secret = api_workflows.create_token(people.icap_partner_editor, people.icap, "site")
    response = client.post("/api/v1/items", json.dumps({
        "kind": "consultation", "title": "Board", "summary": "Views wanted.", "response_url": "https://icap.ac.cr/b",
    }), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 422
    api_message = response.json()["errors"]["deadline"]

    client.force_login(people.icap_contributor)
    response = client.post(reverse("workspace:create"), {
        "kind": "consultation", "partner": people.icap.pk, "title": "Board", "summary": "Views wanted.",
        "language": "en", "date_precision": "day", "response_url": "https://icap.ac.cr/b",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["deadline"] == api_message == ["A consultation needs the day it closes."]
    assert not Item.objects.exists()


def test_links_are_checked_by_the_domain_for_every_face(people):
    with pytest.raises(ValidationError) as caught:
        workflows.save_item(people.icap_contributor, workflows.ItemInput(
            values=consultation_values(people.icap),
            related=workflows.Related(links=[("Board", "https://ok.example"), ("Old", "ftp://files.example")]),
        ))
    assert caught.value.message_dict["links"] == [
        "Line 2: ftp://files.example is not a web address; it must start with http:// or https://."]


# The consultation on the faces ------------------------------------------------------------------------------


def _published_consultation(people, **overrides):
    item = save(people.editor, consultation_values(people.icap, **overrides))
    for step in (workflows.submit_item, workflows.approve_item, workflows.publish_item):
        step(people.editor, item)
    return item


def test_api_lists_consultations_with_their_own_object(client, people):
    item = _published_consultation(people)
    published(people.icap, title="Other news")
    body = client.get("/api/v1/items", {"kind": "consultation"}).json()
    assert [row["slug"] for row in body["results"]] == [item.slug]
    row = body["results"][0]
    assert row["consultation"] == {"closes_on": "2020-12-20", "response_url": "https://icap.ac.cr/foro", "is_open": False}
    assert row["event"] is None and row["call"] is None
    schema = client.get("/api/openapi.json").json()
    assert set(schema["components"]["schemas"]["ConsultationOut"]["properties"]) == {"closes_on", "response_url", "is_open"}


def test_portal_page_shows_when_it_closes_and_where_to_respond(client, people):
    open_one = _published_consultation(people, deadline=dt.date.today() + dt.timedelta(days=10),
                                       title="Open board", response_url="https://icap.ac.cr/abierto")
    page = client.get(open_one.get_absolute_url()).content.decode()
    assert "Responses until" in page and 'href="https://icap.ac.cr/abierto"' in page and "Share your view" in page
    ld = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(ld)
    assert (data["@type"], data["expires"], data["discussionUrl"]) == (
        "CreativeWork", open_one.deadline.isoformat(), "https://icap.ac.cr/abierto")

    closed = _published_consultation(people, title="Closed board")
    page = client.get(closed.get_absolute_url()).content.decode()
    assert "closed" in page and "Share your view" not in page and "Where views were gathered" in page
    archive = client.get(reverse("portal:archive"), {"kind": "consultation"}).content.decode()
    assert "Open board" in archive and "Closed board" in archive and "Other" not in archive


def test_edition_entry_carries_the_closing_day_and_a_respond_link(people):
    from partnerpost.editions import workflows as edition_workflows
    from partnerpost.editions.models import Edition
    from partnerpost.editions.render import build_context

    item = _published_consultation(people)
    edition = edition_workflows.create_edition(people.editor, Edition(
        title="Partners' newsletter", period_start=D(2020, 10, 1), period_end=D(2020, 12, 31)))
    [entry] = [e for section in build_context(edition)["sections"] for e in section["entries"]]
    assert (entry["title"], entry["kind_label"]) == (item.title, "Consultation")
    assert entry["facts"] == ["Responses until 20 December 2020"]
    assert entry["links"][0] == {"label": "Respond", "url": "https://icap.ac.cr/foro"}


def test_demo_has_a_consultation(db):
    from partnerpost.content import demo

    demo.load(log=lambda *a: None)
    item = Item.objects.get(kind=ItemKind.CONSULTATION)
    assert (item.partner.acronym, item.state, item.deadline) == ("KIPA", ItemState.PUBLISHED, D(2020, 12, 8))
