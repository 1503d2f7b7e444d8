"""The organizer's desk: who sees registrants, counts, search, exports, emails, audit; personal data deletion."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone

from partnerpost.registration import workflows
from partnerpost.registration.enums import Action
from partnerpost.registration.models import Registration, RegistrationAudit
from tests.conftest import run_queued_tasks
from tests.registration.conftest import make_event, open_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(people):
    item = make_event(people.icap)
    open_registration(item, capacity=2, questions=[{"key": "diet", "label": "Dietary needs", "type": "text", "required": False}])
    names = [("Ana Mora", "ICAP"), ("Bo Li", "=HYPERLINK(1)"), ("Cy Dee", "Ministry of Planning"), ("Di Fox", "ICAP")]
    for n, (name, org) in enumerate(names):
        workflows.register(item, name=name, email=f"p{n}@example.org", answers={"organization": org, "diet": "vegan" if n == 0 else ""})
    return item


@pytest.mark.parametrize("who, code", [("icap_contributor", 200), ("icap_partner_editor", 200), ("editor", 200),
                                       ("eropa_contributor", 403), ("outsider", 403)])
def test_desk_and_exports_only_for_owning_partner_and_secretariat(client, people, crowd, who, code):
    client.force_login(getattr(people, who))
    for url in (f"/workspace/events/{crowd.pk}/registrations/", f"/workspace/events/{crowd.pk}/registrations/export.csv",
                f"/workspace/events/{crowd.pk}/registrations/export.xlsx"):
        response = client.get(url)
        assert response.status_code == code
        assert (b"p0@example.org" in response.content) == (code == 200 and not url.endswith(".xlsx"))  # the XLSX is compressed


def test_desk_anonymous_is_sent_to_sign_in_and_sees_nothing(client, crowd):
    response = client.get(f"/workspace/events/{crowd.pk}/registrations/")
    assert response.status_code == 302 and b"p0@example.org" not in response.content


def test_desk_counts_search_and_filter(client, people, crowd):
    client.force_login(people.icap_contributor)
    page = client.get(f"/workspace/events/{crowd.pk}/registrations/").content.decode()
    assert '<span class="stat-n" data-status="confirmed">2</span>' in page
    assert '<span class="stat-n" data-status="waitlisted">2</span>' in page
    found = client.get(f"/workspace/events/{crowd.pk}/registrations/?q=icap").content.decode()
    assert "p0@example.org" in found and "p3@example.org" in found and "p2@example.org" not in found
    waiting = client.get(f"/workspace/events/{crowd.pk}/registrations/?status=waitlisted").content.decode()
    assert "p2@example.org" in waiting and "p0@example.org" not in waiting


def test_csv_export_is_exact_and_neutralizes_formulas(client, people, crowd):
    client.force_login(people.editor)
    response = client.get(f"/workspace/events/{crowd.pk}/registrations/export.csv?status=confirmed")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Number", "Name", "Email", "Status", "Organization", "Country", "Position", "Dietary needs",
                       "Fee", "Currency", "Registered at (UTC)", "Language"]
    assert [r[1:8] for r in rows[1:]] == [["Ana Mora", "p0@example.org", "confirmed", "ICAP", "", "", "vegan"],
                                          ["Bo Li", "p1@example.org", "confirmed", "'=HYPERLINK(1)", "", "", ""]]


def test_xlsx_export_holds_every_registration(client, people, crowd):
    client.force_login(people.icap_contributor)
    response = client.get(f"/workspace/events/{crowd.pk}/registrations/export.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    for text in ("Ana Mora", "p3@example.org", "Ministry of Planning", "waitlisted", "'=HYPERLINK(1)"):
        assert text in strings
    assert sheet.count("<row ") == 5


def test_remove_promotes_and_everything_is_audited(client, people, crowd):
    client.force_login(people.icap_partner_editor)
    first = Registration.objects.get(email="p0@example.org")
    client.post(f"/workspace/events/{crowd.pk}/registrations/{first.pk}/remove/", {"note": "Asked by phone"})
    assert dict(Registration.objects.values_list("email", "status")) == {
        "p0@example.org": "removed", "p1@example.org": "confirmed", "p2@example.org": "confirmed", "p3@example.org": "waitlisted"}
    actions = list(RegistrationAudit.objects.order_by("pk").values_list("action", "actor__username", "note"))
    assert actions[-2:] == [(Action.REMOVE, "pablo", "Asked by phone"), (Action.PROMOTE, "pablo", "")]
    page = client.get(f"/workspace/events/{crowd.pk}/registrations/").content.decode()
    assert "Asked by phone" in page


def test_other_partner_cannot_change(client, people, crowd):
    client.force_login(people.eropa_contributor)
    first = Registration.objects.get(email="p0@example.org")
    assert client.post(f"/workspace/events/{crowd.pk}/registrations/{first.pk}/remove/").status_code == 403
    assert Registration.objects.get(pk=first.pk).status == "confirmed"


# Messages to registrants go through the mailing worker: tests/mailing/test_registrant_messages.py


def test_personal_data_deleted_after_keeping_time(people, settings):
    old = make_event(people.icap, days_ahead=-800, title="Old forum")
    open_registration(old)
    recent = make_event(people.icap, days_ahead=-100, title="Recent forum")
    open_registration(recent)
    for item in (old, recent):
        Registration.objects.create(item=item, name="Ana", email="ana@example.org", organization="ICAP", status="confirmed",
                                    answers={"diet": "vegan"})
    call_command("registrations", "purge")
    gone = Registration.objects.get(item=old)
    assert (gone.name, gone.email, gone.organization, gone.answers, gone.status) == (
        "", f"purged-{gone.pk}@purged.invalid", "", {}, "confirmed")
    assert Registration.objects.get(item=recent).name == "Ana"
    settings.REGISTRATION_KEEP_MONTHS = 3
    assert workflows.purge_personal_data() == 1
    assert workflows.purge_personal_data() == 0
    assert RegistrationAudit.objects.filter(action=Action.PURGE).count() == 2
