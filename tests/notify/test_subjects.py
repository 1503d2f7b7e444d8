"""Subjects and plain-text bodies are plain text: they reach a real SMTP server without HTML entities."""

from partnerpost.content import workflows
from tests.factories import make_item, make_partner, make_user


def test_submission_subject_keeps_apostrophes_and_ampersands(people, smtp, django_capture_on_commit_callbacks):
    respa = make_partner("ReSPA", "Regional School of Public Administration")
    author = make_user("rita", partner=respa)
    item = make_item(respa, title="ReSPA's Redesigned Website & <Portal>")
    with django_capture_on_commit_callbacks(execute=True):
        workflows.submit_item(author, item)
    assert [(to, msg["Subject"]) for to, msg in smtp.messages] == [
        (["editor@example.org"], "[ReSPA] For review: ReSPA's Redesigned Website & <Portal>"),
    ]
    headers = smtp.raw[0].decode().replace("\r\n", "\n").split("\n\n", 1)[0]
    assert "Subject: [ReSPA] For review: ReSPA's Redesigned Website & <Portal>" in headers.splitlines()
    text = smtp.messages[0][1].get_body(("plain",)).get_content()
    assert "ReSPA's Redesigned Website & <Portal>" in text
    html = smtp.messages[0][1].get_body(("html",)).get_content()
    assert "ReSPA&#x27;s Redesigned Website &amp; &lt;Portal&gt;" in html  # the HTML part stays escaped


def test_decision_subject_keeps_apostrophes(people, smtp, django_capture_on_commit_callbacks):
    item = make_item(people.icap, title="Women's Leadership & Governance")
    workflows.submit_item(people.icap_contributor, item)
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflows.approve_item(people.editor, item)
    assert sorted((to[0], msg["Subject"]) for to, msg in smtp.messages) == [
        ("ana@example.org", "Approved: Women's Leadership & Governance"),
        ("pablo@example.org", "Approved: Women's Leadership & Governance"),
    ]
