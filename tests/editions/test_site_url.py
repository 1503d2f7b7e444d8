"""Links follow the server: a published edition's links move with SITE_URL, which follows PORT by default."""

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.files.storage import default_storage

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.editions import stored, workflows
from partnerpost.editions.models import Edition
from tests.editions import pdftext
from tests.factories import make_item

ROOT = Path(__file__).resolve().parents[2]


def _ports(text: str) -> set[str]:
    return set(re.findall(r"127\.0\.0\.1:(\d+)", text))


def _published(people):
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Ceremony",
              start_date=dt.date(2020, 10, 30))
    make_item(people.icap, state=ItemState.PUBLISHED, title="Graduation", published_on=dt.date(2020, 11, 2))
    edition = workflows.create_edition(people.editor, Edition(
        title="Letter", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31)))
    return workflows.publish_edition(people.editor, edition)


def test_published_edition_links_follow_a_changed_site_url(client, people, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    edition = _published(people)
    assert edition.snapshot["url"] == f"http://127.0.0.1:8000/editions/{edition.slug}/"
    first_pdf = client.get(f"/editions/{edition.slug}/newsletter.pdf")
    assert "http://127.0.0.1:8000/editions/" in " ".join(pdftext.read(b"".join(first_pdf.streaming_content))["links"])
    old_name = Edition.objects.get().pdf_name

    settings.SITE_URL = "http://127.0.0.1:8080"
    page = client.get(f"/editions/{edition.slug}/").content.decode()
    email = client.get(f"/editions/{edition.slug}/email/").content.decode()
    text = client.get(f"/editions/{edition.slug}/newsletter.txt").content.decode()
    markdown = client.get(f"/editions/{edition.slug}/newsletter.md").content.decode()
    calendar = client.get("/calendar/events.ics").content.decode()
    for rendering in (page, email, text, markdown, calendar):
        assert _ports(rendering) == {"8080"}
    assert f"http://127.0.0.1:8080/editions/{edition.slug}/" in email
    assert "URL:http://127.0.0.1:8080/items/" in calendar

    pdf = pdftext.read(b"".join(client.get(f"/editions/{edition.slug}/newsletter.pdf").streaming_content))
    assert f"http://127.0.0.1:8080/editions/{edition.slug}/" in pdf["links"]
    assert {port for link in pdf["links"] for port in _ports(link)} == {"8080"}
    new_name = Edition.objects.get().pdf_name
    assert new_name != old_name and default_storage.exists(new_name)
    assert stored.stored_pdf(Edition.objects.get()) == new_name  # kept: the next reader is served the file
    assert Edition.objects.get().snapshot["url"] == f"http://127.0.0.1:8000/editions/{edition.slug}/"  # what was frozen stays


def test_links_to_other_sites_are_not_moved(people, settings):
    from partnerpost.editions.render import rebase

    context = {"site_url": "http://127.0.0.1:8000", "url": "http://127.0.0.1:8000/editions/x/",
               "links": [{"url": "https://example.org/http://127.0.0.1:8000"}, {"url": "http://127.0.0.1:8000"}],
               "intro": '<a href="http://127.0.0.1:8000/items/a/">a</a>', "volume": 3}
    assert rebase(context, "https://news.example.org/") == {
        "site_url": "https://news.example.org", "url": "https://news.example.org/editions/x/",
        "links": [{"url": "https://example.org/http://127.0.0.1:8000"}, {"url": "https://news.example.org"}],
        "intro": '<a href="https://news.example.org/items/a/">a</a>', "volume": 3,
    }


def _site_url(env: dict) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}} | env
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; django.setup(); print(settings.SITE_URL)"],
        env=env | {"DJANGO_SETTINGS_MODULE": "partnerpost.settings"}, capture_output=True, text=True, check=True, cwd=ROOT)
    return result.stdout.strip()


def test_site_url_follows_port_unless_set():
    assert _site_url({}) == "http://127.0.0.1:8000"
    assert _site_url({"PORT": "8080"}) == "http://127.0.0.1:8080"
    assert _site_url({"PORT": "8080", "SITE_URL": "https://news.example.org/"}) == "https://news.example.org"


def test_make_passes_port_to_what_it_runs():
    # `make run` starts the site and the task worker as recipes: both must see the PORT given to make.
    for args, env in ((["PORT=8080"], {}), ([], {"PORT": "8080"})):
        result = subprocess.run(["make", "-s", "--no-print-directory", "--eval", "show-port:\n\t@echo $$PORT", "show-port", *args],
                                cwd=ROOT, capture_output=True, text=True, check=True,
                                env={k: v for k, v in os.environ.items() if k != "PORT"} | env)
        assert result.stdout.strip() == "8080"


def test_pages_allow_pictures_from_a_plain_http_site_url(client, db, settings):
    # An edition's pictures are addressed under SITE_URL, which in development may name this host differently.
    settings.SITE_URL = "http://127.0.0.1:8080"
    policy = client.get("/editions/")["Content-Security-Policy"]
    assert "img-src 'self' data: https: http://127.0.0.1:8080;" in policy
    settings.SITE_URL = "https://news.example.org"
    policy = client.get("/editions/")["Content-Security-Policy"]
    assert "img-src 'self' data: https:;" in policy
