import pytest

from partnerpost.registration.models import Registration, RegistrationSettings
from tests.registration.conftest import make_event, open_registration

pytestmark = pytest.mark.django_db


def test_event_page_shows_form_and_registering_confirms(client, event):
    page = client.get(event.get_absolute_url())
    assert b'action="/events/%s/register/"' % event.slug.encode() in page.content
    assert b"50 places left." in page.content
    response = client.post(f"/events/{event.slug}/register/", {"name": "Ana Mora", "email": "ana@example.org",
                                                               "organization": "ICAP", "country": "CR"})
    assert response.status_code == 200
    assert b"You are registered" in response.content
    assert Registration.objects.get().country == "CR"


def test_form_refusal_shows_the_reason_and_writes_nothing(client, event):
    client.post(f"/events/{event.slug}/register/", {"name": "Ana", "email": "ana@example.org", "organization": "ICAP"})
    again = client.post(f"/events/{event.slug}/register/", {"name": "Ana", "email": "ana@example.org", "organization": "ICAP"})
    assert again.status_code == 400
    assert b"This email address is already registered for this event." in again.content
    missing = client.post(f"/events/{event.slug}/register/", {"name": "Bo", "email": "bo@example.org"})
    assert b"This field is required." in missing.content
    assert Registration.objects.count() == 1


def test_event_without_registration_has_no_form(client, people):
    item = make_event(people.icap)
    assert b"registration-box" not in client.get(item.get_absolute_url()).content
    assert client.post(f"/events/{item.slug}/register/", {"name": "A", "email": "a@example.org"}).status_code == 404


@pytest.mark.parametrize("who, code", [("icap_contributor", 200), ("icap_partner_editor", 200), ("editor", 200),
                                       ("eropa_contributor", 403), ("outsider", 403)])
def test_settings_page_permissions(client, people, who, code):
    item = make_event(people.icap)
    client.force_login(getattr(people, who))
    assert client.get(f"/workspace/events/{item.pk}/registration/").status_code == code
    response = client.post(f"/workspace/events/{item.pk}/registration/", {
        "enabled": "on", "capacity": "30", "waiting_list": "on", "ask_organization": "required", "ask_country": "optional",
        "ask_position": "off", "payment_days": "14", "offer_hours": "6", "attendance_share": "75",
        "questions_text": "diet | Dietary needs | choice | none, vegetarian | required"})
    assert response.status_code == (302 if code == 200 else 403)
    if code == 200:
        config = RegistrationSettings.objects.get(item=item)
        assert (config.capacity, config.questions) == (30, [{"key": "diet", "label": "Dietary needs", "type": "choice",
                                                              "choices": ["none", "vegetarian"], "required": True}])
    else:
        assert not RegistrationSettings.objects.exists()


def test_settings_page_bad_question_line_names_it(client, people):
    item = make_event(people.icap)
    client.force_login(people.icap_contributor)
    response = client.post(f"/workspace/events/{item.pk}/registration/", {
        "enabled": "on", "ask_organization": "required", "ask_country": "optional", "ask_position": "off",
        "payment_days": "14", "offer_hours": "6", "attendance_share": "75", "questions_text": "diet | Diet\njust one part"})
    assert response.status_code == 200
    assert b"Line 2: write key | label | type | choices | required." in response.content
    assert not RegistrationSettings.objects.exists()


def test_settings_page_anonymous_goes_to_sign_in(client, people):
    item = make_event(people.icap)
    assert client.get(f"/workspace/events/{item.pk}/registration/").status_code == 302
    open_registration(item)


def test_form_rate_limit(client, event, settings):
    settings.REGISTRATION_RATE = 1
    client.post(f"/events/{event.slug}/register/", {"name": "Ana", "email": "ana@example.org", "organization": "ICAP"})
    second = client.post(f"/events/{event.slug}/register/", {"name": "Bo", "email": "bo@example.org", "organization": "ICAP"})
    assert second.status_code == 400
    assert b"Too many registrations from this address. Please try again later." in second.content
    assert list(Registration.objects.values_list("email", flat=True)) == ["ana@example.org"]
