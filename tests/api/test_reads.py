"""Public reads: what each list and detail says, its filters, cursor pages and conditional GETs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from partnerpost.content import workflows
from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Country, Item, Theme
from partnerpost.editions import workflows as edition_workflows
from partnerpost.editions.models import Edition
from tests.factories import make_item, make_partner, move_to, published
from tests.plans import assert_read_in_index_order


def _titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def _walk(api, path, params, key="title"):
    """Every page of a list, following `next`; returns the rows' titles (or other key) and the number of pages."""
    titles, pages = [], 0
    response = api.get(path, params)
    while True:
        pages += 1
        body = response.json()
        titles += [row[key] for row in body["results"]]
        if body["next"] is None:
            assert "Link" not in response
            return titles, pages
        assert response["Link"] == f'<{body["next"]}>; rel="next"'
        response = api.client.get(body["next"])


@pytest.fixture
def workshop(people, django_capture_on_commit_callbacks):
    """A rich published event, made and published through the real workflow (so it is indexed too)."""
    with django_capture_on_commit_callbacks(execute=True):
        item = workflows.create_item(people.editor, Item(
            kind=ItemKind.EVENT, partner=people.icap, title="Taller virtual de gestión territorial",
            summary="Cuatro sesiones en línea.", body="Programa en [la web](https://icap.ac.cr/taller).", language="es",
            event_type="workshop", event_format="online", start_date=dt.date(2020, 11, 13), end_date=dt.date(2020, 11, 20),
            start_time=dt.time(9, 0), end_time=dt.time(11, 0), time_zone="America/Costa_Rica",
            fee_amount=Decimal("50.00"), fee_currency="USD", session_count=4, total_hours=Decimal("6.0"),
            enrolment_deadline=dt.date(2020, 11, 10), online_url="https://icap.ac.cr/aula",
        ), workflows.Related(
            themes=[Theme.objects.get(slug="digital-government")], countries=[Country.objects.get(code="CR")],
            organizations=[workflows.Organization(role="organizer", partner=people.icap),
                           workflows.Organization(role="supporter", name="UNCDF Malaysia")],
            links=[("Programme", "https://icap.ac.cr/taller")],
            people=[workflows.Person(name="Alain Jordá", role="facilitator", affiliation="ICAP")],
        ))
        move_to(item, ItemState.PUBLISHED, people.editor)
    return Item.objects.get(pk=item.pk)


def test_item_detail_says_everything_the_portal_shows(anon, workshop):
    response = anon.get(f"/api/v1/items/{workshop.slug}")
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == workshop.slug and workshop.slug.startswith("taller-virtual-de-gestion-territorial-")
    assert body["url"] == f"http://testserver/items/{workshop.slug}/"
    assert (body["kind"], body["title"], body["summary"], body["language"]) == (
        "event", "Taller virtual de gestión territorial", "Cuatro sesiones en línea.", "es")
    assert body["body_html"] == workshop.body_html and 'href="https://icap.ac.cr/taller"' in body["body_html"]
    assert body["partner"] == {"slug": "icap", "acronym": "ICAP", "name": "Instituto Centroamericano de Administración Pública"}
    assert body["themes"] == [{"slug": "digital-government", "name": "Digital government", "kind": "topic", "sdg_number": None}]
    assert body["countries"] == [{"code": "CR", "name": "Costa Rica"}]
    assert body["organizations"] == [
        {"role": "organizer", "name": "Instituto Centroamericano de Administración Pública", "partner": "icap"},
        {"role": "supporter", "name": "UNCDF Malaysia", "partner": None},
    ]
    assert body["links"] == [{"label": "Programme", "url": "https://icap.ac.cr/taller"}]
    assert body["date"] == "2020-11-13" and body["publication"] is None and body["call"] is None and body["award"] is None
    assert body["event"] == {
        "type": "workshop", "format": "online", "status": "scheduled",
        "start_date": "2020-11-13", "end_date": "2020-11-20", "days": [], "date_precision": "day",
        "start_time": "09:00", "end_time": "11:00", "time_zone": "America/Costa_Rica",
        "starts_at": "2020-11-13T15:00:00Z", "ends_at": "2020-11-20T17:00:00Z",
        "venue": "", "city": "", "venue_country": None, "online_url": "https://icap.ac.cr/aula", "registration_url": "",
        "fee": {"amount": "50.00", "currency": "USD"}, "enrolment_deadline": "2020-11-10", "capacity": None,
        "session_count": 4, "total_hours": "6.0", "series": None,
        "people": [{"name": "Alain Jordá", "role": "facilitator", "affiliation": "ICAP"}],
        "calendar_url": f"http://testserver/items/{workshop.slug}/event.ics",
    }
    assert "state" not in body  # the public shape has no workflow fields


def test_unknown_or_unpublished_item_is_not_found(anon, people):
    draft = make_item(people.icap, title="Draft")
    for slug in (draft.slug, "no-such-item"):
        response = anon.get(f"/api/v1/items/{slug}")
        assert response.status_code == 404
        assert response.json() == {"detail": "No published item has this slug.", "errors": None}


def test_items_newest_first_and_filters(anon, people):
    bulletin = published(people.eropa, kind=ItemKind.PUBLICATION, title="EROPA Bulletin", published_on=dt.date(2020, 10, 20), language="en")
    published(people.icap, title="Noticia", published_on=dt.date(2020, 12, 1), language="es")
    event = published(people.icap, kind=ItemKind.EVENT, title="Webinar", start_date=dt.date(2020, 11, 3))
    bulletin.themes.add(Theme.objects.get(slug="sdg-16"))
    bulletin.countries.add(Country.objects.get(code="PH"))
    event.countries.add(Country.objects.get(code="CR"))

    assert _titles(anon.get("/api/v1/items")) == ["Noticia", "Webinar", "EROPA Bulletin"]
    assert _titles(anon.get("/api/v1/items", {"kind": "publication"})) == ["EROPA Bulletin"]
    assert _titles(anon.get("/api/v1/items", {"partner": "icap"})) == ["Noticia", "Webinar"]
    assert _titles(anon.get("/api/v1/items", {"theme": "sdg-16"})) == ["EROPA Bulletin"]
    assert _titles(anon.get("/api/v1/items", {"country": "cr"})) == ["Webinar"]
    assert _titles(anon.get("/api/v1/items", {"region": "142"})) == ["EROPA Bulletin"]  # Asia holds the Philippines
    assert _titles(anon.get("/api/v1/items", {"region": "419"})) == ["Webinar"]  # Latin America holds Costa Rica
    assert _titles(anon.get("/api/v1/items", {"language": "es"})) == ["Noticia"]
    later = timezone.now() + dt.timedelta(minutes=5)
    assert _titles(anon.get("/api/v1/items", {"updated_since": later.isoformat()})) == []


@pytest.mark.parametrize("params, field", [
    ({"kind": "poem"}, "kind"),
    ({"country": "Costa Rica"}, "country"),
    ({"region": "Asia"}, "region"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"updated_since": "yesterday"}, "updated_since"),
])
def test_bad_filters_are_refused_naming_the_parameter(anon, people, params, field):
    response = anon.get("/api/v1/items", params)
    assert response.status_code == 422
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["detail"] == f"Some fields are not valid: {field}."


def test_events_overlapping_a_date_range_earliest_first(anon, people):
    published(people.icap, kind=ItemKind.EVENT, title="Autumn school", start_date=dt.date(2020, 10, 28), end_date=dt.date(2020, 11, 2))
    published(people.icap, kind=ItemKind.EVENT, title="Webinar", start_date=dt.date(2020, 11, 3), event_format="online")
    published(people.eropa, kind=ItemKind.EVENT, title="Forum", start_date=dt.date(2020, 11, 10), end_date=dt.date(2020, 11, 12), event_format="hybrid", city="Manila")
    published(people.eropa, kind=ItemKind.EVENT, title="Ceremony", start_date=dt.date(2020, 12, 5))
    published(people.eropa, kind=ItemKind.EVENT, title="Last year", start_date=dt.date(2019, 11, 5))
    published(people.icap, title="News in November", published_on=dt.date(2020, 11, 5))
    make_item(people.icap, kind=ItemKind.EVENT, title="Draft event", start_date=dt.date(2020, 11, 4))

    assert _titles(anon.get("/api/v1/events", {"start": "2020-11-01", "end": "2020-11-10"})) == ["Autumn school", "Webinar", "Forum"]
    assert _titles(anon.get("/api/v1/events", {"start": "2020-11-03", "end": "2020-11-03"})) == ["Webinar"]
    assert _titles(anon.get("/api/v1/events", {"start": "2020-11-11"})) == ["Forum", "Ceremony"]
    assert _titles(anon.get("/api/v1/events", {"end": "2020-10-31"})) == ["Last year", "Autumn school"]
    assert _titles(anon.get("/api/v1/events", {"start": "2020-11-01", "end": "2020-11-30", "partner": "eropa"})) == ["Forum"]
    assert _titles(anon.get("/api/v1/events", {"format": "online"})) == ["Webinar"]
    assert _titles(anon.get("/api/v1/events")) == ["Last year", "Autumn school", "Webinar", "Forum", "Ceremony"]


def test_event_range_errors_name_the_parameter(anon, people):
    response = anon.get("/api/v1/events", {"start": "2020-11-10", "end": "2020-11-01"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"end": ["The end of the range is before its start."]}
    response = anon.get("/api/v1/events", {"start": "10 November"})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["start"]


def test_pages_walk_every_item_once_in_order(anon, people):
    # Many items share a date, so the id must break ties for the pages to be stable.
    for n in range(23):
        published(people.icap if n % 2 else people.eropa, title=f"News {n:02}", published_on=dt.date(2020, 10, 1 + n % 4))
    expected = _titles(anon.get("/api/v1/items", {"limit": 100}))
    assert len(expected) == 23
    titles, pages = _walk(anon, "/api/v1/items", {"limit": 5})
    assert titles == expected and pages == 5
    assert len(set(titles)) == 23


def test_the_item_list_walks_the_listing_index_instead_of_sorting(anon, people):
    """At a million items a sort of every live item took seconds per request: the list's order must be one an
    index gives, on both engines (with sequential scans and sorts made as dear as the planner allows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        published(people.icap, title=f"News {n}", published_on=dt.date(2020, 10, 1 + n))
    with CaptureQueriesContext(connection) as captured:
        first = anon.get("/api/v1/items", {"limit": 2}).json()
        anon.client.get(first["next"])
    listing = [q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"] and '"content_item"."sort_date"' in q["sql"]
               and q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(listing) == 2, [q["sql"] for q in captured.captured_queries]
    for sql in listing:
        assert_read_in_index_order(sql)


def test_event_pages_walk_every_event_once_in_order(anon, people):
    for n in range(11):
        published(people.icap, kind=ItemKind.EVENT, title=f"Event {n:02}", start_date=dt.date(2020, 11, 1 + n % 3))
    titles, pages = _walk(anon, "/api/v1/events", {"limit": 4, "start": "2020-11-01"})
    assert pages == 3
    assert titles == _titles(anon.get("/api/v1/events", {"limit": 100, "start": "2020-11-01"}))
    assert len(set(titles)) == 11


def test_rows_added_between_pages_neither_repeat_nor_shift_the_next_page(anon, people):
    for n in range(6):
        published(people.icap, title=f"News {n}", published_on=dt.date(2020, 10, 1 + n))
    first = anon.get("/api/v1/items", {"limit": 3}).json()
    assert [r["title"] for r in first["results"]] == ["News 5", "News 4", "News 3"]
    published(people.icap, title="Newest", published_on=dt.date(2020, 12, 1))
    second = anon.client.get(first["next"]).json()
    assert [r["title"] for r in second["results"]] == ["News 2", "News 1", "News 0"]
    assert second["next"] is None


@pytest.mark.parametrize("cursor", ["nonsense", "", "eyJ4IjoxfQ:1abc:def"])
def test_a_cursor_not_given_out_is_a_400_naming_cursor(anon, people, cursor):
    published(people.icap, title="One")
    response = anon.get("/api/v1/items", {"cursor": cursor} if cursor else {"cursor": "x" * 10})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("cursor: this is not a cursor this list gave out.")
    assert list(body["errors"]) == ["cursor"]


def test_a_cursor_of_another_list_is_refused(anon, people):
    for n in range(3):
        published(people.icap, kind=ItemKind.EVENT, title=f"Event {n}", start_date=dt.date(2020, 11, 1 + n))
    events_next = anon.get("/api/v1/events", {"limit": 1}).json()["next"]
    cursor = events_next.split("cursor=")[1].split("&")[0]
    response = anon.get("/api/v1/items", {"cursor": cursor})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["cursor"]


def test_etag_and_if_none_match(anon, people):
    item = published(people.icap, title="Stable")
    first = anon.get("/api/v1/items")
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    assert first["Cache-Control"] == "public, max-age=60"
    again = anon.get("/api/v1/items", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == "public, max-age=60"
    assert anon.get("/api/v1/items", headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert anon.get(f"/api/v1/items/{item.slug}", headers={"If-None-Match": etag}).status_code == 200

    Item.objects.filter(pk=item.pk).update(title="Changed")
    changed = anon.get("/api/v1/items", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert _titles(changed) == ["Changed"]


def test_head_answers_the_headers_of_get(anon, people):
    published(people.icap, title="One")
    get = anon.get("/api/v1/items")
    head = anon.client.head("/api/v1/items")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"] and head["Content-Length"] == str(len(get.content))


def test_partners_in_portal_order(anon, people):
    make_partner("NIA", "National Institute of Administration", display_order=1, website="https://nia.gov.example")
    make_partner("OLD", "Closed institute", is_active=False)
    body = anon.get("/api/v1/partners").json()
    assert [p["acronym"] for p in body["results"]] == ["NIA", "ICAP", "EROPA"]
    assert body["results"][0] == {
        "slug": "nia", "acronym": "NIA", "name": "National Institute of Administration", "kind": "other",
        "description": "", "website": "https://nia.gov.example", "country": None, "region": None, "logo_url": None,
        "url": "http://testserver/partners/nia/", "items_url": "http://testserver/api/v1/items?partner=nia",
    }
    assert _walk(anon, "/api/v1/partners", {"limit": 2}, key="acronym") == (["NIA", "ICAP", "EROPA"], 2)
    assert anon.get("/api/v1/partners/icap").json()["acronym"] == "ICAP"
    assert anon.get("/api/v1/partners/old").status_code == 404


def test_themes_list_every_sdg_and_topic(anon, db):
    body = anon.get("/api/v1/themes").json()
    assert len(body["results"]) == 17 + 15
    assert body["results"][0] == {"slug": "sdg-1", "name": "No poverty", "kind": "sdg", "sdg_number": 1}


def _publish_edition(people, title="Partners' Newsletter", **fields):
    edition = edition_workflows.create_edition(people.editor, Edition(
        title=title, period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31), **fields))
    edition_workflows.mark_ready(people.editor, edition)
    return edition_workflows.publish_edition(people.editor, edition)


def test_editions_published_only_and_as_sent(anon, people):
    item = make_item(people.icap, state=ItemState.APPROVED, title="ICAP news", published_on=dt.date(2020, 11, 2))
    edition = _publish_edition(people, volume=3, number=4)
    draft = edition_workflows.create_edition(people.editor, Edition(
        title="Next issue", period_start=dt.date(2021, 1, 1), period_end=dt.date(2021, 3, 31)))

    listing = anon.get("/api/v1/editions").json()
    assert [e["slug"] for e in listing["results"]] == [edition.slug]
    assert listing["results"][0]["url"] == f"http://127.0.0.1:8000/editions/{edition.slug}/"
    assert listing["results"][0]["period"] == "October – December 2020"
    assert anon.get(f"/api/v1/editions/{draft.slug}").status_code == 404

    body = anon.get(f"/api/v1/editions/{edition.slug}").json()
    assert (body["volume"], body["number"]) == (3, 4)
    assert [(s["title"], s["partner"], [e["title"] for e in s["entries"]]) for s in body["sections"]] == [
        ("Instituto Centroamericano de Administración Pública", "ICAP", ["ICAP news"])]
    # Later changes to the item do not change what the edition said.
    Item.objects.filter(pk=item.pk).update(title="Renamed")
    assert anon.get(f"/api/v1/editions/{edition.slug}").json()["sections"][0]["entries"][0]["title"] == "ICAP news"


def test_search_hits_and_facets(anon, people, workshop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for title, partner in [("Digital government webinar", people.eropa), ("Digital bulletin", people.eropa)]:
            item = workflows.create_item(people.editor, Item(kind=ItemKind.NEWS, partner=partner, title=title,
                                                             summary="Digital things.", published_on=dt.date(2021, 3, 1)))
            move_to(item, ItemState.PUBLISHED, people.editor)
    body = anon.get("/api/v1/search", {"q": "digital"}).json()
    assert body["total"] == 2 and body["query"] == "digital"
    assert sorted(hit["item"]["title"] for hit in body["results"]) == ["Digital bulletin", "Digital government webinar"]
    assert "<mark>" in body["results"][0]["snippet"]
    assert body["facets"]["partner"] == [{"value": "eropa", "label": "EROPA", "count": 2}]
    assert body["facets"]["kind"] == [{"value": "news", "label": "News", "count": 2}]
    assert body["facets"]["year"] == [{"value": "2021", "label": "2021", "count": 2}]
    assert set(body["facets"]) == {"kind", "partner", "theme", "region", "country", "language", "year"}

    filtered = anon.get("/api/v1/search", {"q": "gestion", "partner": "icap"}).json()
    assert [hit["item"]["slug"] for hit in filtered["results"]] == [workshop.slug]
    assert anon.get("/api/v1/search", {"q": "digital", "partner": "icap"}).json()["total"] == 0


def test_search_pages(anon, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            item = workflows.create_item(people.editor, Item(kind=ItemKind.NEWS, partner=people.icap, title=f"Budget report {n}",
                                                             summary="Budget.", published_on=dt.date(2020, 10, 1)))
            move_to(item, ItemState.PUBLISHED, people.editor)
    titles, pages = [], 0
    response = anon.get("/api/v1/search", {"q": "budget", "limit": 2})
    while True:
        pages += 1
        body = response.json()
        assert body["total"] == 5
        titles += [hit["item"]["title"] for hit in body["results"]]
        if not body["next"]:
            break
        response = anon.client.get(body["next"])
    assert pages == 3 and sorted(titles) == [f"Budget report {n}" for n in range(5)]


def test_search_loads_its_hits_in_a_fixed_number_of_queries(anon, people, django_capture_on_commit_callbacks):
    """A page of 8 hits costs the same queries as a page of 2: related rows come in bulk, not one hit at a time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(8):
            item = workflows.create_item(people.editor, Item(kind=ItemKind.NEWS, partner=people.icap, title=f"Budget report {n}",
                                                             summary="Budget.", published_on=dt.date(2020, 10, 1)), workflows.Related(
                themes=[Theme.objects.get(slug="sdg-16")], countries=[Country.objects.get(code="CR")],
                links=[("Report", f"https://icap.ac.cr/{n}")],
                organizations=[workflows.Organization(role="organizer", partner=people.icap)]))
            move_to(item, ItemState.PUBLISHED, people.editor)
    counts = []
    for limit in (2, 8):
        anon.get("/api/v1/search", {"q": "budget", "limit": limit, "partner": "icap"})  # warm the kept labels
        with CaptureQueriesContext(connection) as captured:
            body = anon.get("/api/v1/search", {"q": "budget", "limit": limit, "partner": "icap"}).json()
        assert len(body["results"]) == limit
        assert body["results"][0]["item"]["countries"] and body["results"][0]["item"]["links"]
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_search_needs_words(anon, db):
    response = anon.get("/api/v1/search")
    assert response.status_code == 422 and list(response.json()["errors"]) == ["q"]
    body = anon.get("/api/v1/search", {"q": "!!!"}).json()
    assert body["total"] == 0 and body["results"] == [] and body["facets"]["kind"] == []


@pytest.mark.parametrize("path, params", [
    ("/api/v1/items", {}), ("/api/v1/events", {}), ("/api/v1/partners", {}), ("/api/v1/editions", {}),
])
def test_lists_cost_the_same_queries_for_few_or_many_rows(anon, people, path, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def rich(n):
        for i in range(n):
            item = published(people.icap, kind=ItemKind.EVENT, title=f"Event {i}", start_date=dt.date(2020, 11, 1 + i))
            item.themes.add(Theme.objects.get(slug="sdg-16"))
            item.countries.add(Country.objects.get(code="CR"))
            item.links.create(label="Programme", url="https://example.org")
            item.people.create(name="Speaker")
            item.organizations.create(role="organizer", partner=people.icap)
            make_partner(f"P{len(path)}{n}{i}")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert anon.get(path, params).status_code == 200
        return len(queries)

    rich(2)
    few = count()
    rich(8)
    assert count() == few


def test_api_root_and_unknown_addresses_answer_json(anon, db):
    assert anon.get("/api/").json() == {
        "openapi": "http://testserver/api/openapi.json", "docs": "http://testserver/api/docs"
    }
    for path in ("/api/v1/", "/api/v1/nothing", "/api/v2/items"):
        response = anon.get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert response.json()["detail"] == "No such API address. The operations are listed at /api/docs."


def test_search_says_when_its_total_is_capped(anon, people, monkeypatch, django_capture_on_commit_callbacks):
    """Runs on the engine of the database in use: SQLite's FTS5, or PostgreSQL's text search on the PG run."""
    from partnerpost.discovery.search import query

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            item = workflows.create_item(people.editor, Item(kind=ItemKind.NEWS, partner=people.icap, title=f"Budget report {n}",
                                                             summary="Budget.", published_on=dt.date(2020, 10, 1)))
            move_to(item, ItemState.PUBLISHED, people.editor)
    exact = anon.get("/api/v1/search", {"q": "budget"}).json()
    assert (exact["total"], exact["total_capped"]) == (3, False)
    # CANDIDATES (10,000) is how many matches the engine counts at most; 2 makes three matches too many.
    monkeypatch.setattr(query, "CANDIDATES", 2)
    capped = anon.get("/api/v1/search", {"q": "budget"}).json()
    assert (capped["total"], capped["total_capped"]) == (2, True)
    assert capped["facets"]["partner"] == [{"value": "icap", "label": "ICAP", "count": 2}]
    filtered = anon.get("/api/v1/search", {"q": "budget", "partner": "icap", "kind": "news"}).json()
    assert (filtered["total"], filtered["total_capped"]) == (2, True)
    assert anon.get("/api/v1/search", {"q": "budget", "partner": "eropa"}).json()["total_capped"] is False
    assert anon.get("/api/v1/search", {"q": "!!!"}).json()["total_capped"] is False
