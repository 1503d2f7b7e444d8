import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerpost.calls import workflows
from partnerpost.calls.enums import SubmissionAction, SubmissionState
from tests.factories import make_call

pytestmark = pytest.mark.django_db


def _sent(call, title="Open budget portal", country="KE", email="focal@gov.example", areas=("E-health",)):
    submission = workflows.start_submission(call, email=email)
    workflows.save_answers(submission, {"title": title, "country": country, "areas": list(areas)})
    return workflows.submit_submission(submission)


def test_return_for_changes_tells_the_submitter_who_edits_and_sends_again(people, smtp, django_capture_on_commit_callbacks):
    call = make_call(people.icap, title="Compendium")
    submission = _sent(call)
    with pytest.raises(ValidationError) as caught:
        workflows.decide_submission(people.editor, submission, "return", "  ")
    assert caught.value.message_dict == {"reason": ["Say what should change: the submitter reads this reason."]}
    with django_capture_on_commit_callbacks(execute=True):
        workflows.decide_submission(people.editor, submission, "return", "Add the year the portal started.")
    submission.refresh_from_db()
    assert (submission.state, submission.return_reason) == (SubmissionState.RETURNED, "Add the year the portal started.")
    message = smtp.messages[-1][1]
    assert message["Subject"].strip() == "Changes requested: your answers to “Compendium”"
    assert "Their reason: Add the year the portal started." in message.get_body(("plain",)).get_content()
    # the submitter edits and sends again
    workflows.save_answers(submission, {"title": "Open budget portal (2019)"})
    workflows.submit_submission(submission)
    submission.refresh_from_db()
    assert (submission.state, submission.title, submission.return_reason) == (
        SubmissionState.SUBMITTED, "Open budget portal (2019)", "")
    workflows.decide_submission(people.editor, submission, "accept")
    assert list(submission.audit_entries.values_list("action", "from_state", "to_state", "actor__username")) == [
        (SubmissionAction.CREATE, "", "draft", None), (SubmissionAction.SAVE, "draft", "draft", None),
        (SubmissionAction.SUBMIT, "draft", "submitted", None),
        (SubmissionAction.RETURN, "submitted", "returned", "editor"), (SubmissionAction.SAVE, "returned", "returned", None),
        (SubmissionAction.SUBMIT, "returned", "submitted", None),
        (SubmissionAction.ACCEPT, "submitted", "accepted", "editor"),
    ]


def test_decisions_need_the_right_person_and_state(people):
    call = make_call(people.icap)
    submission = _sent(call)
    for user in (people.icap_contributor, people.eropa_contributor, people.outsider):
        with pytest.raises(PermissionDenied):
            workflows.decide_submission(user, submission, "accept")
    workflows.decide_submission(people.icap_partner_editor, submission, "decline", "Not a public initiative.")
    with pytest.raises(workflows.WorkflowError):
        workflows.decide_submission(people.editor, submission, "accept")
    with pytest.raises(workflows.WorkflowError):
        workflows.save_answers(submission, {"title": "Changed after the decision"})


def test_duplicates_are_flagged_by_country_and_folded_title(people):
    call = make_call(people.icap)
    first = _sent(call, title="Plataforma de Salud Digital", country="UY", email="a@gov.example")
    same = _sent(call, title="plataforma de salud digital!", country="UY", email="b@gov.example")
    near = _sent(call, title="Plataforma de Salúd Digitales", country="UY", email="c@gov.example")
    elsewhere = _sent(call, title="Plataforma de Salud Digital", country="AR", email="d@gov.example")
    other = _sent(call, title="Registro civil en línea", country="UY", email="e@gov.example")
    assert [s.duplicate_of_id for s in (first, same, near, elsewhere, other)] == [None, first.pk, first.pk, None, None]


def test_queue_filters_by_country_area_and_status(client, people):
    call = make_call(people.icap)
    kenya = _sent(call, title="Kenya e-health", country="KE", areas=["E-health"])
    ghana = _sent(call, title="Ghana portal", country="GH", areas=["E-participation"], email="g@gov.example")
    workflows.decide_submission(people.editor, ghana, "accept")
    client.force_login(people.editor)
    url = f"/workspace/calls/{call.slug}/queue/"
    assert _titles(client.get(url)) == ["Kenya e-health"]
    assert _titles(client.get(url, {"status": "accepted"})) == ["Ghana portal"]
    assert _titles(client.get(url, {"status": "", "country": "GH"})) == ["Ghana portal"]
    assert _titles(client.get(url, {"status": "", "area": "E-health"})) == ["Kenya e-health"]
    assert kenya.pk


def _titles(response):
    import re

    return re.findall(r'/submissions/\d+/">([^<]+)</a>', response.content.decode())


def test_moderation_pages_are_for_the_calls_moderators_only(client, people):
    call = make_call(people.icap)
    submission = _sent(call)
    for user, status in ((people.eropa_contributor, 403), (people.icap_contributor, 403), (people.icap_partner_editor, 200)):
        client.force_login(user)
        assert client.get(f"/workspace/calls/{call.slug}/queue/").status_code == status
        assert client.get(f"/workspace/calls/{call.slug}/submissions/{submission.pk}/").status_code == status
    client.force_login(people.eropa_contributor)
    response = client.post(f"/workspace/calls/{call.slug}/submissions/{submission.pk}/", {"decision": "accept"})
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED


def test_decide_from_the_page_and_download_a_file(client, people):
    call = make_call(people.icap)
    submission = workflows.start_submission(call, email="a@gov.example")
    workflows.save_answers(submission, {"title": "T", "country": "KE", "areas": ["E-health"]},
                           {"report": SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n")})
    workflows.submit_submission(submission)
    client.force_login(people.editor)
    file_url = f"/workspace/calls/{call.slug}/submissions/{submission.pk}/files/report/"
    response = client.get(file_url)
    assert (response.status_code, response["Content-Type"], response["Cache-Control"]) == (200, "application/pdf", "private, no-store")
    client.force_login(people.eropa_contributor)
    assert client.get(file_url).status_code == 403
    client.force_login(people.editor)
    response = client.post(f"/workspace/calls/{call.slug}/submissions/{submission.pk}/", {"decision": "return", "reason": ""}, follow=True)
    assert "Say what should change: the submitter reads this reason." in response.content.decode()
    client.post(f"/workspace/calls/{call.slug}/submissions/{submission.pk}/", {"decision": "accept"})
    submission.refresh_from_db()
    assert submission.state == SubmissionState.ACCEPTED


def test_queue_names_countries_in_the_editors_language(client, people):
    call = make_call(people.icap)
    _sent(call, title="Federal portal", country="DE", areas=["E-health"])
    _sent(call, title="Digital office", country="AT", areas=["E-health"], email="at@gov.example")
    client.force_login(people.editor)
    page = client.get(f"/fr/workspace/calls/{call.slug}/queue/").content.decode()
    assert '<option value="DE">Allemagne</option>' in page
    assert page.index("Allemagne</option>") < page.index("Autriche</option>")  # in the language's order
    assert "<td>Allemagne</td>" in page and "Germany" not in page
    english = client.get(f"/workspace/calls/{call.slug}/queue/").content.decode()
    assert "<td>Germany</td>" in english
