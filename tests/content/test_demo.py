import datetime as dt
from decimal import Decimal

from django.core.management import call_command

from partnerpost.content import demo
from partnerpost.content.models import AuditEntry, Item
from partnerpost.network.models import Partner, User
from partnerpost.registration import demo as registration_demo


def test_demo_load_is_complete_and_safe_to_repeat(db, capsys):
    call_command("demo", "load")
    first = capsys.readouterr().out
    assert f"{len(demo.ITEMS)} items created" in first
    assert "editor   secretariat editor" in first and "partnerpost-demo" in first
    counts = (Partner.objects.count(), User.objects.count(), Item.objects.count(), AuditEntry.objects.count())
    call_command("demo", "load")
    assert "0 partners, 0 users, 0 items created" in capsys.readouterr().out
    assert (Partner.objects.count(), User.objects.count(), Item.objects.count(), AuditEntry.objects.count()) == counts
    # Beside the newsletter's items: one future event of the registration demo (see registration/demo.py),
    # the three call items of the calls demo (partnerpost.calls.demo), then the review demo's Western Balkans
    # call, its two award items of winners and the NISPAcee conference (calls.review_demo).
    assert Item.objects.published().exclude(title=registration_demo.FUTURE_TITLE).count() == len(demo.ITEMS) + 3 + 4


def test_demo_items_hold_the_sample_facts_as_fields(db):
    demo.load(log=lambda *_: None)
    workshop = Item.objects.get(title="Taller virtual Prospectiva e innovación en la gestión territorial")
    assert (workshop.language, workshop.fee_amount, workshop.fee_currency, workshop.session_count, workshop.total_hours) == (
        "es", Decimal("50.00"), "USD", 4, Decimal("6.0"))
    assert workshop.enrolment_deadline == dt.date(2020, 11, 13)
    assert [p.name for p in workshop.people.filter(role="facilitator")] == ["Alain Jordá", "Alfredo Acosta Fonseca"]
    training = Item.objects.get(title__startswith="Online Training Workshop")
    assert list(training.days.values_list("date", flat=True)) == [dt.date(2020, 11, 3), dt.date(2020, 11, 5)]
    assert [(o.role, o.display_name) for o in training.organizations.all()][-1] == ("supporter", "UNCDF Malaysia")
    ceremony = Item.objects.get(title="XLVI ICAP graduation ceremony")
    assert ceremony.starts_at == dt.datetime(2020, 10, 30, 22, 0, tzinfo=dt.UTC)
    conference = Item.objects.get(title="The 29th NISPAcee Annual Conference 2021")
    assert (conference.city, conference.venue_country_id, conference.start_date, conference.end_date) == (
        "Ljubljana", "SI", dt.date(2021, 5, 20), dt.date(2021, 5, 22))
    awards = Item.objects.get(title="Western Balkans Public Administration Award Ceremony")
    assert [c.name for c in awards.award_categories.all()] == ["Digital Government", "eEconomy", "eLearning", "eHealth and Social Innovation"]
    series = Item.objects.get(title="Technological and Science-based Solutions to the COVID-19 Challenge").series
    assert series.name == "Global Policy Dialogue Series"
    assert set(Item.objects.values_list("partner__acronym", flat=True)) == {
        "UN DESA", "UNPOG", "ICAP", "EROPA", "NISPAcee", "ReSPA", "KIPA", "NIA"}
