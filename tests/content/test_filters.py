import datetime as dt

from django.http import QueryDict

from partnerpost.content.enums import ItemKind
from partnerpost.content.filters import FACETS, ItemFilters
from partnerpost.content.models import Item


def test_parsed_from_a_query_with_the_url_names():
    filters = ItemFilters.from_query(QueryDict("kind=event&partner=+icap+&theme=&year=2020&date_from=2020-01-31&date_to=soon&q=x"))
    assert filters.kind == "event" and filters.partner == "icap" and filters.year == "2020"
    assert (filters.date_from, filters.date_to) == (dt.date(2020, 1, 31), None)
    assert filters.facets() == {"kind": "event", "partner": "icap", "theme": "", "region": "", "country": "",
                                "language": "", "year": "2020"}
    assert filters.query_string() == "kind=event&partner=icap&year=2020&date_from=2020-01-31"
    assert ItemFilters.from_query({"date_from": "2020-01-31"}, FACETS).date_from is None  # only the names asked for


def test_values_of_any_type_become_text_and_empty_is_no_filter():
    assert ItemFilters(kind=ItemKind.EVENT, year=2021, country=None).facets()["kind"] == "event"
    assert ItemFilters(year=2021).year == "2021"
    assert not ItemFilters(kind=None, partner="", region="  ")
    assert ItemFilters(theme="sdg-16")
    assert ItemFilters(partner="icap").replace(kind="event") == ItemFilters(kind="event", partner="icap")


def test_applied_to_items(db):
    sql = str(ItemFilters(kind="news", partner="icap", country="cr", language="es", date_to=dt.date(2020, 5, 1))
              .apply(Item.objects.all()).query)
    assert "CR" in sql
    for column in ("kind", "slug", "language", "sort_date"):
        assert column in sql
    assert str(ItemFilters().apply(Item.objects.all()).query) == str(Item.objects.all().query)
    assert not ItemFilters(year="abc").apply(Item.objects.all()).exists()


def test_theme_and_country_filters_find_each_item_once_and_start_from_the_tags(people):
    """As "id IN (the tagged items)": an item with the theme (or country) once, however it is tagged, and on
    SQLite the count starts from the tags instead of walking every item (1.6 s at a million items)."""
    from django.db import connection

    from partnerpost.content.models import Country, Theme
    from tests.factories import published
    from tests.plans import plan_of

    digital, other = Theme.objects.create(name="Digital", slug="digital"), Theme.objects.create(name="Other", slug="other")
    tagged = published(people.icap, title="Tagged")
    tagged.themes.set([digital, other])
    tagged.countries.set(Country.objects.filter(code__in=["CR", "PH"]))
    published(people.icap, title="Untagged")
    live = Item.objects.published()
    assert [i.title for i in ItemFilters(theme="digital").apply(live)] == ["Tagged"]
    assert [i.title for i in ItemFilters(country="ph").apply(live)] == ["Tagged"]
    assert [i.title for i in ItemFilters(theme="digital", country="CR").apply(live)] == ["Tagged"]
    assert not ItemFilters(theme="missing").apply(live).exists()
    if connection.vendor == "sqlite":
        for filters in (ItemFilters(theme="digital"), ItemFilters(country="PH")):
            sql, params = filters.apply(live).order_by()[:10001].values("pk").query.sql_with_params()
            plan = plan_of(f"SELECT count(*) FROM ({sql}) s", params)
            # Each item looked up by its id (with the state index or the table itself), ids from the tags' list.
            item_step = next(step for step in plan.split(" | ") if step.startswith("SEARCH content_item "))
            assert "rowid=?)" in item_step and "LIST SUBQUERY" in plan, plan
