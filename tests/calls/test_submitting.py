import datetime as dt
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerpost.calls import tokens, workflows
from partnerpost.calls.enums import SubmissionAction, SubmissionState
from partnerpost.calls.models import Submission, SubmissionFile
from tests.factories import make_call

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UTC = dt.UTC


def _pdf(name="report.pdf", extra=b""):
    return SimpleUploadedFile(name, PDF + extra, content_type="application/pdf")


def _complete(call, email="focal@example.org"):
    submission = workflows.start_submission(call, email=email)
    workflows.save_answers(submission, {"title": "Open budget portal", "country": "KE", "areas": ["E-health"]})
    return submission


def test_close_is_enforced_in_the_calls_time_zone(people):
    # 15 May 2021 23:59 in Auckland is 11:59 UTC that day
    call = make_call(people.icap, opens=dt.datetime(2021, 3, 1), closes=dt.datetime(2021, 5, 15, 23, 59),
                     time_zone="Pacific/Auckland")
    submission = workflows.start_submission(call, email="a@example.org", now=dt.datetime(2021, 5, 15, 11, 0, tzinfo=UTC))
    workflows.save_answers(submission, {"title": "Digital ID", "country": "NZ", "areas": ["E-health"]},
                           now=dt.datetime(2021, 5, 15, 11, 58, tzinfo=UTC))
    with pytest.raises(workflows.WindowClosed) as caught:
        workflows.submit_submission(submission, now=dt.datetime(2021, 5, 15, 11, 59, tzinfo=UTC))
    assert caught.value.errors == {"closes_at": [
        "This call closed on 15 May 2021, 23:59 (Pacific/Auckland); answers can no longer be submitted or changed."]}
    submission.refresh_from_db()
    assert submission.state == SubmissionState.DRAFT
    assert submission.answers == {"title": "Digital ID", "country": "NZ", "areas": ["E-health"]}


def test_after_the_close_nothing_changes(people):
    call = make_call(people.icap, opens=dt.datetime(2021, 3, 1), closes=dt.datetime(2021, 4, 1))
    submission = workflows.start_submission(call, email="a@example.org", now=dt.datetime(2021, 3, 2, tzinfo=UTC))
    with pytest.raises(workflows.WindowClosed):
        workflows.save_answers(submission, {"title": "Late"}, now=dt.datetime(2021, 4, 1, 0, 0, 1, tzinfo=UTC))
    submission.refresh_from_db()
    assert submission.answers == {}
    with pytest.raises(workflows.WindowClosed):
        workflows.start_submission(call, email="b@example.org", now=dt.datetime(2021, 4, 2, tzinfo=UTC))


def test_a_missing_required_answer_is_named_and_the_draft_keeps_what_was_saved(people):
    call = make_call(people.icap)
    submission = workflows.start_submission(call, email="a@example.org")
    with pytest.raises(workflows.AnswerErrors) as caught:
        workflows.save_answers(submission, {"title": "Citizen portal", "country": "XX"}, step=1, require=True)
    assert caught.value.errors == {
        "country": ["Country: Give a country as its two-letter ISO 3166 code (“KE”, “UY”)."],
        "areas": ["Action areas: this answer is required."],
    }
    submission.refresh_from_db()
    assert submission.answers == {"title": "Citizen portal"}
    with pytest.raises(workflows.AnswerErrors) as caught:
        workflows.submit_submission(submission)
    assert caught.value.errors == {"country": ["Country: this answer is required."],
                                   "areas": ["Action areas: this answer is required."]}
    assert Submission.objects.get(pk=submission.pk).state == SubmissionState.DRAFT


def test_answers_are_typed(people):
    call = make_call(people.icap)
    submission = workflows.start_submission(call, email="a@example.org")
    workflows.save_answers(submission, {
        "title": " Tele-consultation ", "country": "uy", "areas": ["E-health", "Information sharing"],
        "started": "2020-04-02", "national": "yes", "level": "Local", "website": "https://salud.example.uy/",
        "contact": {"name": "Ana Pérez", "email": "ana@example.uy"},
    })
    submission.refresh_from_db()
    assert submission.answers == {
        "title": "Tele-consultation", "country": "UY", "areas": ["Information sharing", "E-health"],
        "started": "2020-04-02", "national": True, "level": "Local", "website": "https://salud.example.uy/",
        "contact": {"name": "Ana Pérez", "email": "ana@example.uy"},
    }
    assert (submission.title, submission.country, submission.region) == ("Tele-consultation", "UY", "019")
    assert sorted(submission.areas()) == ["E-health", "Information sharing"]
    with pytest.raises(workflows.AnswerErrors) as caught:
        workflows.save_answers(submission, {"started": "2 April", "website": "javascript:alert(1)", "level": "Federal",
                                            "nope": "x"})
    assert caught.value.errors == {
        "nope": ["This call has no field named “nope”."],
        "started": ["Started on: Give a date as YYYY-MM-DD."],
        "website": ["Website: Enter a web address that starts with http:// or https://."],
        "level": ["Level of government: “Federal” is not one of the options."],
    }


def test_files_are_checked_by_type_size_and_the_scan_hook(people, settings):
    call = make_call(people.icap)
    submission = workflows.start_submission(call, email="a@example.org")
    with pytest.raises(workflows.AnswerErrors) as caught:
        workflows.save_answers(submission, {}, {"report": SimpleUploadedFile("x.pdf", b"<html><script>1</script>")})
    assert caught.value.errors == {"report": [
        "Report: this file is an HTML page; upload a PDF, a Word, Excel or PowerPoint file, or an OpenDocument file."]}
    settings.MAX_UPLOAD_MB = 1
    with pytest.raises(workflows.AnswerErrors) as caught:
        workflows.save_answers(submission, {}, {"report": _pdf(extra=b"0" * (1024 * 1024 + 10))})
    assert caught.value.errors == {"report": ["Report: the file is 1.0 MB; the limit is 1 MB."]}
    settings.CALLS_VIRUS_SCAN = "tests.calls.scanner.scan"
    with pytest.raises(workflows.AnswerErrors) as caught:
        workflows.save_answers(submission, {"title": "Kept"}, {"report": _pdf(extra=b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE")})
    assert caught.value.errors == {"report": ["Report: the EICAR test signature was found."]}
    assert not SubmissionFile.objects.exists()
    assert Submission.objects.get(pk=submission.pk).answers == {"title": "Kept"}
    workflows.save_answers(submission, {}, {"report": _pdf()})
    stored = SubmissionFile.objects.get()
    assert (stored.field, stored.size, stored.file.name.endswith(".pdf")) == ("report", len(PDF), True)


def test_the_scan_hook_can_be_a_command(people, settings):
    call = make_call(people.icap)
    submission = workflows.start_submission(call, email="a@example.org")
    # grep exits 1 when the string is absent (clean) and 0 when present: `!` turns that into the scanner's convention
    settings.CALLS_VIRUS_SCAN = "cmd:sh -c '! grep -q BADBYTES \"$0\"'"
    with pytest.raises(workflows.AnswerErrors) as caught:
        workflows.save_answers(submission, {}, {"report": _pdf(extra=b"BADBYTES")})
    assert caught.value.errors == {"report": ["Report: the virus scan found a threat in this file."]}
    workflows.save_answers(submission, {}, {"report": _pdf()})
    assert SubmissionFile.objects.count() == 1


def test_submit_sends_a_receipt_with_the_answers(people, smtp, django_capture_on_commit_callbacks):
    call = make_call(people.icap, title="Compendium 2020")
    submission = _complete(call)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.submit_submission(submission, now=dt.datetime(2026, 5, 1, 9, 30, tzinfo=UTC))
    submission.refresh_from_db()
    assert (submission.state, submission.year) == (SubmissionState.SUBMITTED, 2026)
    assert [m[0] for m in smtp.messages] == [["focal@example.org"]]
    message = smtp.messages[0][1]
    assert message["Subject"].strip() == "Received: your answers to “Compendium 2020”"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Name of the initiative: Open budget portal\n" in text
    assert "Country: Kenya\n" in text
    assert "Action areas: E-health\n" in text
    assert list(submission.audit_entries.values_list("action", "from_state", "to_state")) == [
        (SubmissionAction.CREATE, "", "draft"), (SubmissionAction.SAVE, "draft", "draft"),
        (SubmissionAction.SUBMIT, "draft", "submitted")]


def test_eligibility_stops_with_the_reason(people):
    call = make_call(people.icap, eligibility=[workflows.QuestionSpec(
        "government", "Is the initiative run by a public authority?", True,
        "The compendium collects initiatives of public authorities only.")])
    submission = _complete(call)
    with pytest.raises(workflows.NotEligible) as caught:
        workflows.answer_eligibility(submission, {"government": "no"})
    assert caught.value.errors == {"government": ["The compendium collects initiatives of public authorities only."]}
    with pytest.raises(workflows.NotEligible):
        workflows.submit_submission(submission)
    workflows.answer_eligibility(submission, {"government": "yes"})
    assert workflows.submit_submission(submission).state == SubmissionState.SUBMITTED


def test_who_may_answer(people):
    invited = make_call(people.icap, audience="invited", invitations=["focal@gov.example"])
    with pytest.raises(PermissionDenied):
        workflows.start_submission(invited, email="someone@example.org")
    assert workflows.start_submission(invited, email="FOCAL@gov.example".lower()).email == "focal@gov.example"
    members = make_call(people.icap, audience="members")
    with pytest.raises(PermissionDenied):
        workflows.start_submission(members, user=people.outsider)
    assert workflows.start_submission(members, user=people.eropa_contributor).user == people.eropa_contributor


def test_starting_again_returns_the_same_draft(people):
    call = make_call(people.icap)
    first = workflows.start_submission(call, email="a@example.org")
    assert workflows.start_submission(call, email="a@example.org").pk == first.pk


def test_signed_links_expire_and_belong_to_one_call(people, settings):
    call, other = make_call(people.icap), make_call(people.icap, title="Other")
    token = tokens.make_token(call, "a@example.org")
    assert tokens.read_token(token, call) == {"c": call.pk, "e": "a@example.org", "s": None}
    assert tokens.read_token(token, other) is None
    assert tokens.read_token(token[:-2] + "xx", call) is None
    settings.CALLS_LINK_DAYS = 0  # a link older than zero seconds has expired
    time.sleep(1.1)
    assert tokens.read_token(token, call) is None


def test_every_draft_save_is_audited_with_the_step_and_the_answers_it_changed(people):
    call = make_call(people.icap)
    submission = workflows.start_submission(call, user=people.icap_contributor)
    workflows.save_answers(submission, {"title": "Open budget portal", "country": "KE"}, actor=people.icap_contributor, step=1)
    workflows.save_answers(submission, {"title": "Open budget portal", "country": "KE"}, actor=people.icap_contributor, step=1)
    with pytest.raises(workflows.AnswerErrors):  # the valid answer is kept and audited, the refused one named
        workflows.save_answers(submission, {"title": "Open budget portal 2", "country": "XX"}, step=1)
    workflows.save_answers(submission, {"report": None}, {"report": _pdf()}, step=2)
    workflows.save_answers(submission, {"areas": ["E-health"], "title": ""})
    rows = list(submission.audit_entries.filter(action=SubmissionAction.SAVE)
                .values_list("from_state", "to_state", "actor__username", "note"))
    assert rows == [
        ("draft", "draft", "ana", "step 1: country, title"),
        ("draft", "draft", "ana", "step 1: no answer changed"),
        ("draft", "draft", None, "step 1: title"),
        ("draft", "draft", None, "step 2: report"),
        ("draft", "draft", None, "all steps: areas, title"),
    ]
    assert "Open budget" not in " ".join(n for *_x, n in rows)  # names of answers, never their values


def test_a_refused_save_of_a_sent_submission_writes_no_audit_row(people):
    call = make_call(people.icap)
    submission = _complete(call)
    workflows.submit_submission(submission)
    before = submission.audit_entries.count()
    with pytest.raises(workflows.WorkflowError):
        workflows.save_answers(submission, {"title": "Changed after sending"})
    assert submission.audit_entries.count() == before
