import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import number_format

from partnerpost.discovery.search import query
from tests.discovery.test_search import _publish


@pytest.fixture
def three_matches(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            _publish(people.editor, people.eropa, title=f"Digital government forum {n}")


def _heading(response) -> str:
    html = response.content.decode()
    start = html.index('id="results-heading" class="results-count">') + len('id="results-heading" class="results-count">')
    return html[start:html.index("</h2>", start)]


def test_search_page_counts_exactly_below_the_cap(three_matches):
    assert _heading(Client().get("/search/", {"q": "digital"})) == "3 results for “digital”"


def test_search_page_says_plus_when_the_engine_stopped_counting(three_matches, monkeypatch):
    # CANDIDATES is the engine's tunable (10,000); a cap of 2 makes three matches too many to count.
    monkeypatch.setattr(query, "CANDIDATES", 2)
    assert query.search("digital").capped is True
    assert _heading(Client().get("/search/", {"q": "digital"})) == "2+ results for “digital”"
    monkeypatch.setattr(query, "CANDIDATES", 1000)
    assert _heading(Client().get("/search/", {"q": "forum"})) == "3 results for “forum”"
    monkeypatch.setattr(query, "CANDIDATES", 2)
    assert _heading(Client().get("/search/", {"q": "forum", "kind": "news"})) == "2+ results for “forum”"



@pytest.mark.parametrize("language, shown", [
    ("en", "10,000"), ("fr", "10\xa0000"), ("es", "10\xa0000"), ("ru", "10\xa0000"), ("ar", "10.000"), ("zh-hans", "10000"),
])
def test_the_capped_count_is_grouped_in_every_language(language, shown):
    # How the search page writes CANDIDATES when it stopped counting. Arabic had no grouping ("10000").
    with translation.override(language):
        assert number_format(query.CANDIDATES, force_grouping=True) == shown
