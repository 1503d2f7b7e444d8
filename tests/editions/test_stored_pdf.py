"""Finding 10 of issue 11 (Edition PDF): a published edition's PDF is rendered once and served from a file."""

import datetime as dt
from pathlib import Path

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.editions import workflows
from partnerpost.editions.models import Edition
from tests.factories import make_item


def _published(people):
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="ICAP ceremony",
              start_date=dt.date(2020, 10, 30))
    edition = workflows.create_edition(people.editor, Edition(
        title="Partners' Newsletter", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31)),
        populate=True)
    return workflows.publish_edition(people.editor, edition)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _stored_files(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "editions"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_published_pdf_is_rendered_once_and_served_from_the_stored_file(client, people, settings):
    edition = _published(people)
    url = edition.get_absolute_url() + "newsletter.pdf"
    first = client.get(url)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    rendered = _body(first)
    assert rendered.startswith(b"%PDF-")
    edition.refresh_from_db()
    stored = Path(settings.MEDIA_ROOT) / edition.pdf_name
    assert edition.pdf_name.startswith(f"editions/{edition.slug}-") and stored.read_bytes() == rendered
    # Had the second request rendered again, it would not answer with what the file now holds.
    stored.write_bytes(b"%PDF-1.7 the stored copy")
    second = client.get(url)
    assert _body(second) == b"%PDF-1.7 the stored copy"
    assert _stored_files(settings) == [stored]


def test_missing_stored_pdf_is_rendered_again(client, people, settings):
    edition = _published(people)
    url = edition.get_absolute_url() + "newsletter.pdf"
    _body(client.get(url))
    edition.refresh_from_db()
    stored = Path(settings.MEDIA_ROOT) / edition.pdf_name
    stored.unlink()
    again = client.get(url)
    assert again.status_code == 200
    assert _body(again).startswith(b"%PDF-")
    assert stored.exists()


def test_draft_pdf_renders_live_for_editors_and_stores_nothing(client, people, settings):
    make_item(people.icap, state=ItemState.PUBLISHED, title="ICAP news", published_on=dt.date(2020, 11, 2))
    edition = workflows.create_edition(people.editor, Edition(
        title="Partners' Newsletter", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31)),
        populate=True)
    url = edition.get_absolute_url() + "newsletter.pdf"
    assert client.get(url).status_code == 404
    client.force_login(people.editor)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    edition.refresh_from_db()
    assert edition.pdf_name == ""
    assert _stored_files(settings) == []
