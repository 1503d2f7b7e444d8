"""Finding 10 (PostgreSQL): NUL characters in the subscriber search and in a CSV import are refused
with a message, on SQLite and PostgreSQL alike, never a 500 or a traceback."""

import io

from partnerpost.audience import workflows
from partnerpost.audience.models import Subscriber


def test_subscriber_search_with_nul_is_refused_with_a_message(client, people):
    Subscriber.objects.create(email="a@example.org", name="Ana", status="confirmed")
    client.force_login(people.editor)
    response = client.get("/workspace/subscribers/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert list(response.context["page"].object_list) == []
    response = client.get("/workspace/subscribers/", {"country": "C\x00R", "format": "csv"})
    assert response.status_code == 400 and "NUL character" in response.content.decode()


def test_admin_subscriber_search_with_nul_is_refused_with_a_message(client, people):
    from partnerpost.network.models import User

    Subscriber.objects.create(email="a@example.org", name="Ana", status="confirmed")
    User.objects.filter(pk=people.editor.pk).update(is_staff=True, is_superuser=True)
    client.force_login(people.editor)
    response = client.get("/admin/audience/subscriber/", {"q": "a\x00b"}, follow=True)
    assert response.status_code == 200  # Django's admin refuses NUL in its query itself
    assert "Null characters are not allowed." in response.content.decode()


def test_csv_import_with_nul_reports_the_line_and_imports_the_rest(db):
    report = workflows.import_csv(io.StringIO("email,name\nana@example.org,An\x00a\nbob@example.org,Bob\n"))
    assert report.created == 1
    assert report.errors == [(2, "name contains a NUL character, which is not allowed")]
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["bob@example.org"]


def test_cli_import_with_nul_reports_the_line(db, tmp_path, capsys):
    from django.core.management import call_command

    source = tmp_path / "readers.csv"
    source.write_text("email,organization\nana@example.org,Min\x00istry\n", encoding="utf-8")
    call_command("subscribers", "import", str(source))
    captured = capsys.readouterr()
    assert "line 2: organization contains a NUL character" in captured.err
    assert Subscriber.objects.count() == 0
