"""Fees without a gateway: numbered invoices as PDF, marking paid one by one or by CSV, releasing the unpaid."""

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnerpost.registration import payments, workflows
from partnerpost.registration.documents import invoice_pdf
from partnerpost.registration.models import Invoice, Registration
from tests.registration.conftest import make_event, open_registration

pytestmark = pytest.mark.django_db
BANK = "Banco Nacional de Costa Rica\nIBAN CR05 0152 0200 1026 2840 66\nSWIFT BNCRCRSJ"


@pytest.fixture
def paid_event(people):
    item = make_event(people.icap, title="Virtual workshop on public budgeting")
    open_registration(item, capacity=2, fee_amount=Decimal("50.00"), fee_currency="USD", bank_details=BANK, payment_days=10,
                      waived_organizations="UN DESA")
    return item


def _reg(item, n, org="Ministry"):
    return workflows.register(item, name=f"Person {n}", email=f"p{n}@example.org", answers={"organization": org})


def test_invoices_are_numbered_per_partner_and_year_only_for_fees_and_seats(paid_event):
    year = timezone.now().year
    first, free, second, waiting = _reg(paid_event, 1), _reg(paid_event, 2, "UN DESA"), None, None
    assert Invoice.objects.get(registration=first).number == f"ICAP-{year}-0001"
    assert not Invoice.objects.filter(registration=free).exists()  # waived: nothing to pay
    second = _reg(paid_event, 3)
    assert second.status == "waitlisted" and not Invoice.objects.filter(registration=second).exists()
    workflows.cancel_registration(free)
    invoice = Invoice.objects.get(registration=second)
    assert (invoice.number, invoice.amount, invoice.currency, invoice.bank_details) == (f"ICAP-{year}-0002", Decimal("50.00"), "USD", BANK)
    assert invoice.due_on == (invoice.issued_at + dt.timedelta(days=10)).date()


def test_invoice_pdf_names_number_amount_and_bank_details(paid_event, tmp_path):
    invoice = Invoice.objects.get(registration=_reg(paid_event, 1))
    path = tmp_path / "invoice.pdf"
    path.write_bytes(invoice_pdf(invoice))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for fragment in (f"Invoice {invoice.number}", "50.00 USD", "Person 1", "IBAN CR05 0152 0200 1026 2840 66",
                     "Registration fee: Virtual workshop on public budgeting", "quoting invoice " + invoice.number):
        assert fragment in text


def test_mark_paid_checks_amount_and_permission(people, paid_event):
    invoice = Invoice.objects.get(registration=_reg(paid_event, 1))
    with pytest.raises(PermissionDenied):
        workflows.mark_invoice_paid(people.eropa_contributor, invoice, amount="50")
    with pytest.raises(ValidationError) as wrong:
        workflows.mark_invoice_paid(people.icap_contributor, invoice, amount="45")
    assert wrong.value.message_dict == {"amount": [f"Invoice {invoice.number} is for 50.00 USD, not 45."]}
    paid = payments.provider().confirm(people.icap_contributor, invoice, amount=Decimal("50"), reference="TRX-1")
    assert paid.paid_at is not None and paid.payment_reference == "TRX-1"
    with pytest.raises(ValidationError):
        workflows.mark_invoice_paid(people.icap_contributor, invoice, amount="50")


def test_payments_csv_with_bad_lines_lists_each_and_applies_none(client, people, paid_event):
    a, b = (Invoice.objects.get(registration=_reg(paid_event, n)) for n in (1, 2))
    client.force_login(people.icap_contributor)
    bad = (f"invoice_number,amount,reference\n{a.number},50.00,T1\nICAP-1999-0042,50,T2\n{b.number},40,T3\n"
           f"{a.number},50,T4\n,abc,T5\n")
    response = client.post(f"/workspace/events/{paid_event.pk}/registrations/payments/",
                           {"file": SimpleUploadedFile("pay.csv", bad.encode(), "text/csv")})
    assert response.status_code == 400
    page = response.content.decode()
    for line in ("Line 3: no invoice ICAP-1999-0042 for this event.", f"Line 4: invoice {b.number} is for 50.00 USD, not 40.",
                 f"Line 5: invoice {a.number} is listed twice.", "Line 6: no invoice — for this event."):
        assert line in page
    assert Invoice.objects.filter(paid_at__isnull=False).count() == 0
    good = f"invoice_number,amount,reference\n{a.number},50.00,T1\n{b.number},\"50\",T3\n"
    response = client.post(f"/workspace/events/{paid_event.pk}/registrations/payments/",
                           {"file": SimpleUploadedFile("pay.csv", good.encode(), "text/csv")})
    assert response.status_code == 302
    assert sorted(Invoice.objects.filter(paid_at__isnull=False).values_list("payment_reference", flat=True)) == ["T1", "T3"]


def test_payments_csv_without_header_is_refused(people, paid_event):
    with pytest.raises(ValidationError) as refused:
        workflows.import_payments(people.icap_contributor, paid_event, "ICAP-2026-0001,50\n")
    assert refused.value.message_dict["csv"][0].startswith("Line 1: the header must name")


def test_unpaid_past_due_is_released_and_next_waiting_confirmed(paid_event, people):
    first, second, third = _reg(paid_event, 1), _reg(paid_event, 2), _reg(paid_event, 3)
    workflows.mark_invoice_paid(people.editor, Invoice.objects.get(registration=second), amount="50")
    assert workflows.release_unpaid(timezone.now() + dt.timedelta(days=10)) == 0  # due day itself still counts
    assert workflows.release_unpaid(timezone.now() + dt.timedelta(days=11)) == 1
    assert dict(Registration.objects.values_list("email", "status")) == {
        "p1@example.org": "removed", "p2@example.org": "confirmed", "p3@example.org": "confirmed"}
    assert Invoice.objects.filter(registration=third).exists()


def test_invoice_download_only_for_organizer_or_registrant_link(client, people, paid_event):
    from partnerpost.registration.tokens import make_token

    registration = _reg(paid_event, 1)
    invoice = Invoice.objects.get(registration=registration)
    url = f"/workspace/events/{paid_event.pk}/invoices/{invoice.number}.pdf"
    client.force_login(people.eropa_contributor)
    assert client.get(url).status_code == 403
    client.force_login(people.icap_contributor)
    assert client.get(url)["Content-Type"] == "application/pdf"
    client.logout()
    assert client.get(f"/registrations/{make_token(registration)}/invoice.pdf").content.startswith(b"%PDF")
    assert client.get("/registrations/forged-token/invoice.pdf").status_code == 404
