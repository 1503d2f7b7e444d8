"""Attendance per session (list, CSV, QR at the door) and certificates with their verification address."""

import io
import re
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerpost.registration import workflows
from partnerpost.registration.models import Attendance, Certificate
from partnerpost.registration.tokens import checkin_token
from tests.registration.conftest import make_event, open_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(people):
    item = make_event(people.icap, title="Virtual workshop on public budgeting")
    open_registration(item, capacity=10, attendance_share=75)
    workflows.save_sessions(people.icap_contributor, item, [(None, f"Session {n}") for n in range(1, 5)])
    people_ = [workflows.register(item, name=name, email=f"p{n}@example.org", answers={"organization": "X"}, language=lang)
               for n, (name, lang) in enumerate([("Ana Mora", "es"), ("Bo Li", "en"), ("Cy Dee", "en")])]
    return item, people_


def test_list_page_marks_attendance_and_permissions(client, people, workshop):
    item, (ana, bo, cy) = workshop
    sessions = workflows.sessions_for(item)
    url = f"/workspace/events/{item.pk}/attendance/"
    client.force_login(people.eropa_contributor)
    assert client.get(url).status_code == 403
    client.force_login(people.icap_contributor)
    client.post(url, {"action": "mark", "session": sessions[0].pk, "present": [ana.pk, bo.pk]})
    client.post(url, {"action": "mark", "session": sessions[1].pk, "present": [ana.pk]})
    client.post(url, {"action": "mark", "session": sessions[0].pk, "present": [ana.pk]})  # Bo unmarked again
    assert sorted(Attendance.objects.values_list("registration__name", "session__position")) == [("Ana Mora", 1), ("Ana Mora", 2)]


def test_attendance_csv_all_or_nothing(people, workshop):
    item, (ana, bo, cy) = workshop
    with pytest.raises(ValidationError) as bad:
        workflows.import_attendance(people.icap_contributor, item, "email,session\np0@example.org,1\nnobody@example.org,2\np1@example.org,9\n")
    assert bad.value.message_dict["csv"] == ["Line 3: nobody@example.org is not a confirmed registrant of this event.",
                                             "Line 4: there is no session 9 (use 1 to 4)."]
    assert not Attendance.objects.exists()
    assert workflows.import_attendance(people.icap_contributor, item, "email,session\nP0@example.org,1\np0@example.org,3\n") == 2


def test_qr_checkin_at_the_door(client, people, workshop):
    item, (ana, bo, cy) = workshop
    url = f"/workspace/checkin/{checkin_token(cy)}/"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(people.eropa_contributor)
    assert client.get(url).status_code == 403
    client.force_login(people.icap_partner_editor)
    assert "Cy Dee" in client.get(url).content.decode()
    client.post(url, {"session": workflows.sessions_for(item)[2].pk})
    assert list(Attendance.objects.values_list("registration__name", "session__position", "method")) == [("Cy Dee", 3, "qr")]
    assert client.get("/workspace/checkin/forged/").status_code == 404


def test_certificates_for_those_over_the_share_with_verification(client, smtp, people, workshop, settings, tmp_path,
                                                                django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://testserver"
    item, (ana, bo, cy) = workshop
    sessions = workflows.sessions_for(item)
    for session in sessions[:3]:
        workflows.mark_attendance(people.icap_contributor, session, ana)
    for session in sessions[:2]:
        workflows.mark_attendance(people.icap_contributor, session, bo)
    with pytest.raises(PermissionDenied):
        workflows.issue_certificates(people.eropa_contributor, item)
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issued = workflows.issue_certificates(people.icap_contributor, item)
    assert [(c.registration.name, c.attended, c.sessions) for c in issued] == [("Ana Mora", 3, 4)]
    assert workflows.issue_certificates(people.icap_contributor, item) == []  # never twice
    certificate = Certificate.objects.get()
    assert len(certificate.code) >= 21 and re.fullmatch(r"[-_A-Za-z0-9]+", certificate.code)
    page = client.get(f"/certificates/{certificate.code}/").content.decode()
    for text in ("This certificate is genuine.", "Ana Mora", "Virtual workshop on public budgeting", "3 / 4"):
        assert text in page
    assert client.get("/certificates/" + "x" * 22 + "/").status_code == 404
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(client.get(f"/certificates/{certificate.code}/certificate.pdf").content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"http://testserver/certificates/{certificate.code}/" in text
    assert "Ana Mora" in text and "Virtual workshop on public budgeting" in text
    (rcpts, mail), = [m for m in smtp.messages]
    assert rcpts == ["p0@example.org"]
    assert [p.get_filename() for p in mail.iter_attachments()] == [f"certificate-{certificate.code[:8]}.pdf"]
