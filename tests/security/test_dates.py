"""Finding 5: dates stay within 1900-2100 at input, whatever the door, and one absurd stored date never
breaks a feed or a page for everyone."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerpost.api import workflows as api_workflows
from partnerpost.content import workflows
from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Item
from partnerpost.network.permissions import OPERATOR
from tests.content.test_views import event_form
from tests.factories import make_item

REFUSED = "9999-12-31 is outside the dates Partnerpost accepts: give a date between 1900-01-01 and 2100-12-31."


def test_form_refuses_a_date_out_of_range_naming_the_field(client, people):
    client.force_login(people.icap_contributor)
    response = client.post(reverse("workspace:create"), event_form(people.icap, start_date="9999-12-31"))
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == [REFUSED]
    assert not Item.objects.exists()


def test_form_refuses_an_early_deadline(client, people):
    client.force_login(people.icap_contributor)
    response = client.post(reverse("workspace:create"), event_form(people.icap, enrolment_deadline="1899-12-31"))
    assert response.context["form"].errors["enrolment_deadline"] == [
        "1899-12-31 is outside the dates Partnerpost accepts: give a date between 1900-01-01 and 2100-12-31."]
    assert not Item.objects.exists()


def test_api_refuses_a_date_out_of_range_naming_the_field(client, people):
    _token, secret = api_workflows.create_token(people.icap_partner_editor, people.icap, "ICAP website")
    body = {"kind": "event", "title": "Forever", "summary": "An event that never ends.", "start_date": "2020-11-13",
            "end_date": "9999-12-31"}
    response = client.post("/api/v1/items", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == {"end_date": [REFUSED]}
    assert not Item.objects.exists()


def test_the_domain_door_refuses_for_the_importer_and_the_cli(people):
    data = workflows.ItemInput(values={"kind": ItemKind.NEWS, "title": "Old news", "summary": "From long ago.",
                                       "partner": people.icap, "published_on": dt.date(1, 1, 1)})
    with pytest.raises(ValidationError) as caught:
        workflows.save_item(OPERATOR, data)
    assert caught.value.message_dict == {"published_on": [
        "0001-01-01 is outside the dates Partnerpost accepts: give a date between 1900-01-01 and 2100-12-31."]}
    days = workflows.ItemInput(values={"kind": ItemKind.EVENT, "title": "Days", "summary": "Two days.",
                                       "partner": people.icap, "start_date": dt.date(2020, 1, 1)},
                               related=workflows.Related(days=[dt.date(2020, 1, 1), dt.date(9999, 12, 31)]))
    with pytest.raises(ValidationError) as caught:
        workflows.save_item(OPERATOR, days)
    assert caught.value.message_dict == {"days": ["Line 2: " + REFUSED]}
    assert not Item.objects.exists()


def test_publish_at_out_of_range_is_refused(client, people):
    item = make_item(people.icap, state=ItemState.APPROVED)
    client.force_login(people.editor)
    response = client.post(reverse("workspace:transition", args=[item.pk, "publish"]), {"go_live_at": "9999-12-31T10:00"},
                           follow=True)
    assert response.status_code == 200
    assert "Publish at: 9999-12-31 is outside the dates" in response.content.decode()
    assert Item.objects.get(pk=item.pk).state == ItemState.APPROVED


def _stored_absurd_event(people):
    """An event saved before dates were checked, straight into the table."""
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Sane event", start_date=dt.date(2020, 11, 3))
    return make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Absurd event",
                     start_date=dt.date(9999, 12, 31))


@pytest.mark.parametrize("path", ["/calendar/events.ics", "/calendar/partner/icap.ics", "/calendar/search.ics?q=event"])
def test_calendars_leave_out_one_absurd_event_and_serve_the_others(client, people, path, caplog):
    _stored_absurd_event(people)
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Absurd event" not in body
    if "search" not in path:
        assert "SUMMARY:Sane event" in body
        assert any("Absurd event" in r.getMessage() or "absurd-event" in r.getMessage() or "out of range" in r.getMessage()
                   for r in caplog.records)


def test_pages_and_feeds_survive_an_absurd_event(client, people):
    item = _stored_absurd_event(people)
    for path in ["/", "/events/", "/events/past/", "/items/", "/feeds/items.rss", "/feeds/items.atom",
                 "/events/calendar/?month=9999-12", item.get_absolute_url(), f"/api/v1/items/{item.slug}",
                 "/api/v1/events?start=2020-01-01&end=2100-12-31", "/sitemap.xml"]:
        assert client.get(path).status_code in {200, 404}, path


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "99999999999999999999-1", "2020-13", "2020-00", "-1-5",
                                   "1899-12", "2101-01", "２０２０-１", "20x0-01", "0-0", "--", "2020-1-1"])
def test_month_calendar_never_fails_on_a_month(client, people, month):
    response = client.get("/events/calendar/", {"month": month})
    assert response.status_code in {200, 404}
    if response.status_code == 200:
        assert response.context["error"].startswith("Month: ")


def test_month_calendar_shows_a_long_event_only_in_its_month(client, people):
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Decades",
              start_date=dt.date(1900, 1, 1), end_date=dt.date(2100, 12, 31))
    response = client.get("/events/calendar/", {"month": "2020-02"})
    assert response.status_code == 200
    days = [cell for week in response.context["weeks"] for cell in week if cell["events"]]
    assert len(days) == 29
