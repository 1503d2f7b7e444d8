"""Finding 4: an item scheduled to go live later, or already expired, never reaches an edition: the
composer does not offer it, adding it is refused, publishing refuses naming it, and no rendering,
API answer or search result of the published edition carries its title or summary."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.discovery import search
from partnerpost.editions import workflows
from partnerpost.editions.models import Edition, Entry
from tests.editions.pdftext import read as read_pdf
from tests.factories import make_item

PERIOD = dict(title="Partners' Newsletter", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31))
HIDDEN = ["Scheduled for 2030", "Embargoed summary", "Expired story", "Expired summary", "Approved for 2030", "Approved embargo"]


@pytest.fixture
def items(people):
    later = timezone.make_aware(dt.datetime(2030, 1, 1, 9, 0))
    past = timezone.now() - dt.timedelta(days=1)
    return {
        "live": make_item(people.icap, state=ItemState.PUBLISHED, title="Live story", summary="Live summary",
                          published_on=dt.date(2020, 11, 2)),
        "scheduled": make_item(people.icap, state=ItemState.PUBLISHED, title="Scheduled for 2030", summary="Embargoed summary",
                               published_on=dt.date(2020, 11, 3), go_live_at=later),
        "expired": make_item(people.eropa, state=ItemState.PUBLISHED, title="Expired story", summary="Expired summary",
                             published_on=dt.date(2020, 11, 4), expire_at=past),
        "approved_later": make_item(people.eropa, state=ItemState.APPROVED, title="Approved for 2030", summary="Approved embargo",
                                    kind=ItemKind.EVENT, start_date=dt.date(2020, 11, 5), go_live_at=later),
    }


def _edition(editor):
    return workflows.create_edition(editor, Edition(**PERIOD))


def _titles(edition):
    return sorted(Entry.objects.filter(section__edition=edition).values_list("item__title", flat=True))


def test_composer_offers_only_items_live_at_publication(client, people, items):
    edition = workflows.create_edition(people.editor, Edition(**PERIOD), populate=False)
    assert [i.title for i in workflows.candidates(edition)] == ["Live story"]
    client.force_login(people.editor)
    page = client.get(reverse("compose:edition", args=[edition.pk])).content.decode()
    assert "Live story" in page and not [t for t in HIDDEN if t in page]
    assert _titles(_edition(people.editor)) == ["Live story"]


@pytest.mark.parametrize("name, message", [
    ("scheduled", "“Scheduled for 2030” is scheduled to go live at 2030-01-01 09:00"),
    ("expired", "“Expired story” was unpublished at"),
    ("approved_later", "“Approved for 2030” is scheduled to go live at 2030-01-01 09:00"),
])
def test_adding_a_not_live_item_is_refused_naming_it(client, people, items, name, message):
    edition = _edition(people.editor)
    with pytest.raises(workflows.EditionError, match=message):
        workflows.add_entry(people.editor, edition, items[name])
    client.force_login(people.editor)
    response = client.post(reverse("compose:action", args=[edition.pk, "add"]), {"item": items[name].pk}, follow=True)
    assert message in response.content.decode()
    assert _titles(edition) == ["Live story"]


@pytest.mark.parametrize("name, message", [
    ("scheduled", "“Scheduled for 2030” is scheduled to go live"),
    ("expired", "“Expired story” was unpublished at"),
    ("approved_later", "“Approved for 2030” is scheduled to go live"),
])
def test_publishing_refuses_an_entry_no_longer_live(people, items, name, message):
    edition = _edition(people.editor)
    # It was live when it was added; since then its go-live was moved to 2030, or it expired.
    section = edition.sections.first()
    Entry.objects.create(section=section, item=items[name], position=99)
    with pytest.raises(workflows.EditionError, match=message):
        workflows.publish_edition(people.editor, edition)
    assert Edition.objects.get(pk=edition.pk).state == "draft"
    items["approved_later"].refresh_from_db()
    assert items["approved_later"].state == ItemState.APPROVED  # nothing was published


def test_no_rendering_api_or_search_of_the_edition_carries_a_hidden_item(client, people, items, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        edition = workflows.publish_edition(people.editor, _edition(people.editor))
    texts = {}
    for name, path in [("page", f"/editions/{edition.slug}/"), ("text", f"/editions/{edition.slug}/newsletter.txt"),
                       ("md", f"/editions/{edition.slug}/newsletter.md"), ("email", f"/editions/{edition.slug}/email/"),
                       ("api", f"/api/v1/editions/{edition.slug}"), ("api-list", "/api/v1/editions")]:
        response = client.get(path)
        assert response.status_code == 200, path
        texts[name] = response.content.decode()
    pdf = client.get(f"/editions/{edition.slug}/newsletter.pdf")
    assert pdf.status_code == 200
    texts["pdf"] = " ".join(read_pdf(b"".join(pdf) if pdf.streaming else pdf.content)["pages"])
    assert "Live story" in texts["page"] and "Live story" in texts["pdf"]
    leaks = {name: [t for t in HIDDEN if t in text] for name, text in texts.items()}
    assert leaks == {name: [] for name in texts}
    for words in ["Scheduled", "Embargoed", "Expired", "embargo"]:
        assert search.search_editions(words) == []
        found = client.get("/search/", {"q": words}).content.decode()
        assert not [t for t in HIDDEN if t in found]
