"""Fetching from an address typed by a person (importer.fetching), and `partnerpost import-newsletter URL`,
against a real HTTP server on 127.0.0.1."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from partnerpost.importer.fetching import FetchError, Limits, check_address, fetch, fetch_document
from partnerpost.importer.models import ImportBatch
from tests.importer.feedserver import FeedServer
from tests.importer.test_review import NEWSLETTER

CORPUS_HTML = "bulletin-print.html"


@pytest.fixture
def server(settings):
    settings.FETCH_ALLOW_PRIVATE = True
    settings.FETCH_TIMEOUT_SECONDS = 2
    feed_server = FeedServer().start()
    yield feed_server
    feed_server.stop()


def limits(**changes) -> Limits:
    values = {"max_bytes": 1024 * 1024, "timeout": 2.0, "allow_private": True}
    values.update(changes)
    return Limits(**values)


@pytest.mark.parametrize("url, message", [
    ("ftp://example.org/feed", "'ftp://example.org/feed': only http:// and https:// addresses can be fetched."),
    ("file:///etc/passwd", "'file:///etc/passwd': only http:// and https:// addresses can be fetched."),
    ("https:///feed", "'https:///feed' has no host name."),
    ("https://me:pw@example.org/", "'https://me:pw@example.org/': addresses with a user name or password are not fetched."),
    ("http://example.org:99999/", "'http://example.org:99999/' is not a valid address (Port out of range 0-65535)."),
])
def test_check_address_refuses_what_may_not_be_fetched(url, message):
    with pytest.raises(FetchError) as caught:
        check_address(url)
    assert str(caught.value) == message


@pytest.mark.parametrize("host, name", [("127.0.0.1", "127.0.0.1"), ("localhost", "localhost"), ("[::1]", "::1"),
                                        ("0.0.0.0", "0.0.0.0"), ("[::ffff:10.0.0.1]", "::ffff:10.0.0.1")])
def test_fetch_refuses_local_addresses_unless_allowed(host, name):
    with pytest.raises(FetchError) as caught:
        fetch(f"http://{host}:9/feed", limits=limits(allow_private=False))
    assert str(caught.value).startswith(f"{name} points to a private or local network address (")
    assert str(caught.value).endswith("); such addresses are not fetched.")


def test_fetch_checks_what_a_name_resolves_to(monkeypatch):
    """A public-looking name that resolves to an address on the local network is refused before connecting."""
    import socket

    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if host == "news.partner.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.20", 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(FetchError) as caught:
        fetch("http://news.partner.example/feed", limits=limits(allow_private=False))
    assert str(caught.value) == ("news.partner.example points to a private or local network address "
                                 "(192.168.1.20); such addresses are not fetched.")


def test_fetch_gives_validators_and_304(server):
    url = server.serve("/f.rss", fixture="eropa-bulletin.rss")
    first = fetch(url, limits=limits())
    assert (first.status, first.content_type, first.etag, first.last_modified) == (
        200, "application/rss+xml", server.routes["/f.rss"].etag, "Mon, 02 Nov 2026 08:00:00 GMT")
    again = fetch(url, etag=first.etag, limits=limits())
    assert (again.status, again.body, again.etag) == (304, b"", first.etag)


def test_fetch_follows_redirects_up_to_five(server):
    server.serve("/final", "done", content_type="text/plain")
    for n in range(5):  # r0 -> r1 -> r2 -> r3 -> r4 -> final: five redirects
        server.serve(f"/r{n}", redirect=f"/r{n + 1}" if n < 4 else "/final")
    assert fetch(server.url("/r0"), limits=limits()).body == b"done"
    server.serve("/r4", redirect="/r5")  # a sixth
    server.serve("/r5", redirect="/final")
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/r0"), limits=limits())
    assert str(caught.value).startswith("The address redirects more than 5 times (")


def test_fetch_a_closed_port_is_a_clear_error():
    from tests.conftest import free_port

    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{free_port()}/feed", limits=limits())
    assert str(caught.value).startswith("Could not fetch http://127.0.0.1:")


def test_fetch_document_names_a_page_by_its_type(server):
    server.serve("/news", NEWSLETTER, content_type="text/markdown; charset=utf-8")
    server.serve("/files/march.md", NEWSLETTER, content_type="application/octet-stream")
    assert fetch_document(server.url("/news"), max_bytes=10**6) == (NEWSLETTER, "news.md")
    assert fetch_document(server.url("/files/march.md"), max_bytes=10**6)[1] == "march.md"


# --- import-newsletter URL ----------------------------------------------------------------------------------

def _dry_run(source: str) -> dict:
    out = io.StringIO()
    call_command("import-newsletter", source, "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_import_newsletter_url_goes_the_same_way_as_the_file(server, people, tmp_path):
    from pathlib import Path

    corpus = Path(__file__).parent / "corpus" / CORPUS_HTML
    server.serve("/bulletin", corpus.read_bytes(), content_type="text/html; charset=utf-8")
    from_url = _dry_run(server.url("/bulletin"))
    from_file = _dry_run(str(corpus))
    assert len(from_url["items"]) == len(from_file["items"]) > 10
    assert from_url == from_file

    server.serve("/news", NEWSLETTER, content_type="text/markdown")
    out = io.StringIO()
    call_command("import-newsletter", server.url("/news"), "--partner", "ICAP", stdout=out)
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.format, batch.partner) == ("news.md", "markdown", people.icap)
    assert batch.candidates.count() == len(_dry_run(server.url("/news"))["items"])
    again = io.StringIO()
    call_command("import-newsletter", server.url("/news"), stdout=again)
    assert again.getvalue().startswith(f"This file was already imported as import #{batch.pk}")
    assert ImportBatch.objects.count() == 1


@pytest.mark.parametrize("route, message", [
    ({"status": 404}, "The server answered 404 Not Found."),
    ({"redirect": "/page"}, "The address redirects in a loop ("),
    ({"body": b"x" * 4096, "content_type": "text/plain"}, "The document is 4 KB; the limit is 2 KB."),
    ({"body": b"# News\n\nSlow.", "delay": 3}, "The server did not answer within 2 seconds."),
])
def test_import_newsletter_url_refuses_bad_pages_and_writes_nothing(server, people, settings, route, message):
    settings.IMPORT_MAX_BYTES = 2048
    server.serve("/page", **route)
    with pytest.raises(CommandError) as caught:
        call_command("import-newsletter", server.url("/page"))
    assert str(caught.value).startswith(f"{server.url('/page')}: {message}")
    assert not ImportBatch.objects.exists()


def test_import_newsletter_url_refuses_private_addresses_by_default(server, people, settings):
    settings.FETCH_ALLOW_PRIVATE = False
    server.serve("/news", NEWSLETTER, content_type="text/markdown")
    with pytest.raises(CommandError) as caught:
        call_command("import-newsletter", server.url("/news"))
    assert str(caught.value) == (f"{server.url('/news')}: 127.0.0.1 points to a private or local network address "
                                 "(127.0.0.1); such addresses are not fetched.")
    assert server.requests == [] and not ImportBatch.objects.exists()
