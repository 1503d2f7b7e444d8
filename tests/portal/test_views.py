import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Country, Region, Series, Theme
from tests.factories import make_item, make_partner, move_to, published


def _titles(response):
    return [item.title for item in response.context["items"]]


def test_public_pages_answer(client, people):
    item = make_item(people.icap, state=ItemState.PUBLISHED, title="EROPA Bulletin")
    for url in ["/", "/items/", "/events/", "/events/past/", "/partners/", "/partners/icap/", item.get_absolute_url(), "/accounts/login/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response.headers
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_no_inline_scripts_or_styles(client, people):
    item = make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT)
    html = client.get(item.get_absolute_url()).content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all('src="' in attrs or 'type="application/ld+json"' in attrs for attrs in scripts)
    assert "style=" not in html and "<style" not in html


@pytest.mark.parametrize("state", [ItemState.DRAFT, ItemState.SUBMITTED, ItemState.APPROVED, ItemState.WITHDRAWN])
def test_unpublished_items_stay_hidden(client, people, state):
    hidden = make_item(people.icap, state=state, title="Secret draft", kind=ItemKind.EVENT, start_date=dt.date.today() + dt.timedelta(days=3))
    for url in ["/", "/items/", "/events/", "/partners/icap/"]:
        assert "Secret draft" not in client.get(url).content.decode(), url
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(people.eropa_contributor)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(people.icap_contributor)
    preview = client.get(hidden.get_absolute_url())
    assert preview.status_code == 200 and "Preview: this item is not public" in preview.content.decode()


def test_archive_filters(client, people):
    asia = Region.objects.get(code="142")
    korea = Country.objects.get(code="KR")
    theme = Theme.objects.get(slug="digital-government")
    a = make_item(people.icap, state=ItemState.PUBLISHED, title="A news", published_on=dt.date(2020, 10, 5))
    b = make_item(people.eropa, state=ItemState.PUBLISHED, title="B event", kind=ItemKind.EVENT, start_date=dt.date(2020, 11, 3))
    c = make_item(people.eropa, state=ItemState.PUBLISHED, title="C report", kind=ItemKind.PUBLICATION, published_on=dt.date(2021, 2, 1))
    a.themes.add(theme)
    b.countries.add(korea)
    c.regions.add(Region.objects.get(code="030"))
    assert _titles(client.get("/items/")) == ["C report", "B event", "A news"]
    assert _titles(client.get("/items/?kind=event")) == ["B event"]
    assert _titles(client.get("/items/?partner=eropa")) == ["C report", "B event"]
    assert _titles(client.get("/items/?theme=digital-government")) == ["A news"]
    assert _titles(client.get("/items/?country=KR")) == ["B event"]
    assert _titles(client.get(f"/items/?region={asia.code}")) == ["C report", "B event"]
    assert _titles(client.get("/items/?region=030&kind=publication")) == ["C report"]
    assert _titles(client.get("/items/?date_from=2020-10-10&date_to=2020-12-31")) == ["B event"]


def test_bad_filter_values_are_reported_and_ignored(client, people):
    make_item(people.icap, state=ItemState.PUBLISHED, title="Only item")
    response = client.get("/items/?partner=nobody&date_from=yesterday")
    form = response.context["form"]
    assert form.errors["partner"] == ["Select a valid choice. nobody is not one of the available choices."]
    assert form.errors["date_from"] == ["Enter a valid date."]
    assert _titles(response) == ["Only item"]
    response = client.get("/items/?date_from=2021-01-01&date_to=2020-01-01")
    assert response.context["form"].errors["date_to"] == ["The end of the range is before its start."]


def test_archive_pagination_is_stable(client, people, settings):
    settings.ARCHIVE_PAGE_SIZE = 2
    for n in range(5):
        make_item(people.icap, state=ItemState.PUBLISHED, title=f"Same day {n}", published_on=dt.date(2020, 10, 1))
    pages = [_titles(client.get(f"/items/?page={p}")) for p in (1, 2, 3)]
    assert pages == [["Same day 4", "Same day 3"], ["Same day 2", "Same day 1"], ["Same day 0"]]
    assert 'href="?kind=news&amp;page=2"' in client.get("/items/?kind=news").content.decode()


def test_events_upcoming_and_past(client, people):
    today = dt.date.today()
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Next week", start_date=today + dt.timedelta(days=7))
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Tomorrow", start_date=today + dt.timedelta(days=1))
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Running now", start_date=today - dt.timedelta(days=1), end_date=today + dt.timedelta(days=1))
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Last year", start_date=today - dt.timedelta(days=365))
    assert _titles(client.get("/events/")) == ["Running now", "Tomorrow", "Next week"]
    assert _titles(client.get("/events/past/")) == ["Last year"]


def _query_count(client, url):
    cache.clear()  # measure the view itself, not the kept anonymous page
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _populate(partner, n, start):
    theme = Theme.objects.get(slug="sdg-16")
    series = Series.objects.get_or_create(name="Dialogues", slug="dialogues")[0]
    for i in range(n):
        item = make_item(
            partner, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, start_date=start + dt.timedelta(days=i),
            venue_country=Country.objects.get(code="SI"), city="Ljubljana", series=series,
        )
        item.themes.add(theme)
        item.days.create(date=item.start_date)
        item.days.create(date=item.start_date + dt.timedelta(days=2))


@pytest.mark.parametrize("url", ["/", "/items/", "/events/", "/events/past/", "/partners/", "/partners/icap/"])
def test_list_pages_do_a_constant_number_of_queries(client, people, url, settings):
    settings.ARCHIVE_PAGE_SIZE = 50
    start = dt.date.today() + dt.timedelta(days=1) if "past" not in url else dt.date(2020, 1, 1)
    _populate(people.icap, 3, start)
    few = _query_count(client, url)
    _populate(people.icap, 30, start + dt.timedelta(days=100))
    make_partner("NISPAcee")
    assert _query_count(client, url) == few


def test_item_page_query_count_does_not_grow_with_relations(client, people):
    item = make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT)
    url = item.get_absolute_url()
    few = _query_count(client, url)
    item.themes.add(*Theme.objects.all()[:10])
    item.countries.add(*Country.objects.all()[:10])
    for n in range(10):
        item.links.create(label=f"Link {n}", url=f"https://example.org/{n}")
        item.people.create(name=f"Speaker {n}")
        item.organizations.create(role="organizer", name=f"Body {n}")
    assert _query_count(client, url) == few


def _jsonld(response):
    html = response.content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return json.loads(block)


def test_event_page_has_schema_org_event_and_open_graph(client, people):
    item = make_item(
        people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Taller </script><b>virtual</b>",
        event_format="online", start_date=dt.date(2020, 11, 13), fee_amount=50, fee_currency="USD",
        registration_url="https://icap.ac.cr/matricula", enrolment_deadline=dt.date(2020, 11, 13), language="es",
    )
    item.organizations.create(role="organizer", partner=people.icap)
    response = client.get(item.get_absolute_url())
    data = _jsonld(response)
    assert data["@type"] == "Event"
    assert data["name"] == "Taller </script><b>virtual</b>"
    assert data["startDate"] == "2020-11-13" and data["endDate"] == "2020-11-13"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://icap.ac.cr/matricula"}
    assert data["organizer"] == [{"@type": "Organization", "name": "Instituto Centroamericano de Administración Pública"}]
    assert data["offers"] == {"@type": "Offer", "price": "50.00", "priceCurrency": "USD", "url": "https://icap.ac.cr/matricula", "validThrough": "2020-11-13"}
    assert data["inLanguage"] == "es"
    html = response.content.decode()
    assert '<meta property="og:title" content="Taller &lt;/script&gt;&lt;b&gt;virtual&lt;/b&gt;">' in html
    assert f'<meta property="og:url" content="http://testserver{item.get_absolute_url()}">' in html


def test_in_person_event_location_is_a_place(client, people):
    item = make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, event_format="in_person",
                     city="Ljubljana", venue_country=Country.objects.get(code="SI"))
    data = _jsonld(client.get(item.get_absolute_url()))
    assert data["location"] == {"@type": "Place", "name": "Ljubljana", "address": {"@type": "PostalAddress", "addressLocality": "Ljubljana", "addressCountry": "SI"}}
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"


def test_publication_page_is_a_creative_work(client, people):
    item = make_item(people.eropa, state=ItemState.PUBLISHED, kind=ItemKind.PUBLICATION, title="EROPA Bulletin Volume 41",
                     published_on=dt.date(2020, 10, 20), document_url="https://eropa.co/eropa-bulletin.html")
    data = _jsonld(client.get(item.get_absolute_url()))
    assert (data["@type"], data["datePublished"], data["publisher"]["name"]) == (
        "CreativeWork", "2020-10-20", "Eastern Regional Organization for Public Administration")


def test_event_dates_are_written_like_a_person_would(client, people):
    cases = [
        ({"start_date": dt.date(2020, 10, 13)}, [], "13 October 2020"),
        ({"start_date": dt.date(2020, 11, 24), "end_date": dt.date(2020, 11, 26)}, [], "24–26 November 2020"),
        ({"start_date": dt.date(2020, 9, 30), "end_date": dt.date(2020, 10, 4)}, [], "30 September – 4 October 2020"),
        ({"start_date": dt.date(2020, 11, 3), "end_date": dt.date(2020, 11, 5)}, [dt.date(2020, 11, 3), dt.date(2020, 11, 5)], "3 &amp; 5 November 2020"),
        ({"start_date": dt.date(2020, 10, 1), "end_date": dt.date(2020, 10, 31), "date_precision": "month"}, [], "October 2020"),
    ]
    for fields, days, expected in cases:
        item = make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, **fields)
        for day in days:
            item.days.create(date=day)
        assert expected in client.get(item.get_absolute_url()).content.decode(), expected


def test_vague_publication_dates_are_shown_as_vague(client, people):
    item = make_item(people.icap, state=ItemState.PUBLISHED, published_on=dt.date(2020, 11, 1), date_precision="quarter")
    assert "October–December 2020" in client.get(item.get_absolute_url()).content.decode()
    item.date_precision = "month"
    item.save()
    assert "November 2020" in client.get("/items/").content.decode()


def test_month_calendar_places_events_on_their_days(client, people):
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Range", start_date=dt.date(2020, 11, 24), end_date=dt.date(2020, 11, 26))
    b = make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Split", start_date=dt.date(2020, 11, 3), end_date=dt.date(2020, 11, 5))
    b.days.create(date=dt.date(2020, 11, 3))
    b.days.create(date=dt.date(2020, 11, 5))
    make_item(people.eropa, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Other partner", start_date=dt.date(2020, 11, 10))
    make_item(people.icap, state=ItemState.DRAFT, kind=ItemKind.EVENT, title="Draft", start_date=dt.date(2020, 11, 10))
    response = client.get("/events/calendar/?month=2020-11&partner=icap")
    cells = {cell["date"]: [i.title for i in cell["events"]] for week in response.context["weeks"] for cell in week if cell["events"]}
    assert cells == {
        dt.date(2020, 11, 3): ["Split"], dt.date(2020, 11, 5): ["Split"],
        dt.date(2020, 11, 24): ["Range"], dt.date(2020, 11, 25): ["Range"], dt.date(2020, 11, 26): ["Range"],
    }
    assert response.context["weeks"][0][0]["date"] == dt.date(2020, 10, 26)  # weeks start on Monday
    html = response.content.decode()
    assert 'href="?month=2020-10&amp;partner=icap"' in html and 'href="?month=2020-12&amp;partner=icap"' in html


def test_month_calendar_bad_month_is_explained(client, people):
    response = client.get("/events/calendar/?month=November")
    assert response.context["error"] == "Month: November is not a month; write it as YYYY-MM."
    assert response.status_code == 200


def test_month_calendar_query_count_is_constant(client, people):
    _populate(people.icap, 2, dt.date(2020, 1, 3))
    few = _query_count(client, "/events/calendar/?month=2020-01")
    _populate(people.icap, 20, dt.date(2020, 1, 5))
    assert len(client.get("/events/calendar/?month=2020-01").context["events"]) == 22
    assert _query_count(client, "/events/calendar/?month=2020-01") == few


def test_archive_total_is_counted_once_and_follows_changes(client, people):
    from partnerpost.content import workflows

    for n in range(3):
        published(people.icap, title=f"Counted {n}")
    first = client.get("/items/")
    assert first.context["page"].paginator.count == 3
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/items/?page=1")
    assert again.context["page"].paginator.count == 3
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    item = make_item(people.icap, title="Counted later")
    move_to(item, "published", people.editor)
    assert client.get("/items/").context["page"].paginator.count == 4
    workflows.withdraw_item(people.editor, item, "no longer relevant")
    assert client.get("/items/").context["page"].paginator.count == 3


def test_anonymous_pages_are_kept_until_content_changes(client, people, django_user_model):
    published(people.icap, title="First story")
    assert client.get("/items/")["X-Page-Cache"] == "miss"
    again = client.get("/items/")
    assert again["X-Page-Cache"] == "hit" and "First story" in again.content.decode()
    published(people.icap, title="Second story")
    fresh = client.get("/items/")
    assert fresh["X-Page-Cache"] == "miss" and "Second story" in fresh.content.decode()
    assert client.get("/items/?kind=news")["X-Page-Cache"] == "miss"  # each address on its own
    client.cookies["messages"] = "x"
    assert "X-Page-Cache" not in client.get("/items/")  # a one-time message is never kept or served
    del client.cookies["messages"]
    client.force_login(people.editor)
    assert "X-Page-Cache" not in client.get("/items/")  # signed-in pages are personal
