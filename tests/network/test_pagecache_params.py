"""Unknown query parameters do not make new page-cache addresses (network/pagecache.py)."""

import secrets

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnerpost.content.filters import NAMES
from partnerpost.network.pagecache import PAGE_PARAMS
from tests.discovery.test_search import _publish


@pytest.fixture
def items(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            _publish(people.editor, people.eropa, title=f"Regional forum {n}")


def test_every_item_filter_is_a_page_parameter():
    assert set(NAMES) | {"page", "q", "month"} == set(PAGE_PARAMS)


def test_a_random_parameter_gets_the_kept_page_without_a_query(items):
    client = Client()
    first = client.get("/items/")
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/items/", {"x": secrets.token_hex(8)})
    assert again["X-Page-Cache"] == "hit" and len(queries) == 0  # nothing counted, nothing read
    assert again.content == first.content
    filtered = client.get("/items/", {"kind": "event", "utm_source": "newsletter"})
    assert filtered["X-Page-Cache"] == "miss"  # a filter is a different page
    assert client.get("/items/", {"kind": "event"})["X-Page-Cache"] == "hit"


def test_links_on_a_page_never_carry_the_dropped_parameters(items):
    response = Client().get("/search/", {"q": "forum", "tracking": "abc123"})
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
    html = response.content.decode()
    assert "abc123" not in html and "tracking" not in html
    assert "q=forum" in html
    assert Client().get("/search/", {"q": "forum"})["X-Page-Cache"] == "hit"


def test_signed_in_readers_keep_their_parameters(items, people):
    client = Client()
    client.force_login(people.editor)
    response = client.get("/search/", {"q": "forum", "tracking": "abc123"})
    assert response.status_code == 200 and "X-Page-Cache" not in response
