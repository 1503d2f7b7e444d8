"""An organizer's message to an event's registrants, sent by the newsletter's delivery engine
(mailing.workflows.send_to_registrants, Delivery rows with a Broadcast, the worker)."""

import pytest

from partnerpost.mailing.models import Broadcast, Delivery
from partnerpost.mailing.verp import sender_for
from partnerpost.mailing.worker import Worker
from partnerpost.registration import workflows
from partnerpost.registration.enums import Action
from partnerpost.registration.models import Registration, RegistrationAudit
from tests.registration.conftest import make_event, open_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(people):
    item = make_event(people.icap)
    open_registration(item, capacity=2)
    for n, name in enumerate(["Ana Mora", "Bo Li", "Cy Dee", "Di Fox", "Ed Roe"]):
        workflows.register(item, name=name, email=f"p{n}@example.org", answers={"organization": "ICAP"})
    # p0, p1 confirmed; p2, p3, p4 waiting; p4 cancels
    workflows.cancel_registration(Registration.objects.get(email="p4@example.org"))
    return item


def url(item):
    return f"/workspace/events/{item.pk}/registrations/messages/"


def run_worker():
    Worker(connections=1).run(until_idle=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("audience, expected", [
    ("waiting", ["p2@example.org", "p3@example.org"]),
    ("all", ["p0@example.org", "p1@example.org", "p2@example.org", "p3@example.org"]),
])
def test_message_reaches_exactly_the_audience_once_through_the_worker(client, people, crowd, smtp, audience, expected):
    client.force_login(people.icap_contributor)
    smtp.messages.clear()
    response = client.post(url(crowd), {"audience": audience, "subject": "Room change & news", "message": "We moved to room 4.\nSee you."})
    assert response.status_code == 302 and response["Location"] == f"/workspace/events/{crowd.pk}/registrations/"
    assert smtp.messages == []  # queued, not sent by the request
    assert sorted(Delivery.objects.filter(broadcast__item=crowd).values_list("registration__email", flat=True)) == expected
    assert set(Delivery.objects.values_list("email", flat=True)) == {""}  # no copy of the address in the outbox
    run_worker()
    run_worker()  # nothing is sent twice
    assert sorted(r[0] for r, _ in smtp.messages) == expected
    message = smtp.messages[0][1]
    assert message["Subject"] == "Room change & news"
    assert "We moved to room 4.\r\nSee you." in message.get_body(("plain",)).get_content()
    # the envelope sender names the delivery (VERP), as for editions
    assert sorted(smtp.senders) == sorted(sender_for(pk) for pk in Delivery.objects.values_list("pk", flat=True))
    assert set(Delivery.objects.filter(broadcast__item=crowd).values_list("status", flat=True)) == {"sent"}
    audit = RegistrationAudit.objects.filter(action=Action.EMAIL).get()
    assert audit.note == f"{audience}: {len(expected)} · Room change & news" and audit.actor == people.icap_contributor
    broadcast = Broadcast.objects.get()
    assert (broadcast.created_by, broadcast.audience, broadcast.subject) == (people.icap_contributor, audience, "Room change & news")
    fragment = client.get(url(crowd), HTTP_HX_REQUEST="true").content.decode()
    assert f'<td data-count="sent">{len(expected)}</td><td data-count="waiting">0</td><td data-count="failed">0</td>' in fragment


@pytest.mark.django_db(transaction=True)
def test_counts_show_waiting_then_failed_and_a_registrant_who_cancels_meanwhile_is_skipped(client, people, crowd, smtp):
    client.force_login(people.editor)
    client.post(url(crowd), {"audience": "waiting", "subject": "News", "message": "Hello"})
    page = client.get(url(crowd)).content.decode()
    assert '<td data-count="sent">0</td><td data-count="waiting">2</td><td data-count="failed">0</td><td data-count="skipped">0</td>' in page
    workflows.cancel_registration(Registration.objects.get(email="p3@example.org"))
    smtp.rcpt_script["p2@example.org"] = ["550 5.1.1 no such mailbox"]
    smtp.messages.clear()
    run_worker()
    assert smtp.messages == []
    assert dict(Delivery.objects.values_list("registration__email", "status")) == {"p2@example.org": "failed", "p3@example.org": "skipped"}
    page = client.get(url(crowd)).content.decode()
    assert '<td data-count="sent">0</td><td data-count="waiting">0</td><td data-count="failed">1</td><td data-count="skipped">1</td>' in page


@pytest.mark.parametrize("who", ["eropa_contributor", "outsider"])
def test_other_partners_and_outsiders_are_refused(client, people, crowd, who):
    client.force_login(getattr(people, who))
    assert client.post(url(crowd), {"audience": "all", "subject": "Hi", "message": "Hello"}).status_code == 403
    assert client.get(url(crowd)).status_code == 403
    assert not Broadcast.objects.exists() and not Delivery.objects.exists()
    assert not RegistrationAudit.objects.filter(action=Action.EMAIL).exists()


def test_anonymous_is_sent_to_sign_in(client, crowd):
    response = client.post(url(crowd), {"audience": "all", "subject": "Hi", "message": "Hello"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Delivery.objects.exists()


def test_missing_subject_or_unknown_audience_sends_nothing(client, people, crowd):
    client.force_login(people.icap_contributor)
    response = client.post(url(crowd), {"audience": "all", "subject": "", "message": "x"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(url(crowd), {"audience": "everyone", "subject": "Hi", "message": "x"})
    assert response.status_code == 400 and "Select a valid choice." in response.content.decode()
    assert not Broadcast.objects.exists() and not Delivery.objects.exists()
    assert not RegistrationAudit.objects.filter(action=Action.EMAIL).exists()


def test_desk_loads_the_messages_panel(client, people, crowd):
    client.force_login(people.icap_contributor)
    page = client.get(f"/workspace/events/{crowd.pk}/registrations/").content.decode()
    assert f'hx-get="{url(crowd)}"' in page
