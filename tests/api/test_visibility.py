"""Drafts and everything else not yet public never leak: not through the API, search, facets, feeds or calendars."""

import datetime as dt

import pytest
from django.utils import timezone

from partnerpost.content import workflows
from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Item, Theme
from partnerpost.editions import workflows as edition_workflows
from partnerpost.editions.models import Edition
from tests.factories import move_to

SECRET = "Confidential"


@pytest.fixture
def hidden(people, django_capture_on_commit_callbacks):
    """One public event, and ICAP items with the same words in every state the public must not see."""
    theme = Theme.objects.get(slug="sdg-16")

    def make(title, state=None, **fields):
        values = dict(kind=ItemKind.EVENT, partner=people.icap, summary=f"{SECRET} planning.", start_date=dt.date(2020, 11, 3))
        values.update(fields)
        item = workflows.create_item(people.icap_contributor, Item(title=title, **values), workflows.Related(themes=[theme]))
        if state:
            move_to(item, state, people.editor)
        return item

    with django_capture_on_commit_callbacks(execute=True):
        public = make(f"{SECRET} public forum", ItemState.PUBLISHED)
        items = {
            "draft": make(f"{SECRET} draft"),
            "submitted": make(f"{SECRET} submitted", ItemState.SUBMITTED),
            "approved": make(f"{SECRET} approved", ItemState.APPROVED),
            "withdrawn": make(f"{SECRET} withdrawn", ItemState.WITHDRAWN),
        }
        scheduled = make(f"{SECRET} scheduled", ItemState.APPROVED)
        workflows.publish_item(people.editor, scheduled, go_live_at=timezone.now() + dt.timedelta(days=2))
        items["scheduled"] = scheduled
        expired = make(f"{SECRET} expired", ItemState.PUBLISHED)
        Item.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - dt.timedelta(hours=1))
        items["expired"] = expired
    return public, items


def _all_titles(api, path, params=None):
    response = api.get(path, params)
    assert response.status_code == 200, response.content
    return [row.get("title") or row["item"]["title"] for row in response.json()["results"]]


def test_only_the_live_item_is_public_anywhere_in_the_api(anon, eropa, hidden):
    public, items = hidden
    for api in (anon, eropa):  # anonymous, and another partner's token
        assert _all_titles(api, "/api/v1/items") == [public.title]
        assert _all_titles(api, "/api/v1/items", {"partner": "icap", "theme": "sdg-16"}) == [public.title]
        assert _all_titles(api, "/api/v1/events", {"start": "2020-11-01", "end": "2020-11-30"}) == [public.title]
        assert _all_titles(api, "/api/v1/search", {"q": SECRET}) == [public.title]
        for item in items.values():
            assert api.get(f"/api/v1/items/{item.slug}").status_code == 404
        assert _all_titles(eropa, "/api/v1/partner/items") == []
        for item in items.values():
            assert eropa.get(f"/api/v1/partner/items/{item.slug}").status_code == 404


def test_search_facet_counts_only_count_live_items(anon, hidden):
    body = anon.get("/api/v1/search", {"q": SECRET}).json()
    assert body["total"] == 1
    assert body["facets"]["partner"] == [{"value": "icap", "label": "ICAP", "count": 1}]
    assert body["facets"]["kind"] == [{"value": "event", "label": "Event", "count": 1}]
    assert body["facets"]["theme"] == [{"value": "sdg-16", "label": "Peace, justice and strong institutions", "count": 1}]


def test_own_token_sees_every_state_of_its_own_items(icap, hidden):
    public, items = hidden
    titles = _all_titles(icap, "/api/v1/partner/items", {"limit": 100})
    assert sorted(titles) == sorted([public.title] + [i.title for i in items.values()])
    assert icap.get(f"/api/v1/partner/items/{items['draft'].slug}").json()["state"] == "draft"
    # The token does not widen the public reads.
    assert _all_titles(icap, "/api/v1/items") == [public.title]


def test_feeds_and_calendars_leave_drafts_out(client, hidden):
    public, items = hidden
    for path in ("/feeds/items.rss", "/feeds/items.atom", "/calendar/events.ics", "/feeds/partner/icap.rss"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert public.title in text, path
        for item in items.values():
            assert item.title not in text, (path, item.title)


def test_unpublished_editions_stay_hidden(anon, people):
    for state in ("draft", "ready"):
        edition = edition_workflows.create_edition(people.editor, Edition(
            title=f"Issue {state}", period_start=dt.date(2021, 1, 1), period_end=dt.date(2021, 3, 31)))
        if state == "ready":
            from tests.factories import make_item
            make_item(people.icap, state=ItemState.APPROVED, published_on=dt.date(2021, 2, 1))
            edition_workflows.add_entry(people.editor, edition, Item.objects.get(state=ItemState.APPROVED))
            edition_workflows.mark_ready(people.editor, edition)
        assert anon.get(f"/api/v1/editions/{edition.slug}").status_code == 404
    assert anon.get("/api/v1/editions").json()["results"] == []
    assert anon.get("/api/v1/search", {"q": "Issue"}).json()["editions"] == []
