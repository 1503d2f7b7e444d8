"""Targeted editions: subscribers who follow partners or themes receive only what matches, through a real SMTP server."""

import io

import pytest
from django.core.management import CommandError, call_command

from partnerpost.audience import workflows
from partnerpost.audience.models import Subscriber
from partnerpost.content.models import Theme
from partnerpost.mailing.outbox import send_edition
from partnerpost.mailing.worker import Worker
from partnerpost.network.models import Partner
from tests.mailing.test_delivery import edition, editor  # noqa: F401  (fixtures)

ICAP_TITLES = ["XLVI ICAP graduation ceremony", "Taller virtual Prospectiva e innovación en la gestión territorial"]


def _follower(email, partners=(), themes=()):
    subscriber = Subscriber.objects.create(email=email, status="confirmed")
    subscriber.partners.set(Partner.objects.filter(acronym__in=partners))
    subscriber.themes.set(Theme.objects.filter(slug__in=themes))
    return subscriber


def _bodies(smtp):
    out = {}
    for to, message in smtp.messages:
        out[to[0]] = (message.get_body(("plain",)).get_content().replace("\r\n", "\n"), message.get_body(("html",)).get_content())
    return out


def _entry_count(text):
    return sum(1 for line in text.splitlines() if line.startswith("  On the portal: "))


def test_a_subscriber_who_chose_only_icap_receives_only_the_icap_section(edition, editor, smtp):  # noqa: F811
    _follower("icap-fan@example.org", partners=["ICAP"])
    _follower("icap-too@example.org", partners=["ICAP"])
    _follower("everything@example.org")
    _follower("cities@example.org", themes=["smart-cities"])
    send_edition(editor, edition)
    worker = Worker(connections=1).run(until_idle=True)
    bodies = _bodies(smtp)
    assert sorted(bodies) == ["cities@example.org", "everything@example.org", "icap-fan@example.org", "icap-too@example.org"]

    text, html = bodies["icap-fan@example.org"]
    assert _entry_count(text) == 2
    for title in ICAP_TITLES:
        assert title in text and title in html
    assert "INSTITUTO CENTROAMERICANO DE ADMINISTRACIÓN PÚBLICA" in text
    for other in ["EROPA Bulletin Volume 41", "Forum on Sustainable Smart Cities", "ReSPA Annual Report 2020", "NIA Online Course"]:
        assert other not in text and other not in html
    for section in ["Eastern Regional Organization for Public Administration", "Regional School of Public Administration"]:
        assert section not in html
    note = "This copy holds only the news of the partners and themes you follow."
    full = f"http://127.0.0.1:8000/editions/{edition.slug}/"
    assert f"{note}\nRead the full edition on the web: {full}\n" in text
    assert note in html and f'<a href="{full}"' in html and "Read the full edition on the web</a>" in html
    assert _entry_count(bodies["icap-too@example.org"][0]) == 2 and note in bodies["icap-too@example.org"][0]

    everything, _ = bodies["everything@example.org"]
    assert _entry_count(everything) == 27 and "you follow" not in everything
    cities, _ = bodies["cities@example.org"]
    assert _entry_count(cities) == 1 and "Forum on Sustainable Smart Cities" in cities
    # One template per distinct result, not per person: the two ICAP followers share one.
    assert len(worker.templates.targeted) == 2


def test_partners_and_themes_narrow_together_and_a_choice_matching_nothing_gets_the_whole_edition(edition, editor, smtp):  # noqa: F811
    _follower("two-partners@example.org", partners=["ICAP", "EROPA"])
    _follower("icap-innovation@example.org", partners=["ICAP"], themes=["public-sector-innovation"])
    _follower("sea@example.org", themes=["sdg-14"])
    send_edition(editor, edition)
    Worker(connections=1).run(until_idle=True)
    bodies = _bodies(smtp)
    two, _ = bodies["two-partners@example.org"]
    assert _entry_count(two) == 4 and "EROPA Bulletin Volume 41" in two and "XLVI ICAP graduation ceremony" in two
    narrow, _ = bodies["icap-innovation@example.org"]
    assert _entry_count(narrow) == 1 and "Taller virtual Prospectiva" in narrow
    sea, _ = bodies["sea@example.org"]
    assert _entry_count(sea) == 27
    assert "Nothing in this edition matches the partners and themes you follow, so here it is in full." in " ".join(sea.split())


def test_import_reads_partners_and_themes(edition):  # noqa: F811
    csv = ("email,partners,themes\n"
           "ana@example.org,ICAP; eropa,smart-cities\n"
           "bo@example.org,,sdg-16;digital-government\n"
           "cy@example.org,,\n")
    report = workflows.import_csv(io.StringIO(csv), confirmed=True, statement="Met at the 2020 forum")
    assert (report.created, report.errors, report.refused) == (3, [], False)
    chosen = {s.email: (sorted(s.partners.values_list("acronym", flat=True)), sorted(s.themes.values_list("slug", flat=True)))
              for s in Subscriber.objects.all()}
    assert chosen == {
        "ana@example.org": (["EROPA", "ICAP"], ["smart-cities"]),
        "bo@example.org": ([], ["digital-government", "sdg-16"]),
        "cy@example.org": ([], []),
    }


def test_import_refuses_unknown_partners_and_themes_and_imports_nothing(edition, tmp_path, capsys):  # noqa: F811
    path = tmp_path / "list.csv"
    path.write_text("email,partners,themes\n"
                    "ana@example.org,ICAP,smart-cities\n"
                    "bo@example.org,ICAP;WXYZ,\n"
                    "cy@example.org,,smart-citeis\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing imported: .*list.csv names partners or themes that do not exist"):
        call_command("subscribers", "import", str(path), "--confirmed", "--statement", "Met at the 2020 forum")
    assert capsys.readouterr().err.splitlines() == [
        "line 3: partners: 'WXYZ' is not the acronym of a partner",
        "line 4: themes: 'smart-citeis' is not the slug of a theme",
    ]
    assert Subscriber.objects.count() == 0
