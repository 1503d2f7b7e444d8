import datetime as dt
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from partnerpost.content.models import Item
from partnerpost.registration import demo, workflows
from partnerpost.registration.models import Certificate, Invoice, Registration


def test_demo_registrations_are_complete_and_safe_to_repeat(db, capsys, client):
    call_command("demo", "load")
    out = capsys.readouterr().out
    assert "Demo registrations: 4 events set up, 27 registrations, 4 certificates (27 registrations in all)." in out
    workshop = Item.objects.get(title="Taller virtual Prospectiva e innovación en la gestión territorial")
    assert workflows.status_counts(workshop)["confirmed"] == 6
    invoices = Invoice.objects.filter(registration__item=workshop).order_by("number")
    assert [(i.number, i.amount, i.paid_at is not None) for i in invoices] == [
        ("ICAP-2020-0001", Decimal("40.00"), True), ("ICAP-2020-0002", Decimal("40.00"), True),
        ("ICAP-2020-0003", Decimal("40.00"), True), ("ICAP-2020-0004", Decimal("50.00"), False),
        ("ICAP-2020-0005", Decimal("50.00"), False)]  # the fourth registrant (UN DESA) pays nothing: no invoice
    training = Item.objects.get(title__startswith="Online Training Workshop on “Government Innovation")
    assert workflows.summary(training) == {"open": False, "capacity": 6, "waiting_list": True, "confirmed": 6, "waitlisted": 1}
    assert Certificate.objects.count() == 4
    future = Item.objects.get(title=demo.FUTURE_TITLE)
    assert future.start_date > timezone.now().date() + dt.timedelta(days=30)
    assert client.get(f"/api/v1/events/{future.slug}/registration").json() == {
        "open": True, "capacity": 25, "waiting_list": True, "confirmed": 8, "waitlisted": 0}
    assert [e["title"] for e in client.get("/api/v1/events?registration=open").json()["results"]] == [demo.FUTURE_TITLE]
    count = Registration.objects.count()
    call_command("demo", "load")
    assert "Demo registrations: 0 events set up, 0 registrations, 0 certificates" in capsys.readouterr().out
    assert Registration.objects.count() == count
