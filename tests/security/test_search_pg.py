"""Finding 7: words that reduce to nothing, with a filter, are an empty result (200), not a tsquery
syntax error. Runs on both engines; the failure was PostgreSQL's."""

import pytest

from partnerpost.content.enums import ItemKind
from partnerpost.discovery import search
from partnerpost.editions.models import Edition
from tests.factories import make_item, move_to


def _event(people, capture):
    with capture(execute=True):  # the index follows the workflow's announcements, after commit
        item = make_item(people.icap, kind=ItemKind.EVENT, title="Forum on the future")
        return move_to(item, "published", people.editor)

PATHS = ["/search/?q=_&kind=event", "/api/v1/search?q=_&year=2020", "/calendar/search.ics?q=_",
         "/search/?q=the+_&partner=icap", "/api/v1/search?q=%21%21&kind=news&year=2020", "/calendar/search.ics?q=a&partner=icap",
         "/search/?q=_"]


@pytest.mark.parametrize("path", PATHS)
def test_words_that_reduce_to_nothing_with_a_filter_answer_200(client, people, path, django_capture_on_commit_callbacks):
    _event(people, django_capture_on_commit_callbacks)
    response = client.get(path)
    assert response.status_code == 200, response.content[:500]


def test_search_with_nothing_left_finds_nothing(people, django_capture_on_commit_callbacks):
    _event(people, django_capture_on_commit_callbacks)
    results = search.search("_", {"kind": "event"})
    assert (results.hits, results.total) == ([], 0)
    assert search.search_editions("_") == []
    assert not Edition.objects.exists()


def test_a_real_word_with_the_same_filter_still_finds(people, django_capture_on_commit_callbacks):
    item = _event(people, django_capture_on_commit_callbacks)
    results = search.search("forum", {"kind": "event"})
    assert [hit.item.pk for hit in results.hits] == [item.pk]
