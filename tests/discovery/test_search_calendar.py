"""A calendar for any search: /calendar/search.ics takes the search page's words and filters."""

import datetime as dt

import icalendar

from partnerpost.content import workflows
from partnerpost.content.enums import ItemKind
from partnerpost.content.models import Item


def _event(user, partner, title, day, publish=True):
    item = workflows.create_item(user, Item(kind=ItemKind.EVENT, partner=partner, title=title, summary=title,
                                            start_date=day, end_date=day))
    if publish:
        for step in (workflows.submit_item, workflows.approve_item, workflows.publish_item):
            step(user, item)
    return item


def _summaries(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


def test_search_calendar_holds_the_live_events_the_search_finds(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _event(people.editor, people.icap, "Workshop on public procurement", dt.date(2021, 3, 4))
        _event(people.editor, people.eropa, "Procurement forum for the region", dt.date(2021, 4, 8))
        _event(people.editor, people.icap, "Seminar on ethics", dt.date(2021, 5, 6))
        _event(people.editor, people.icap, "Procurement draft never published", dt.date(2021, 6, 1), publish=False)
    assert _summaries(client.get("/calendar/search.ics?q=procurement")) == [
        "Procurement forum for the region", "Workshop on public procurement"]
    assert _summaries(client.get(f"/calendar/search.ics?q=procurement&partner={people.icap.slug}")) == [
        "Workshop on public procurement"]
    assert _summaries(client.get("/calendar/search.ics?q=nothingmatchesthis")) == []
    assert len(_summaries(client.get("/calendar/search.ics"))) == 3  # no words: every live event


def test_search_page_advertises_its_calendar(client, people):
    html = client.get("/search/?q=procurement").content.decode()
    assert 'type="text/calendar"' in html and "/calendar/search.ics?q=procurement" in html
