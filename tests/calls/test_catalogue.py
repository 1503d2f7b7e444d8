import csv
import io
import json

import pytest

from partnerpost.calls import workflows
from tests.factories import make_call

pytestmark = pytest.mark.django_db

AREAS = ["Information sharing", "E-participation", "E-health"]


@pytest.fixture
def compendium(people):
    call = make_call(people.icap, title="Compendium", is_catalogue=True)
    made = {}
    for n, (title, country, areas) in enumerate([
        ("Citizen alerts by text message", "KE", ["Information sharing"]),
        ("Online consultation on the recovery plan", "UY", ["E-participation", "Information sharing"]),
        ("Remote doctor visits", "JP", ["E-health"]),
        ("Village health workers app", "KE", ["E-health"]),
        ("Draft that was declined", "FR", ["E-health"]),
    ]):
        submission = workflows.start_submission(call, email=f"p{n}@gov.example")
        workflows.save_answers(submission, {"title": title, "country": country, "areas": areas,
                                            "description": f"How {title.lower()} works.",
                                            "contact": {"name": "Private Person", "email": "private@gov.example"}})
        workflows.submit_submission(submission)
        workflows.decide_submission(people.editor, submission, "decline" if "declined" in title else "accept")
        made[title] = submission
    return call, made


def test_catalogue_shows_every_area_with_counts_and_only_accepted_entries(client, compendium):
    call, made = compendium
    page = client.get(f"/calls/{call.slug}/catalogue/").content.decode()
    assert "4 published entries" in page
    assert "Draft that was declined" not in page
    for area, n in (("Information sharing", 2), ("E-participation", 1), ("E-health", 2)):
        assert f'{area}</a> <span class="count">{n}</span>' in page
    assert 'Africa</a> <span class="count">2</span>' in page
    assert "<svg" in page and "Kenya: 2" in page


def test_catalogue_filters_by_facets_and_words(client, compendium):
    call, made = compendium
    page = client.get(f"/calls/{call.slug}/catalogue/", {"area": "E-health", "region": "002"}).content.decode()
    assert "1 published entry" in page and "Village health workers app" in page
    page = client.get(f"/calls/{call.slug}/catalogue/", {"q": "DOCTOR visits"}).content.decode()
    assert "1 published entry" in page and "Remote doctor visits" in page


def test_csv_export_parses_with_one_row_per_published_entry(client, compendium):
    call, made = compendium
    response = client.get(f"/calls/{call.slug}/catalogue/entries.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(r["title"] for r in rows) == ["Citizen alerts by text message", "Online consultation on the recovery plan",
                                                "Remote doctor visits", "Village health workers app"]
    uy = next(r for r in rows if r["country"] == "UY")
    assert (uy["country_name"], uy["region_name"], uy["areas"]) == ("Uruguay", "Americas", "Information sharing; E-participation")
    assert "contact" not in rows[0] and "private@gov.example" not in response.content.decode()


def test_json_export_and_api_entries_filter_alike(client, compendium):
    call, made = compendium
    body = json.loads(client.get(f"/calls/{call.slug}/catalogue/entries.json", {"country": "KE"}).content)
    assert [e["title"] for e in body["entries"]] == ["Citizen alerts by text message", "Village health workers app"]
    api = client.get(f"/api/v1/calls/{call.slug}/entries", {"country": "KE", "area": "E-health"}).json()
    assert api["count"] == 1
    entry = api["results"][0]
    assert (entry["title"], entry["areas"], entry["region"], entry["answers"]["description"]) == (
        "Village health workers app", ["E-health"], "002", "How village health workers app works.")
    assert "contact" not in entry["answers"]
    assert api["facets"]["area"] == {"Information sharing": 0, "E-participation": 0, "E-health": 1}


def test_entry_page_shows_a_published_entry_only(client, compendium):
    call, made = compendium
    page = client.get(f"/calls/{call.slug}/catalogue/{made['Remote doctor visits'].pk}/").content.decode()
    assert "Remote doctor visits" in page and "Japan" in page and "Private Person" not in page
    assert client.get(f"/calls/{call.slug}/catalogue/{made['Draft that was declined'].pk}/").status_code == 404


def test_the_pdf_has_a_section_per_action_area(client, compendium):
    import pypdfium2

    call, made = compendium
    response = client.get(f"/calls/{call.slug}/catalogue/catalogue.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    pdf.close()
    for area in AREAS:
        assert text.count(area) >= 2, area  # in the contents and as a section heading
    assert "CONTENTS BY ACTION AREA" in text and "Village health workers app" in text


def test_a_call_without_a_catalogue_has_none(client, people):
    call = make_call(people.icap)
    assert client.get(f"/calls/{call.slug}/catalogue/").status_code == 404


def _titles(client, call, **params):
    body = json.loads(client.get(f"/calls/{call.slug}/catalogue/entries.json", params).content)
    return sorted(e["title"] for e in body["entries"])


def test_words_match_inside_words_and_accents_and_case_do_not_matter(client, compendium):
    call, made = compendium
    # "octo" is inside "doctor", "ealth" inside "health": the text index finds substrings, as a scan would
    assert _titles(client, call, q="octo") == ["Remote doctor visits"]
    # the chosen areas are part of an entry's text ("E-health")
    assert _titles(client, call, q="ÉALTH") == ["Remote doctor visits", "Village health workers app"]
    # every word is required; a word of two letters (no trigram) is still matched
    assert _titles(client, call, q="health ap") == ["Village health workers app"]
    assert _titles(client, call, q="health xq") == []
    # quotes and FTS5 operators in a query are words like any other, never syntax
    assert _titles(client, call, q='"doctor OR NEAR(') == []
    assert _titles(client, call, q="doctor OR village") == []
    # declined entries are indexed too but never shown
    assert _titles(client, call, q="declined") == []


def test_the_text_index_follows_every_change_of_an_entry(client, compendium):
    from partnerpost.calls.models import Submission

    call, made = compendium
    Submission.objects.filter(pk=made["Remote doctor visits"].pk).update(search_text="remote nurse visits")
    assert _titles(client, call, q="doctor") == []
    assert _titles(client, call, q="nurse") == ["Remote doctor visits"]
    made["Village health workers app"].delete()
    assert _titles(client, call, q="health") == []  # the one left lost "e-health" from its text above
    assert _titles(client, call, q="village") == []


def test_the_catalogue_page_reads_a_fixed_number_of_queries_however_many_entries(client, compendium, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call, made = compendium

    def queries(params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/calls/{call.slug}/catalogue/", params).status_code == 200
        return len(ctx.captured_queries)

    asked = [{}, {"q": "health"}, {"area": "E-health", "country": "KE"}]
    before = [queries(p) for p in asked]
    for n in range(6):
        submission = workflows.start_submission(call, email=f"more{n}@gov.example")
        workflows.save_answers(submission, {"title": f"More health {n}", "country": ["KE", "BR", "DE"][n % 3],
                                            "areas": AREAS[: 1 + n % 3]})
        workflows.submit_submission(submission)
        workflows.decide_submission(people.editor, submission, "accept")
    assert _titles(client, call, q="more health") == [f"More health {n}" for n in range(6)]
    assert [queries(p) for p in asked] == before


def test_a_kept_catalogue_page_shows_a_newly_published_or_removed_entry_at_once(client, compendium, people):
    """The counts, facet links and charts are kept per catalogue version: publishing, declining an
    accepted entry through review, and deleting one each move the version on."""
    from partnerpost.calls.models import Submission

    call, made = compendium
    url = f"/calls/{call.slug}/catalogue/"
    for params in ({}, {"country": "BR"}):  # kept now
        client.get(url, params)
    assert "4 published entries" in client.get(url).content.decode()
    submission = workflows.start_submission(call, email="late@gov.example")
    workflows.save_answers(submission, {"title": "Tax returns online", "country": "BR", "areas": ["E-participation"]})
    workflows.submit_submission(submission)
    page = client.get(url).content.decode()
    assert "4 published entries" in page and "Brazil: 1" not in page  # sent, not yet published
    workflows.decide_submission(people.editor, submission, "accept")
    page = client.get(url).content.decode()
    assert "5 published entries" in page and "Tax returns online" in page
    assert 'E-participation</a> <span class="count">2</span>' in page and "Brazil: 1" in page
    page = client.get(url, {"country": "BR"}).content.decode()
    assert "1 published entry" in page and "Tax returns online" in page
    Submission.objects.get(pk=submission.pk).delete()
    page = client.get(url).content.decode()
    assert "4 published entries" in page and "Brazil: 1" not in page
    assert 'E-participation</a> <span class="count">1</span>' in page


def test_catalogue_names_countries_and_regions_in_the_page_language(client, compendium):
    call, made = compendium
    page = client.get(f"/fr/calls/{call.slug}/catalogue/").content.decode()
    assert 'Afrique</a> <span class="count">2</span>' in page
    assert 'Japon</a> <span class="count">1</span>' in page and "Japon: 1" in page
    page = client.get(f"/ar/calls/{call.slug}/catalogue/").content.decode()
    assert 'أفريقيا</a> <span class="count">2</span>' in page and "كينيا: 2" in page
    entry = made["Remote doctor visits"]
    page = client.get(f"/ru/calls/{call.slug}/catalogue/{entry.pk}/").content.decode()
    assert "Япония · Азия" in page
    page = client.get(f"/zh-hans/calls/{call.slug}/catalogue/{entry.pk}/").content.decode()
    assert "日本 · 亚洲" in page
    page = client.get(f"/calls/{call.slug}/catalogue/").content.decode()
    assert 'Africa</a> <span class="count">2</span>' in page and "Kenya: 2" in page


def test_catalogue_page_and_pdf_draw_the_world_map_by_country(client, compendium):
    call, made = compendium
    page = client.get(f"/calls/{call.slug}/catalogue/").content.decode()
    world = page.split('aria-labelledby="chart-entries-by-country-t chart-entries-by-country-d"')[1].split("</svg>")[0]
    assert world.count("<path ") > 200
    assert "<title>Kenya: 2</title></path>" in world and "<title>Japan: 1</title></path>" in world
    assert "<title>France: 0</title></path>" in world  # declined: not counted
    assert "Not on the map" not in world  # every country of the demo has a shape or a dot
    pdf = client.get(f"/calls/{call.slug}/catalogue/catalogue.pdf").content
    assert pdf.startswith(b"%PDF")
