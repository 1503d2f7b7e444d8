"""Finding 10 (slugs): making an item tells nothing about items one may not see. An ICAP token that
creates an item titled like EROPA's hidden draft gets a slug shaped exactly like the one it gets for a
title nobody uses; old items' addresses keep working."""

import re

import pytest

from partnerpost.api import workflows as api_workflows
from partnerpost.content.enums import ItemState
from tests.factories import make_item

SHAPE = r"{base}-[a-z2-9]{{5}}"


@pytest.fixture
def icap_secret(people):
    return api_workflows.create_token(people.icap_partner_editor, people.icap, "ICAP website")[1]


def _create(client, secret, title):
    body = {"kind": "news", "title": title, "summary": "A summary.", "published_on": "2020-10-01"}
    response = client.post("/api/v1/items", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 201, response.content
    return response.json()["slug"]


def test_a_hidden_drafts_title_leaves_no_trace_in_the_new_slug(client, people, icap_secret):
    hidden = make_item(people.eropa, title="Secret merger plan", state=ItemState.DRAFT)
    hidden.slug = "secret-merger-plan"  # as the draft's slug was made before
    hidden.save()
    taken = _create(client, icap_secret, "Secret merger plan")
    free = _create(client, icap_secret, "Open letter")
    assert re.fullmatch(SHAPE.format(base="secret-merger-plan"), taken), taken
    assert re.fullmatch(SHAPE.format(base="open-letter"), free), free
    assert not taken.endswith("-2")


def test_the_same_title_twice_gives_two_unrelated_slugs(client, people, icap_secret):
    first = _create(client, icap_secret, "Annual report")
    second = _create(client, icap_secret, "Annual report")
    assert first != second
    assert all(re.fullmatch(SHAPE.format(base="annual-report"), slug) for slug in (first, second))


def test_old_slugs_keep_working(client, people):
    item = make_item(people.icap, title="Old story", state=ItemState.PUBLISHED)
    item.slug = "old-story"  # made before slugs had a suffix
    item.save()
    assert client.get("/items/old-story/").status_code == 200
    assert client.get("/api/v1/items/old-story").json()["slug"] == "old-story"
    item.title = "Old story, retitled"
    item.save()
    assert client.get("/items/old-story/").status_code == 200
