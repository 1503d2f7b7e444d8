"""Facet counts come from one string per indexed item (Entry.facets), counted in Python, and title
matches from an index of the titles alone (SQLite) or the title's own tsvector (PostgreSQL). These
tests hold the counts to a count made from the items themselves, through every change the index
follows, and check that migration 0006 derives the same strings from the tables it replaces."""

import datetime as dt
import importlib
import json

import pytest
from django.db import connection
from django.utils import timezone

from partnerpost.content import workflows
from partnerpost.content.enums import ItemKind
from partnerpost.content.models import Country, Item, Region, Theme
from partnerpost.discovery import search
from partnerpost.discovery.search.indexing import _entries

WORD = "lighthouse"


def _publish(user, partner, **fields):
    values = dict(kind=ItemKind.NEWS, partner=partner, summary=f"A {WORD} summary.", published_on=dt.date(2020, 10, 1))
    values.update(fields)
    item = workflows.create_item(user, Item(**values))
    for step in (workflows.submit_item, workflows.approve_item, workflows.publish_item):
        step(user, item)
    return item


def _brute_force():
    """{facet: {value: count}} over the live published items that mention WORD, from the items themselves."""
    counts = {}

    def add(facet, value):
        counts.setdefault(facet, {}).setdefault(str(value), 0)
        counts[facet][str(value)] += 1

    for item in Item.objects.published().filter(summary__icontains=WORD).select_related("partner"):
        add("kind", item.kind)
        add("language", item.language)
        if item.partner_id:
            add("partner", item.partner.slug)
        if item.sort_date:
            add("year", item.sort_date.year)
        for slug in item.themes.values_list("slug", flat=True):
            add("theme", slug)
        for code in item.countries.values_list("code", flat=True):
            add("country", code)
        for code in item.regions.values_list("code", flat=True):
            add("region", code)
    return counts


def _shown(results):
    return {facet: {str(value): n for value, _, n in options} for facet, options in results.facets.items() if options}


def _check():
    results = search.search(WORD)
    expected = _brute_force()
    assert _shown(results) == expected
    assert results.total == sum(expected.get("kind", {}).values())


@pytest.fixture
def mixed(people, django_capture_on_commit_callbacks):
    """Seven published items that mention WORD, across kinds, partners, languages, years, themes and places; one draft."""
    digital, sdg = Theme.objects.get(slug="digital-government"), Theme.objects.get(slug="sdg-16")
    ph, kr = Country.objects.get(code="PH"), Country.objects.get(code="KR")
    asia = Region.objects.get(code="142")
    with django_capture_on_commit_callbacks(execute=True):
        items = [
            _publish(people.editor, people.icap, title="One", language="es", kind=ItemKind.EVENT, start_date=dt.date(2021, 3, 4)),
            _publish(people.editor, people.eropa, title="Two", kind=ItemKind.PUBLICATION, published_on=dt.date(2019, 5, 1)),
            _publish(people.editor, people.eropa, title="Three"),
            _publish(people.editor, people.icap, title="Four", language="fr", published_on=dt.date(2019, 1, 2)),
            _publish(people.editor, people.eropa, title="Five", kind=ItemKind.EVENT, start_date=dt.date(2024, 6, 7)),
            _publish(people.editor, people.icap, title="Six"),
            _publish(people.editor, people.eropa, title="Seven", kind=ItemKind.PUBLICATION, published_on=dt.date(2022, 2, 2)),
        ]
        items[0].themes.add(digital, sdg)
        items[1].themes.add(sdg)
        items[1].countries.add(ph, kr)
        items[2].countries.add(ph)
        items[3].regions.add(asia)
        items[4].regions.add(asia)
        items[4].countries.add(kr)
        workflows.create_item(people.editor, Item(kind=ItemKind.NEWS, partner=people.icap, title="Draft",
                                                 summary=f"A {WORD} draft.", published_on=dt.date(2020, 10, 1)))
    return items


def test_facet_counts_equal_a_count_of_the_items_through_every_change(mixed, people, django_capture_on_commit_callbacks):
    _check()
    assert search.search(WORD).total == 7
    # Unpublished: it leaves every count.
    with django_capture_on_commit_callbacks(execute=True):
        workflows.withdraw_item(people.editor, mixed[1])
    _check()
    # Edited: kind, language and date change; themes, countries and regions are added and removed.
    with django_capture_on_commit_callbacks(execute=True):
        item = mixed[5]
        item.kind, item.language, item.published_on = ItemKind.PUBLICATION, "fr", dt.date(2018, 8, 8)
        workflows.update_item(people.editor, item)
    mixed[0].themes.remove(Theme.objects.get(slug="sdg-16"))
    mixed[2].countries.add(Country.objects.get(code="KR"))
    mixed[3].regions.clear()
    Theme.objects.get(slug="digital-government").items.add(mixed[6])
    _check()
    # Expired, scheduled and deleted items count no more.
    with django_capture_on_commit_callbacks(execute=True):
        mixed[4].expire_at = timezone.now() - dt.timedelta(minutes=1)
        workflows.update_item(people.editor, mixed[4])
    mixed[6].delete()
    _check()
    assert search.search(WORD).total == 4
    # Published again: back in every count.
    with django_capture_on_commit_callbacks(execute=True):
        workflows.redraft_item(people.editor, mixed[1])
        workflows.submit_item(people.editor, mixed[1])
        workflows.approve_item(people.editor, mixed[1])
        workflows.publish_item(people.editor, mixed[1])
    _check()
    # A filter narrows the counts to the matches that carry it.
    filtered = search.search(WORD, {"kind": "publication"})
    assert _shown(filtered)["kind"] == {"publication": filtered.total}
    assert filtered.total == sum(1 for i in Item.objects.published() if i.kind == "publication" and WORD in i.summary)


def test_title_matches_follow_edits(mixed, people, django_capture_on_commit_callbacks):
    engine = search.backend()
    languages = engine.languages()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    assert engine.matches(["seven"], [], languages, now, 100).in_title == {mixed[6].pk}
    with django_capture_on_commit_callbacks(execute=True):
        mixed[6].title = "Beacon"
        workflows.update_item(people.editor, mixed[6])
    assert engine.matches(["seven"], [], languages, now, 100).in_title == set()
    assert engine.matches([WORD, "beacon"], [], languages, now, 100).in_title == set()  # WORD is in the summary only
    assert engine.matches(["beacon"], [], languages, now, 100).in_title == {mixed[6].pk}
    with django_capture_on_commit_callbacks(execute=True):
        workflows.withdraw_item(people.editor, mixed[6])
    assert engine.matches(["beacon"], [], languages, now, 100).ids == []


def test_facet_strings_are_one_word_per_value(mixed):
    [entry] = _entries([mixed[1].pk])
    words = entry.facets().split()
    assert set(words) == {"kpublication", "len", f"p{mixed[1].partner_id}", "y2019", f"t{Theme.objects.get(slug='sdg-16').pk}",
                          "cPH", "cKR"}
    assert len(words) == len(set(words))


def test_migration_0006_derives_the_same_facets_from_the_old_tables(mixed):
    """0006 fills the facet strings (and on SQLite the titles' index) in SQL from what 0005's tables held."""
    migration = importlib.import_module("partnerpost.discovery.migrations.0006_facet_strings")
    ids = [item.pk for item in mixed]
    expected = {e.pk: set(e.facets().split()) for e in _entries(ids)}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("UPDATE discovery_search SET facets = ''")
            for sql in migration.POSTGRES_UP[1:]:  # the column is there already
                cursor.execute(sql)
            cursor.execute("SELECT item_id, facets FROM discovery_search")
        else:
            # The tables as 0005 left them: lists as JSON, no titles' index.
            cursor.execute("DROP TABLE discovery_entry")
            cursor.execute("DROP TABLE discovery_fts_title")
            cursor.execute("CREATE TABLE discovery_entry (item_id integer PRIMARY KEY, kind text NOT NULL, partner_id integer, "
                           "language text NOT NULL, year integer, go_live_at datetime, expire_at datetime, "
                           "themes text NOT NULL, countries text NOT NULL, regions text NOT NULL)")
            cursor.executemany("INSERT INTO discovery_entry VALUES (%s, %s, %s, %s, %s, NULL, NULL, %s, %s, %s)", [
                (e.pk, e.kind, e.partner_id, e.language, e.year, json.dumps(list(e.themes)), json.dumps(list(e.countries)),
                 json.dumps(list(e.regions))) for e in _entries(ids)])
            for sql in migration.SQLITE_UP:
                cursor.execute(sql)
            cursor.execute("SELECT item_id, facets FROM discovery_entry")
        assert {pk: set(facets.split()) for pk, facets in cursor.fetchall()} == expected
    _check()
    assert [hit.item.title for hit in search.search("seven").hits] == ["Seven"]
    engine = search.backend()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    assert engine.matches(["seven"], [], engine.languages(), now, 100).in_title == {mixed[6].pk}


def test_facet_labels_follow_renames(mixed, people):
    theme = Theme.objects.get(slug="digital-government")
    assert (theme.slug, theme.name, 1) in search.search(WORD).facets["theme"]
    theme.name = "Government, digital"
    theme.save()
    assert ("digital-government", "Government, digital", 1) in search.search(WORD).facets["theme"]
    people.icap.acronym = "ICAP-X"
    people.icap.save()
    assert ("icap", "ICAP-X", 3) in search.search(WORD).facets["partner"]


def test_search_page_links(client, mixed):
    page = client.get(f"/search/?q={WORD}&kind=event&year=2021").content.decode()
    # The chosen option drops its filter; another option of the same facet replaces it; other facets add theirs.
    assert f'href="?q={WORD}&amp;year=2021" aria-current="true"' in page
    assert f'href="?q={WORD}&amp;kind=event"' in page  # the year chosen, clicked again
    assert f'href="?q={WORD}&amp;kind=event&amp;year=2021&amp;partner=icap"' in page
    assert f'href="{mixed[0].get_absolute_url()}"' in page


def test_facet_labels_and_links_are_escaped_in_the_sidebar(client, mixed, people):
    """The sidebar is written outside the template engine: every label and link must still be escaped."""
    theme = Theme.objects.get(slug="digital-government")
    theme.name = 'Digital <script>alert("x")</script> & more'
    theme.save()
    page = client.get(f"/search/?q={WORD}&kind=event").content.decode()
    sidebar = page[page.index('class="sidebar"'):page.index('aria-labelledby="results-heading"')]
    assert "<script>" not in sidebar and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in sidebar
    assert f'href="?q={WORD}&amp;kind=event&amp;theme=digital-government"' in sidebar  # links: & written &amp;
    assert sidebar.count('<section class="facet">') == sidebar.count("</section>") >= 3
