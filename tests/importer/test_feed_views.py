"""The workspace feeds page (/workspace/feeds/): who may see, add, read now, resume and remove which feeds."""

import pytest
from django.urls import reverse

from partnerpost.content.models import Item
from partnerpost.importer import feed_workflows
from partnerpost.importer.models import Feed, FeedState
from partnerpost.network.permissions import OPERATOR
from tests.importer.feedserver import FeedServer

URL = "/workspace/feeds/"


@pytest.fixture
def feeds(people):
    return {
        "icap": feed_workflows.add_feed(OPERATOR, people.icap, "https://icap.example.org/eventos.ics"),
        "eropa": feed_workflows.add_feed(OPERATOR, people.eropa, "https://eropa.example.org/bulletin.rss"),
    }


def test_anonymous_visitors_are_sent_to_sign_in(client, feeds):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={URL}"
    response = client.post(reverse("importer_feeds:remove", args=[feeds["icap"].pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Feed.objects.count() == 2


def test_people_without_a_partner_are_refused(client, people, feeds):
    client.force_login(people.outsider)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"partner": people.icap.pk, "url": "https://x.example.org/f"}).status_code == 403
    assert client.post(reverse("importer_feeds:remove", args=[feeds["icap"].pk])).status_code == 403
    assert Feed.objects.count() == 2


def test_a_contributor_sees_and_manages_only_their_partners_feeds(client, people, feeds):
    client.force_login(people.icap_contributor)
    page = client.get(URL)
    assert page.status_code == 200
    assert [f.url for f in page.context["feeds"]] == ["https://icap.example.org/eventos.ics"]
    assert "eropa.example.org" not in page.content.decode()
    response = client.post(URL, {"partner": people.icap.pk, "url": " https://icap.example.org/noticias.xml "})
    assert response.status_code == 302
    added = Feed.objects.get(url="https://icap.example.org/noticias.xml")
    assert (added.partner, added.added_by, added.state) == (people.icap, people.icap_contributor, FeedState.ACTIVE)
    # Another partner's feed: refused at the form, and unknown to the action addresses.
    response = client.post(URL, {"partner": people.eropa.pk, "url": "https://icap.example.org/other.xml"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "partner": ["Select a valid choice. That choice is not one of the available choices."]}
    for name in ("remove", "resume", "poll"):
        assert client.post(reverse(f"importer_feeds:{name}", args=[feeds["eropa"].pk])).status_code == 404
    assert Feed.objects.filter(partner=people.eropa).count() == 1
    assert client.post(reverse("importer_feeds:remove", args=[feeds["icap"].pk])).status_code == 302
    assert list(Feed.objects.filter(partner=people.icap).values_list("url", flat=True)) == [
        "https://icap.example.org/noticias.xml"]


def test_a_secretariat_editor_sees_every_partners_feeds(client, people, feeds):
    client.force_login(people.editor)
    page = client.get(URL)
    assert [(f.partner.acronym, f.url) for f in page.context["feeds"]] == [
        ("EROPA", "https://eropa.example.org/bulletin.rss"), ("ICAP", "https://icap.example.org/eventos.ics")]
    assert page.context["many_partners"] is True
    client.post(URL, {"partner": people.eropa.pk, "url": "https://eropa.example.org/events.ics"})
    assert Feed.objects.filter(partner=people.eropa).count() == 2


@pytest.mark.parametrize("url, error", [
    ("", "This field is required."),
    ("javascript:alert(1)", "Give an http:// or https:// address with a host name and no password, "
                            "e.g. https://example.org/news/feed.xml."),
    ("https://icap.example.org/eventos.ics", "ICAP already has this feed."),
])
def test_bad_addresses_are_refused_with_the_reason(client, people, feeds, url, error):
    client.force_login(people.icap_contributor)
    response = client.post(URL, {"partner": people.icap.pk, "url": url})
    assert response.status_code == 200
    assert response.context["form"].errors == {"url": [error]}
    assert Feed.objects.filter(partner=people.icap).count() == 1


def test_read_now_and_resume_from_the_page(client, people, settings):
    settings.FETCH_ALLOW_PRIVATE = True
    server = FeedServer().start()
    try:
        url = server.serve("/eropa.rss", fixture="eropa-bulletin.rss")
        feed = feed_workflows.add_feed(OPERATOR, people.eropa, url)
        Feed.objects.filter(pk=feed.pk).update(state=FeedState.PAUSED, failures=5, last_error="Timed out.")
        client.force_login(people.eropa_contributor)
        page = client.get(URL).content.decode()
        assert "Paused" in page and "Failed 5 times in a row: Timed out." in page
        response = client.post(reverse("importer_feeds:resume", args=[feed.pk]), follow=True)
        assert f"The feed {url} will be polled again." in response.content.decode()
        response = client.post(reverse("importer_feeds:poll", args=[feed.pk]), follow=True)
        assert "Feed read. New drafts: 3. Drafts updated: 0. Entries unchanged or already known: 0." in response.content.decode()
        assert Item.objects.filter(partner=people.eropa, state="draft").count() == 3
        response = client.post(reverse("importer_feeds:poll", args=[feed.pk]), follow=True)
        assert "The feed has not changed since the last poll." in response.content.decode()
    finally:
        server.stop()


def test_the_workspace_bar_links_to_the_feeds_page(client, people):
    client.force_login(people.icap_contributor)
    assert f'href="{URL}"' in client.get(reverse("workspace:dashboard")).content.decode()
    client.force_login(people.outsider)
    assert f'href="{URL}"' not in client.get("/").content.decode()


def test_get_is_not_allowed_on_the_actions(client, people, feeds):
    client.force_login(people.editor)
    assert client.get(reverse("importer_feeds:remove", args=[feeds["icap"].pk])).status_code == 405
    assert Feed.objects.count() == 2
