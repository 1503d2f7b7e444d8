import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.editions import workflows
from partnerpost.editions.models import Edition, Entry
from partnerpost.editions.render import context_for
from tests.factories import make_item


def _edition(editor, **fields):
    values = dict(title="Partners' Newsletter", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31))
    values.update(fields)
    return workflows.create_edition(editor, Edition(**values))


def _layout(edition):
    return [(s.title, [e.item.title for e in s.entries.order_by("position")]) for s in edition.sections.order_by("position")]


@pytest.fixture
def items(people):
    return {
        "icap_event": make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="ICAP ceremony", start_date=dt.date(2020, 10, 30)),
        "icap_news": make_item(people.icap, state=ItemState.APPROVED, title="ICAP news", published_on=dt.date(2020, 11, 2)),
        "eropa_pub": make_item(people.eropa, state=ItemState.PUBLISHED, kind=ItemKind.PUBLICATION, title="EROPA Bulletin", published_on=dt.date(2020, 10, 20)),
        "long_event": make_item(people.eropa, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Autumn school", start_date=dt.date(2020, 9, 28), end_date=dt.date(2020, 10, 2)),
        "draft": make_item(people.icap, state=ItemState.DRAFT, title="Unfinished"),
        "outside": make_item(people.icap, state=ItemState.PUBLISHED, title="Next year", published_on=dt.date(2021, 1, 5)),
    }


def test_creation_gathers_the_period_by_partner(people, items):
    edition = _edition(people.editor)
    assert _layout(edition) == [
        (people.icap.name, ["ICAP ceremony", "ICAP news"]),
        (people.eropa.name, ["Autumn school", "EROPA Bulletin"]),
    ]
    assert [i.title for i in workflows.candidates(edition)] == []


def test_only_editors_compose(people, items):
    with pytest.raises(PermissionDenied):
        _edition(people.icap_partner_editor)
    assert Edition.objects.count() == 0


def test_bad_period_is_refused(people):
    with pytest.raises(workflows.EditionError, match="The period ends before it starts."):
        _edition(people.editor, period_end=dt.date(2020, 9, 1))
    assert Edition.objects.count() == 0


def test_add_remove_move(people, items):
    edition = _edition(people.editor, period_end=dt.date(2020, 10, 31))
    assert _layout(edition) == [(people.icap.name, ["ICAP ceremony"]), (people.eropa.name, ["Autumn school", "EROPA Bulletin"])]
    workflows.add_entry(people.editor, edition, items["outside"])
    with pytest.raises(workflows.EditionError, match="“Next year” is already in this edition."):
        workflows.add_entry(people.editor, edition, items["outside"])
    with pytest.raises(workflows.EditionError, match="Only approved or published items"):
        workflows.add_entry(people.editor, edition, items["draft"])
    entry = Entry.objects.get(item=items["outside"])
    assert workflows.move_entry(people.editor, entry, "up") is True
    assert _layout(edition)[0] == (people.icap.name, ["Next year", "ICAP ceremony"])
    assert workflows.move_entry(people.editor, entry, "up") is False
    section = edition.sections.get(partner=people.eropa)
    workflows.move_section(people.editor, section, "up")
    assert [s for s, _ in _layout(edition)] == [people.eropa.name, people.icap.name]
    workflows.remove_entry(people.editor, entry)
    assert _layout(edition)[1] == (people.icap.name, ["ICAP ceremony"])


def test_reorder_moves_entries_between_sections_and_refuses_partial_layouts(people, items):
    edition = _edition(people.editor)
    icap, eropa = edition.sections.order_by("position")
    ids = {e.item.title: e.pk for e in Entry.objects.filter(section__edition=edition).select_related("item")}
    with pytest.raises(workflows.EditionError, match="does not match"):
        workflows.reorder(people.editor, edition, [(icap.pk, [ids["ICAP news"]]), (eropa.pk, [])])
    assert _layout(edition)[0] == (people.icap.name, ["ICAP ceremony", "ICAP news"])
    workflows.reorder(people.editor, edition, [
        (eropa.pk, [ids["EROPA Bulletin"], ids["ICAP news"], ids["Autumn school"]]), (icap.pk, [ids["ICAP ceremony"]]),
    ])
    assert _layout(edition) == [
        (people.eropa.name, ["EROPA Bulletin", "ICAP news", "Autumn school"]), (people.icap.name, ["ICAP ceremony"]),
    ]


def test_publish_freezes_text_and_publishes_approved_items(people, items):
    edition = _edition(people.editor)
    entry = Entry.objects.get(item=items["icap_news"])
    workflows.set_entry_summary(people.editor, entry, "Told differently for this edition.")
    edition = workflows.publish_edition(people.editor, edition)
    items["icap_news"].refresh_from_db()
    assert items["icap_news"].state == ItemState.PUBLISHED
    items["icap_event"].title = "Renamed afterwards"
    items["icap_event"].save()
    frozen = context_for(Edition.objects.get(pk=edition.pk))
    titles = [e["title"] for s in frozen["sections"] for e in s["entries"]]
    assert "ICAP ceremony" in titles and "Renamed afterwards" not in titles
    assert [e["summary"] for s in frozen["sections"] for e in s["entries"] if e["title"] == "ICAP news"] == ["Told differently for this edition."]
    with pytest.raises(workflows.EditionError, match="published; its content is frozen"):
        workflows.add_entry(people.editor, edition, items["outside"])


def test_publish_refuses_empty_editions_and_withdrawn_items(people, items):
    empty = _edition(people.editor, period_start=dt.date(2019, 1, 1), period_end=dt.date(2019, 1, 31))
    with pytest.raises(workflows.EditionError, match="An empty edition cannot be published."):
        workflows.publish_edition(people.editor, empty)
    with pytest.raises(workflows.EditionError, match="Add at least one item"):
        workflows.mark_ready(people.editor, empty)
    edition = _edition(people.editor)
    items["eropa_pub"].state = ItemState.WITHDRAWN
    items["eropa_pub"].save()
    with pytest.raises(workflows.EditionError, match="“EROPA Bulletin” is withdrawn"):
        workflows.publish_edition(people.editor, edition)
    assert Edition.objects.get(pk=edition.pk).state == "draft"


# Pages ------------------------------------------------------------------------------

def test_draft_edition_is_hidden_from_the_public(client, people, items):
    edition = _edition(people.editor)
    for url in [edition.get_absolute_url(), edition.get_absolute_url() + "newsletter.pdf"]:
        assert client.get(url).status_code == 404
    assert "Partners&#x27; Newsletter" not in client.get("/editions/").content.decode()
    client.force_login(people.editor)
    assert client.get(edition.get_absolute_url()).status_code == 200


def test_composer_is_for_editors(client, people, items):
    edition = _edition(people.editor)
    urls = [reverse("compose:list"), reverse("compose:edition", args=[edition.pk]), reverse("compose:preview", args=[edition.pk])]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(people.icap_partner_editor)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(reverse("compose:action", args=[edition.pk, "publish"])).status_code == 403
    assert client.post(reverse("compose:reorder", args=[edition.pk]), "{}", content_type="application/json").status_code == 403
    assert Edition.objects.get(pk=edition.pk).state == "draft"


def test_composer_actions_through_the_web(client, people, items):
    client.force_login(people.editor)
    response = client.post(reverse("compose:list"), {
        "title": "Partners' Newsletter", "period_start": "2020-10-01", "period_end": "2020-12-31", "language": "en",
        "disclaimer": "Views are the authors' own.",
    })
    edition = Edition.objects.get()
    assert response["Location"] == reverse("compose:edition", args=[edition.pk])
    page = client.get(response["Location"]).content.decode()
    assert "ICAP ceremony" in page and "Next year" not in page
    client.post(reverse("compose:action", args=[edition.pk, "add"]), {"item": items["outside"].pk})
    response = client.post(reverse("compose:action", args=[edition.pk, "add"]), {"item": items["outside"].pk}, follow=True)
    assert "“Next year” is already in this edition." in response.content.decode()
    response = client.post(reverse("compose:reorder", args=[edition.pk]), "not json", content_type="application/json")
    assert response.status_code == 400 and response.json() == {"error": "The order could not be read."}
    response = client.post(reverse("compose:reorder", args=[edition.pk]), json.dumps({"sections": [{"id": 1, "entries": []}]}), content_type="application/json")
    assert response.status_code == 409
    for fmt, kind in [("web", "text/html"), ("email", "text/html"), ("text", "text/plain"), ("md", "text/markdown"), ("pdf", "application/pdf")]:
        response = client.get(reverse("compose:render", args=[edition.pk, fmt]))
        assert response.status_code == 200 and response["Content-Type"].startswith(kind)
    assert client.get(reverse("compose:render", args=[edition.pk, "docx"])).status_code == 404
    client.post(reverse("compose:action", args=[edition.pk, "publish"]))
    assert Edition.objects.get().state == "published"
    assert client.get(reverse("compose:settings", args=[edition.pk])).status_code == 403
    client.logout()
    assert client.get(edition.get_absolute_url()).status_code == 200
    assert client.get(edition.get_absolute_url() + "newsletter.pdf")["Content-Type"] == "application/pdf"
    assert "Partners&#x27; Newsletter" in client.get("/editions/").content.decode()


def test_edition_form_errors(client, people):
    client.force_login(people.editor)
    response = client.post(reverse("compose:list"), {
        "title": "", "period_start": "2020-12-31", "period_end": "2020-10-01", "language": "en",
        "disclaimer": "x", "social_links": "Twitter | twitter.com/unpan",
    })
    errors = response.context["form"].errors
    assert errors["title"] == ["This field is required."]
    assert errors["period_end"] == ["The period ends before it starts."]
    assert errors["social_links"] == ["Line 1: write label | https://address."]
    assert Edition.objects.count() == 0


def test_composer_query_count_is_constant(client, people, items):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    edition = _edition(people.editor)
    client.force_login(people.editor)
    url = reverse("compose:edition", args=[edition.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx)

    few = count()
    for n in range(15):
        workflows.add_entry(people.editor, edition, make_item(people.eropa, state=ItemState.PUBLISHED, title=f"Extra {n}", published_on=dt.date(2020, 11, 1)))
        make_item(people.icap, state=ItemState.PUBLISHED, title=f"Candidate {n}", published_on=dt.date(2020, 11, 1))
    assert count() == few


def test_cli_lists_and_builds(people, items, tmp_path, capsys):
    from django.core.management.base import CommandError

    edition = workflows.publish_edition(people.editor, _edition(people.editor))
    call_command("edition", "list")
    assert edition.slug in capsys.readouterr().out
    target = tmp_path / "latest.md"
    call_command("edition", "build", "--latest", "--format", "md", "-o", str(target))
    assert target.read_text().startswith("# Partners' Newsletter")
    with pytest.raises(CommandError, match="No edition with slug 'nope'"):
        call_command("edition", "build", "nope", "--format", "pdf", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("edition", "build", edition.slug, "--format", "text", "-o", str(tmp_path / "missing" / "x.txt"))


def test_render_context_query_count_is_constant(people, items):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partnerpost.editions.render import build_context

    edition = _edition(people.editor)
    items["icap_event"].organizations.create(role="organizer", partner=people.icap)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            build_context(edition)
        return len(ctx)

    few = count()
    for n in range(12):
        item = make_item(people.eropa, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title=f"Event {n}", start_date=dt.date(2020, 11, 1))
        item.links.create(label="More", url="https://example.org")
        item.days.create(date=dt.date(2020, 11, 1))
        item.days.create(date=dt.date(2020, 11, 3))
        item.organizations.create(role="organizer", partner=people.eropa)
        workflows.add_entry(people.editor, edition, item)
    assert count() == few


def test_every_edition_change_leaves_an_audit_row(people, items):
    from partnerpost.audience.models import Subscriber
    from partnerpost.editions.enums import EditionAction
    from partnerpost.mailing.outbox import send_edition
    from partnerpost.network.permissions import OPERATOR

    edition = _edition(people.editor)
    entry = Entry.objects.filter(section__edition=edition).first()
    workflows.remove_entry(people.editor, entry)
    workflows.add_entry(people.editor, edition, entry.item)
    workflows.mark_ready(people.editor, edition)
    edition = workflows.publish_edition(people.editor, edition)
    Subscriber.objects.create(email="reader@example.org", status="confirmed")
    with pytest.raises(PermissionDenied):
        send_edition(people.icap_partner_editor, edition)
    assert send_edition(people.editor, edition) == 1
    assert send_edition(OPERATOR, edition) == 0  # nobody twice; the shell's operator may send
    rows = [(a.action, a.actor, a.from_state, a.to_state) for a in edition.audit_entries.all()]
    assert rows == [
        (EditionAction.CREATE, people.editor, "", "draft"),
        (EditionAction.REMOVE, people.editor, "draft", "draft"),
        (EditionAction.ADD, people.editor, "draft", "draft"),
        (EditionAction.READY, people.editor, "draft", "ready"),
        (EditionAction.PUBLISH, people.editor, "ready", "published"),
        (EditionAction.SEND, people.editor, "published", "sent"),
        (EditionAction.SEND, None, "sent", "sent"),
    ]
    assert [a.note for a in edition.audit_entries.filter(action=EditionAction.SEND)] == [
        "1 deliveries queued", "0 deliveries queued"]
    edition.refresh_from_db()
    assert edition.state == "sent" and edition.sent_at is not None


def test_marking_sent_needs_an_editor_and_a_published_edition(people, items):
    edition = _edition(people.editor)
    with pytest.raises(PermissionDenied):
        workflows.mark_edition_sent(people.icap_contributor, edition, 0)
    with pytest.raises(workflows.EditionError, match="Publish the edition before sending it."):
        workflows.mark_edition_sent(people.editor, edition, 0)
    assert not edition.audit_entries.filter(action="send").exists()


def test_new_edition_form_carries_over_the_previous_footer(client, people, items):
    _edition(people.editor, title="Older", period_start=dt.date(2020, 4, 1), period_end=dt.date(2020, 6, 30),
             contact_text="Old line", contact_email="old@example.org")
    _edition(people.editor, contact_text="Questions? Write to the secretariat & partners.",
             contact_email="unpan@example.org", social_links="LinkedIn | https://www.linkedin.com/company/unpan",
             disclaimer="Views are the authors' own.")
    _edition(people.editor, title="Traduction", language="fr", translation_of=Edition.objects.get(title="Partners' Newsletter"),
             contact_text="Ligne traduite")
    client.force_login(people.editor)
    page = client.get(reverse("compose:list")).content.decode()
    assert 'value="Questions? Write to the secretariat &amp; partners."' in page
    assert 'value="unpan@example.org"' in page
    assert ">\nLinkedIn | https://www.linkedin.com/company/unpan</textarea>" in page
    assert ">\nViews are the authors&#x27; own.</textarea>" in page


def test_first_edition_form_starts_empty(client, people):
    client.force_login(people.editor)
    form = client.get(reverse("compose:list")).context["form"]
    assert form.initial == {"language": "en"}
