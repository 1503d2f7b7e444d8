import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partnerpost.registration import workflows
from partnerpost.registration.enums import Action, Refusal, Status
from partnerpost.registration.models import Registration, RegistrationAudit, RegistrationSettings
from tests.registration.conftest import make_event, open_registration

pytestmark = pytest.mark.django_db


def _register(item, n, **kwargs):
    values = {"name": f"Person {n}", "email": f"p{n}@example.org", "answers": {"organization": "Ministry of Finance"}}
    values.update(kwargs)
    return workflows.register(item, **values)


def test_register_confirms_until_full_then_waitlists(people):
    item = make_event(people.icap)
    open_registration(item, capacity=2)
    statuses = [_register(item, n).status for n in range(4)]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert workflows.summary(item) == {"open": True, "capacity": 2, "waiting_list": True, "confirmed": 2, "waitlisted": 2}
    assert list(RegistrationAudit.objects.filter(action=Action.REGISTER).values_list("to_status", flat=True)) == statuses


def test_register_refuses_when_full_without_waiting_list_and_writes_nothing(people):
    item = make_event(people.icap)
    open_registration(item, capacity=1, waiting_list=False)
    _register(item, 1)
    with pytest.raises(workflows.Refused) as refused:
        _register(item, 2)
    assert refused.value.code == Refusal.FULL
    assert refused.value.errors == {"registration": ["This event is full and keeps no waiting list."]}
    assert Registration.objects.count() == 1
    assert RegistrationAudit.objects.count() == 1


def test_register_refuses_duplicate_email_in_any_case(event):
    _register(event, 1, email="Same@Example.org")
    with pytest.raises(workflows.Refused) as refused:
        _register(event, 2, email="same@example.ORG")
    assert refused.value.code == Refusal.DUPLICATE
    assert list(refused.value.errors) == ["email"]
    assert Registration.objects.count() == 1


def test_register_after_a_cancellation_is_allowed(event):
    first = _register(event, 1)
    workflows.cancel_registration(first)
    assert _register(event, 1).status == Status.CONFIRMED
    assert Registration.objects.filter(email="p1@example.org").count() == 2


def test_register_refuses_missing_and_unknown_answers(people):
    item = make_event(people.icap)
    open_registration(item, questions=[{"key": "diet", "label": "Diet", "type": "choice", "choices": ["none", "vegan"],
                                        "required": True}])
    with pytest.raises(workflows.Refused) as refused:
        workflows.register(item, name=" ", email="not-an-address", answers={"colour": "red", "diet": "meat"})
    assert refused.value.code == Refusal.INVALID
    assert refused.value.errors == {
        "name": ["Give your name."], "email": ["Give a valid email address."],
        "answers.colour": ["This event asks no such question."],
        "answers.organization": ["This answer is required."],
        "answers.diet": ["Choose one of: none, vegan."],
    }
    assert Registration.objects.count() == 0


def test_register_keeps_custom_answers_and_standard_ones_apart(people):
    item = make_event(people.icap)
    open_registration(item, questions=[{"key": "diet", "label": "Diet", "type": "text", "required": False},
                                       {"key": "speaker", "label": "Speaker?", "type": "yes_no", "required": True}])
    reg = workflows.register(item, name="Ana  Mora", email="ana@example.org",
                             answers={"organization": "ICAP", "country": "cr", "diet": " vegan ", "speaker": False})
    reg.refresh_from_db()
    assert (reg.name, reg.organization, reg.country, reg.answers) == ("Ana Mora", "ICAP", "CR", {"diet": "vegan", "speaker": False})


def test_register_refuses_after_close_defaulting_to_enrolment_deadline(people):
    item = make_event(people.icap, enrolment_deadline=timezone.now().date() + dt.timedelta(days=3))
    config = open_registration(item)
    assert config.effective_close() == dt.datetime.combine(item.enrolment_deadline + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    later = timezone.now() + dt.timedelta(days=5)
    with pytest.raises(workflows.Refused) as refused:
        workflows.register(item, name="Late", email="late@example.org", answers={"organization": "X"}, now=later)
    assert refused.value.code == Refusal.CLOSED
    assert _register(item, 1).status == Status.CONFIRMED  # before the deadline it is open


def test_register_refuses_before_opening_and_for_cancelled_event(people):
    item = make_event(people.icap)
    open_registration(item, opens_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(workflows.Refused) as refused:
        _register(item, 1)
    assert refused.value.code == Refusal.CLOSED
    cancelled = make_event(people.icap, event_status="cancelled")
    open_registration(cancelled)
    with pytest.raises(workflows.Refused) as refused:
        _register(cancelled, 1)
    assert refused.value.code == Refusal.CANCELLED_EVENT
    assert Registration.objects.count() == 0


def test_register_with_approval_is_pending_until_approved(people):
    item = make_event(people.icap)
    open_registration(item, requires_approval=True, capacity=1)
    first, second = _register(item, 1), _register(item, 2)
    assert (first.status, second.status) == ("pending_approval", "pending_approval")
    with pytest.raises(PermissionDenied):
        workflows.approve_registration(people.eropa_contributor, first)
    assert workflows.approve_registration(people.icap_contributor, first).status == Status.CONFIRMED
    assert workflows.approve_registration(people.editor, second).status == Status.WAITLISTED


def test_fee_early_bird_and_waivers(people):
    item = make_event(people.icap)
    today = timezone.now().date()
    open_registration(item, fee_amount=Decimal("50"), fee_currency="USD", early_fee_amount=Decimal("35"),
                      early_until=today + dt.timedelta(days=2), waived_organizations="UN DESA\nICAP",
                      waived_countries="PA, GT", ask_country="optional")
    early = _register(item, 1)
    waived_org = _register(item, 2, answers={"organization": "icap"})
    waived_country = _register(item, 3, answers={"organization": "Ministry", "country": "PA"})
    late = workflows.register(item, name="Late", email="late@example.org", answers={"organization": "Ministry"},
                              now=timezone.now() + dt.timedelta(days=3))
    assert [r.fee_amount for r in (early, waived_org, waived_country, late)] == [
        Decimal("35"), Decimal("0.00"), Decimal("0.00"), Decimal("50")]
    assert late.fee_currency == "USD"


def test_cancel_promotes_first_waiting_in_registration_order(people):
    item = make_event(people.icap)
    open_registration(item, capacity=1)
    first = _register(item, 1)
    waiting = [_register(item, n) for n in (2, 3)]
    outcome = workflows.cancel_registration(first)
    assert [r.pk for r in outcome.promoted] == [waiting[0].pk]
    assert list(Registration.objects.order_by("pk").values_list("status", flat=True)) == ["cancelled", "confirmed", "waitlisted"]


def test_release_in_last_day_offers_and_lapse_passes_it_on(people):
    item = make_event(people.icap, days_ahead=1, start_time=dt.time(12, 0), time_zone="UTC")
    open_registration(item, capacity=1, offer_hours=3)
    start = dt.datetime.combine(item.start_date, dt.time(12, 0), tzinfo=dt.UTC)
    now = start - dt.timedelta(hours=20)
    first = workflows.register(item, name="A", email="a@example.org", answers={"organization": "X"}, now=now - dt.timedelta(days=1))
    second = workflows.register(item, name="B", email="b@example.org", answers={"organization": "X"}, now=now - dt.timedelta(hours=30))
    third = workflows.register(item, name="C", email="c@example.org", answers={"organization": "X"}, now=now - dt.timedelta(hours=29))
    workflows.cancel_registration(first, now=now)
    second.refresh_from_db()
    assert (second.status, second.offer_expires_at) == (Status.OFFERED, now + dt.timedelta(hours=3))
    assert workflows.lapse_offers(now + dt.timedelta(hours=2)) == 0
    assert workflows.lapse_offers(now + dt.timedelta(hours=3)) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (Status.CANCELLED, Status.OFFERED)
    assert workflows.accept_offer(third, now=now + dt.timedelta(hours=4)).status == Status.CONFIRMED


def test_save_settings_permission_and_validation(people):
    item = make_event(people.icap)
    for outsider in (people.eropa_contributor, people.outsider):
        with pytest.raises(PermissionDenied):
            workflows.save_settings(outsider, item, {"capacity": 10})
    with pytest.raises(ValidationError) as invalid:
        workflows.save_settings(people.icap_contributor, item, {
            "fee_amount": Decimal("50"), "fee_currency": "dollars", "early_fee_amount": Decimal("40"),
            "waived_countries": "CR XX", "questions": [{"key": "Bad Key", "label": "x"}]})
    assert invalid.value.message_dict == {
        "questions": ["Question 1: the key must be unique, lower-case letters, digits and _ (e.g. diet)."],
        "fee_currency": ["Give the fee's currency as a three-letter code, e.g. USD."],
        "early_until": ["Say until which day the early-bird price holds."],
        "waived_countries": ["Not ISO 3166 country codes: XX."],
    }
    assert not RegistrationSettings.objects.exists()
    saved = workflows.save_settings(people.icap_contributor, item, {"capacity": 10, "fee_amount": Decimal("50"), "fee_currency": "usd"})
    assert (saved.capacity, saved.fee_currency) == (10, "USD")
    assert RegistrationAudit.objects.get().action == Action.SETTINGS
