import datetime as dt
import re

import pytest

from partnerpost.calls import workflows
from partnerpost.calls.enums import SubmissionState
from partnerpost.calls.models import Submission
from tests.factories import make_call

pytestmark = pytest.mark.django_db


def _link_from(smtp):
    text = smtp.messages[-1][1].get_body(("plain",)).get_content()
    return re.search(r"http://[^\s]+/link/[^\s]+/", text).group(0).replace("http://127.0.0.1:8000", "")


def test_answer_in_steps_with_an_emailed_link(client, people, smtp, django_capture_on_commit_callbacks):
    call = make_call(people.icap, title="Compendium")
    response = client.post(f"/calls/{call.slug}/", {"email": "focal@gov.example"})
    assert "If this address may answer the call, a link is on its way to it." in response.content.decode()
    link = _link_from(smtp)
    assert client.get(link).url == f"/calls/{call.slug}/answer/"
    assert client.get(f"/calls/{call.slug}/answer/").url == f"/calls/{call.slug}/answer/step-1/"
    # step 1: a missing required answer is named, the others are kept
    response = client.post(f"/calls/{call.slug}/answer/step-1/", {"title": "Open data portal", "continue": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Country: this answer is required." in page and "Action areas: this answer is required." in page
    submission = Submission.objects.get(call=call)
    assert submission.answers == {"title": "Open data portal"}
    response = client.post(f"/calls/{call.slug}/answer/step-1/",
                           {"title": "Open data portal", "country": "GH", "areas": ["E-participation"], "continue": "1"})
    assert response.url == f"/calls/{call.slug}/answer/step-2/"
    response = client.post(f"/calls/{call.slug}/answer/step-2/", {"description": "Budgets online.", "contact__name": "Kofi",
                                                                   "contact__email": "kofi@gov.example", "save": "1"})
    assert response.url == f"/calls/{call.slug}/answer/step-2/"
    # a new visitor (no session) sees nothing of it; the emailed link brings its holder back
    client.cookies.clear()
    assert client.get(f"/calls/{call.slug}/answer/step-2/").status_code == 403
    client.get(link)
    assert client.get(f"/calls/{call.slug}/answer/").url == f"/calls/{call.slug}/answer/review/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/calls/{call.slug}/answer/review/")
    assert response.url == f"/calls/{call.slug}/answer/sent/"
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED
    assert submission.answers["contact"] == {"name": "Kofi", "email": "kofi@gov.example"}
    assert smtp.messages[-1][1]["Subject"].strip() == "Received: your answers to “Compendium”"


def test_the_link_form_says_the_same_for_addresses_that_may_not_answer(client, people, smtp):
    call = make_call(people.icap, audience="invited", invitations=["focal@gov.example"])
    one = client.post(f"/calls/{call.slug}/", {"email": "stranger@example.org"}).content.decode()
    assert "If this address may answer the call, a link is on its way to it." in one
    assert smtp.messages == []


def test_a_bad_or_expired_link_is_refused(client, people):
    call = make_call(people.icap)
    response = client.get(f"/calls/{call.slug}/link/forged-token/", follow=True)
    assert "This link is not valid or has expired. Ask for a new one below." in response.content.decode()


def test_a_closed_call_takes_no_new_answers(client, people):
    call = make_call(people.icap, opens=dt.datetime(2020, 4, 1), closes=dt.datetime(2020, 5, 10))
    client.force_login(people.outsider)
    response = client.get(f"/calls/{call.slug}/answer/", follow=True)
    assert "This call closed on 10 May 2020, 00:00 (UTC); answers can no longer be submitted or changed." in response.content.decode()
    assert not Submission.objects.exists()


def test_members_calls_ask_for_sign_in(client, people):
    call = make_call(people.icap, audience="members")
    assert client.get(f"/calls/{call.slug}/answer/").url.startswith("/accounts/login/")
    client.force_login(people.eropa_contributor)
    assert client.get(f"/calls/{call.slug}/answer/").url == f"/calls/{call.slug}/answer/step-1/"
    assert Submission.objects.get().user == people.eropa_contributor


def test_an_unpublished_calls_pages_are_hidden(client, people):
    call = make_call(people.icap, state="draft")
    assert client.get(f"/calls/{call.slug}/").status_code == 404


def test_the_call_items_page_links_to_its_form(client, people):
    call = make_call(people.icap, title="Compendium call", is_catalogue=True)
    page = client.get(call.item.get_absolute_url()).content.decode()
    assert f'<a href="/calls/{call.slug}/">Answer online</a>' in page
    assert f'<a href="/calls/{call.slug}/catalogue/">Catalogue of accepted entries</a>' in page
