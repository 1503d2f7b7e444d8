import datetime as dt

import pytest
from django.core.management import call_command

from partnerpost.content import workflows
from partnerpost.content.enums import ItemKind
from partnerpost.content.models import Item, Theme
from partnerpost.discovery import search


def _publish(user, partner, **fields):
    values = dict(kind=ItemKind.NEWS, partner=partner, summary="A summary.", published_on=dt.date(2020, 10, 1))
    values.update(fields)
    item = workflows.create_item(user, Item(**values))
    for step in (workflows.submit_item, workflows.approve_item, workflows.publish_item):
        step(user, item)
    return item


@pytest.fixture
def indexed(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        items = {
            "workshop": _publish(people.editor, people.icap, title="Taller virtual de gestión territorial", language="es",
                                 summary="Prospectiva e innovación en la gestión pública.", kind=ItemKind.EVENT, start_date=dt.date(2020, 11, 13)),
            "webinar": _publish(people.editor, people.eropa, title="Webinar on digital government", summary="Governments shared digital strategies.",
                                kind=ItemKind.EVENT, start_date=dt.date(2021, 3, 4)),
            "bulletin": _publish(people.editor, people.eropa, title="EROPA Bulletin", summary="Digital transformation in the region.",
                                 kind=ItemKind.PUBLICATION, published_on=dt.date(2020, 10, 20)),
        }
        items["webinar"].themes.add(Theme.objects.get(slug="digital-government"))
        items["draft"] = workflows.create_item(people.editor, Item(kind=ItemKind.NEWS, partner=people.icap, title="Secret digital plan",
                                                                   summary="Digital secrets.", published_on=dt.date(2020, 10, 1)))
    return items


def _titles(results):
    return [hit.item.title for hit in results.hits]


def test_ranked_stemmed_and_accent_insensitive(indexed):
    assert _titles(search.search("gestion")) == ["Taller virtual de gestión territorial"]
    assert _titles(search.search("GESTIÓN territorial")) == ["Taller virtual de gestión territorial"]
    assert _titles(search.search("webinars")) == ["Webinar on digital government"]
    results = search.search("digital")
    assert _titles(results)[0] == "Webinar on digital government"  # title matches rank first
    assert set(_titles(results)) == {"Webinar on digital government", "EROPA Bulletin"}


def test_facets_count_live_matches_and_combine(indexed):
    results = search.search("digital")
    assert results.total == 2
    assert results.facets["kind"] == [("event", "Event", 1), ("publication", "Publication", 1)]
    assert results.facets["partner"] == [("eropa", "EROPA", 2)]
    assert results.facets["year"] == [("2021", "2021", 1), ("2020", "2020", 1)]
    filtered = search.search("digital", {"kind": "publication", "year": "2020"})
    assert _titles(filtered) == ["EROPA Bulletin"] and filtered.facets["kind"] == [("publication", "Publication", 1)]
    assert _titles(search.search("digital", {"theme": "digital-government"})) == ["Webinar on digital government"]


def test_geography_facets(indexed):
    from partnerpost.content.models import Country, Region

    indexed["bulletin"].countries.add(Country.objects.get(code="PH"))
    indexed["webinar"].regions.add(Region.objects.get(code="142"))
    results = search.search("digital")
    assert results.facets["country"] == [("PH", "Philippines", 1)]
    assert results.facets["region"] == [("142", "Asia", 1)]
    assert _titles(search.search("digital", {"region": "142"})) == ["Webinar on digital government", "EROPA Bulletin"]
    assert _titles(search.search("digital", {"country": "ph"})) == ["EROPA Bulletin"]


def test_unpublished_never_appears_and_index_follows_the_workflow(indexed, people, django_capture_on_commit_callbacks):
    assert "Secret digital plan" not in _titles(search.search("secret"))
    assert search.search("secret").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        workflows.withdraw_item(people.editor, indexed["bulletin"])
    assert "EROPA Bulletin" not in _titles(search.search("digital"))
    assert search.search("digital").facets["kind"] == [("event", "Event", 1)]
    with django_capture_on_commit_callbacks(execute=True):
        indexed["webinar"].title = "Webinar on open data"
        workflows.update_item(people.editor, indexed["webinar"])
    assert _titles(search.search("open data")) == ["Webinar on open data"]


def test_scheduled_items_wait_for_their_time(indexed, people, django_capture_on_commit_callbacks):
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        item = workflows.create_item(people.editor, Item(kind=ItemKind.NEWS, partner=people.icap, title="Embargoed report",
                                                        summary="Later.", published_on=dt.date(2020, 12, 1)))
        workflows.submit_item(people.editor, item)
        workflows.approve_item(people.editor, item)
        workflows.publish_item(people.editor, item, go_live_at=timezone.now() + dt.timedelta(days=1))
    assert search.search("embargoed").total == 0


def test_snippets_are_escaped_and_highlighted(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _publish(people.editor, people.icap, title="Report", summary="<script>alert(1)</script> budget transparency & more")
    [hit] = search.search("budget").hits
    import re

    assert "<mark>budget</mark>" in hit.snippet
    assert "<" not in re.sub(r"</?mark>", "", hit.snippet)  # everything else is escaped


def test_rebuild_command(indexed, capsys):
    search.backend().clear()
    assert search.search("digital").total == 0
    call_command("search", "rebuild")
    out = capsys.readouterr()
    assert "Indexed 3 published items" in out.out and "[##############################] 3/3" in out.err
    assert search.search("digital").total == 2


def test_search_page(client, indexed):
    response = client.get("/search/?q=digital&kind=publication")
    page = response.content.decode()
    assert [h.item.title for h in response.context["results"].hits] == ["EROPA Bulletin"]
    assert "1 result for “digital”" in page and "<mark>" in page
    assert 'href="?q=digital"' in page  # clicking the active facet removes it
    assert client.get("/search/?q=").status_code == 200
    assert client.get("/search/?q=digital&page=abc").status_code == 200


def test_search_page_query_count_is_constant(client, people, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get("/search/?q=forum")
        return len(ctx)

    with django_capture_on_commit_callbacks(execute=True):
        _publish(people.editor, people.icap, title="Forum one")
    few = count()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(10):
            item = _publish(people.editor, people.eropa, title=f"Forum {n}")
            item.themes.add(Theme.objects.get(slug="sdg-16"))
    assert count() == few


def test_published_editions_are_found(people, indexed, django_capture_on_commit_callbacks, client):
    from partnerpost.editions import workflows as edition_workflows
    from partnerpost.editions.models import Edition

    with django_capture_on_commit_callbacks(execute=True):
        draft = edition_workflows.create_edition(people.editor, Edition(
            title="Partners' Newsletter", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31)))
    assert search.search_editions("territorial") == []  # not published: not in the index
    with django_capture_on_commit_callbacks(execute=True):
        edition = edition_workflows.publish_edition(people.editor, draft)
    [(found, snippet)] = search.search_editions("territorial")
    assert found == edition and "<mark>territorial</mark>" in snippet
    page = client.get("/search/?q=territorial").content.decode()
    assert "Newsletter editions" in page and edition.get_absolute_url() in page
    search.backend("edition").clear()
    call_command("search", "rebuild")
    assert [e for e, _ in search.search_editions("territorial")] == [edition]


@pytest.fixture
def languages(people, django_capture_on_commit_callbacks):
    """Items in Spanish, French and English, and one Spanish draft that must stay out of everything."""
    with django_capture_on_commit_callbacks(execute=True):
        items = {
            "es": _publish(people.editor, people.icap, language="es", title="Funcionarios capacitados en gestión pública",
                           summary="Capacitaciones para evaluar las políticas municipales."),
            "fr": _publish(people.editor, people.eropa, language="fr", title="Réseaux régionaux des administrations publiques",
                           summary="Les collectivités territoriales et l'État."),
            "en": _publish(people.editor, people.eropa, title="Public policies for municipalities", summary="Budgeting for cities."),
        }
        items["draft"] = workflows.create_item(people.editor, Item(
            kind=ItemKind.NEWS, partner=people.icap, language="es", title="Borrador: funcionarios capacitados", summary="Capacitación.",
            published_on=dt.date(2020, 10, 1)))
    return items


def test_language_stemming_finds_other_forms_of_a_word(languages):
    # Spanish: the Spanish stemmer joins capacitación / capacitados / capacitaciones, evaluar / evaluación.
    assert _titles(search.search("capacitación")) == ["Funcionarios capacitados en gestión pública"]
    assert _titles(search.search("capacitacion evaluación")) == ["Funcionarios capacitados en gestión pública"]
    # French: régional / régionaux, administration publique / administrations publiques.
    assert _titles(search.search("réseau régional")) == ["Réseaux régionaux des administrations publiques"]
    assert _titles(search.search("administration publique")) == ["Réseaux régionaux des administrations publiques"]
    assert _titles(search.search("reseau regional")) == ["Réseaux régionaux des administrations publiques"]  # no accents typed
    # English stemming still applies.
    assert _titles(search.search("policy municipality")) == ["Public policies for municipalities"]
    assert _titles(search.search("budgets city")) == ["Public policies for municipalities"]


def test_accents_are_ignored_both_ways(languages):
    assert _titles(search.search("gestion publica")) == ["Funcionarios capacitados en gestión pública"]
    assert _titles(search.search("GESTIÓN PÚBLICA")) == ["Funcionarios capacitados en gestión pública"]
    assert _titles(search.search("etat")) == ["Réseaux régionaux des administrations publiques"]


def test_unpublished_items_never_count(languages, people, django_capture_on_commit_callbacks):
    results = search.search("capacitados")
    assert (_titles(results), results.total) == (["Funcionarios capacitados en gestión pública"], 1)
    assert results.facets["language"] == [("es", "es", 1)] and results.facets["partner"] == [("icap", "ICAP", 1)]
    with django_capture_on_commit_callbacks(execute=True):
        workflows.withdraw_item(people.editor, languages["es"])
    results = search.search("capacitados")
    assert (results.hits, results.total, results.facets["language"]) == ([], 0, [])


def test_language_and_partner_filters(languages):
    assert _titles(search.search("public", {"language": "fr"})) == ["Réseaux régionaux des administrations publiques"]
    results = search.search("public", {"partner": "eropa"})
    assert sorted(_titles(results)) == ["Public policies for municipalities", "Réseaux régionaux des administrations publiques"]
    assert results.facets["language"] == [("en", "en", 1), ("fr", "fr", 1)]
    assert search.search("public", {"partner": "nobody"}).total == 0
    assert search.search("public", {"year": "abc"}).total == 0
    assert search.search("public", {"kind": "news' OR 1"}).total == 0


def test_index_follows_themes_and_deletions(languages):
    theme = Theme.objects.get(slug="digital-government")
    assert search.search("public", {"theme": theme.slug}).total == 0
    languages["en"].themes.add(theme)
    assert _titles(search.search("public", {"theme": theme.slug})) == ["Public policies for municipalities"]
    theme.items.remove(languages["en"])
    assert search.search("public", {"theme": theme.slug}).total == 0
    languages["fr"].delete()
    assert search.search("régionaux").total == 0


def test_broad_queries_are_capped(languages, monkeypatch):
    monkeypatch.setattr(search.query, "CANDIDATES", 2)
    results = search.search("public")  # three live matches, two collected: the most recent
    assert (results.total, results.capped, len(results.hits)) == (2, True, 2)
    assert sum(n for _, _, n in results.facets["language"]) == 2
    exact = search.search("public", {"language": "fr"})
    assert (exact.total, exact.capped) == (1, False)


def test_ranking_prefers_title_then_repetition_and_stays_bounded(people, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        once = _publish(people.editor, people.icap, title="Annual report", summary="Procurement was discussed.")
        often = _publish(people.editor, people.icap, title="Seminar", summary="Procurement rules, procurement audits, procurement data.")
        titled = _publish(people.editor, people.icap, title="Public procurement forum", summary="A forum.")
        newest = _publish(people.editor, people.icap, title="Newsletter", summary="Procurement too.")
    assert _titles(search.search("procurement")) == ["Public procurement forum", "Seminar", "Newsletter", "Annual report"]
    # Only the newest match (and the title matches) are ranked; the rest follow, newest first.
    monkeypatch.setattr(search.query, "RANK_POOL", 1)
    assert [hit.item for hit in search.search("procurement").hits] == [titled, newest, often, once]
    assert [hit.item for hit in search.search("procurement", page=2, size=3).hits] == [once]


def test_expired_items_neither_show_nor_count(indexed, people, django_capture_on_commit_callbacks):
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        indexed["bulletin"].expire_at = timezone.now() - dt.timedelta(minutes=1)
        workflows.update_item(people.editor, indexed["bulletin"])
    results = search.search("digital")
    assert (_titles(results), results.total) == (["Webinar on digital government"], 1)
    assert results.facets["kind"] == [("event", "Event", 1)] and results.facets["year"] == [("2021", "2021", 1)]


@pytest.mark.postgres_only
def test_the_leaner_query_finds_what_the_exact_form_finds(people, django_capture_on_commit_callbacks):
    """PostgreSQL asks for each word's English form alone (the exact form only when English drops the word):
    on texts with stop words, hyphens, accents, numbers and other languages it finds the very same items."""
    from django.db import connection

    texts = [("en", "The e-government agenda of 2030", "Over the years, accountability and the courts."),
             ("es", "Gestión pública y capacitación", "Los funcionarios de la administración del Estado."),
             ("fr", "Réforme de l'État", "Les collectivités territoriales et leurs élus."),
             ("en", "To be or not to be", "Counting on the number 42 and an e-mail: desk@example.org.")]
    with django_capture_on_commit_callbacks(execute=True):
        for language, title, summary in texts:
            _publish(people.editor, people.icap, language=language, title=title, summary=summary)
    engine = search.backend()
    languages = engine.languages()
    queries = ["the", "to be", "e-government", "government", "accountability", "courts", "capacitacion", "gestión",
               "etat", "réforme", "2030", "42", "desk@example.org", "over", "élus", "e-mail"]
    for text in queries:
        lean, _, exact = engine.queries(search.analysis.terms(text), languages)
        with connection.cursor() as cursor:
            found = []
            for tsquery in (lean, exact):
                cursor.execute("SELECT array_agg(item_id ORDER BY item_id) FROM discovery_search WHERE document @@ %s::tsquery", [tsquery])
                found.append(cursor.fetchone()[0])
        assert found[0] == found[1], (text, lean, exact)
    # ... and it is leaner: the exact English word is no longer asked for beside its stem.
    lean, _, exact = engine.queries(["accountability"], languages)
    assert lean.count("|") == exact.count("|") - 1, (lean, exact)
