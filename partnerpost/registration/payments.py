"""How a registrant pays: a small provider interface, so that a card provider can be added beside the one
that exists (a bank transfer against a numbered invoice, confirmed by the organizer).

A provider says how to pay an invoice (`instructions`) and turns a confirmed payment into the invoice
being paid (`confirm`, which calls workflows.mark_invoice_paid: the rule lives there). A card provider
would add a redirect to its checkout and a webhook view that calls `confirm`."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _


class PaymentProvider:
    key = ""
    label = ""

    def instructions(self, invoice) -> str:  # pragma: no cover - the interface
        raise NotImplementedError

    def confirm(self, user, invoice, *, amount: Decimal, reference: str):
        from .workflows import mark_invoice_paid

        return mark_invoice_paid(user, invoice, amount=amount, reference=reference)


class BankTransfer(PaymentProvider):
    key = "bank_transfer"
    label = _("Bank transfer against an invoice")

    def instructions(self, invoice) -> str:
        return _("Transfer %(amount)s %(currency)s, quoting invoice %(number)s, by %(due)s to:") % {
            "amount": invoice.amount, "currency": invoice.currency, "number": invoice.number,
            "due": invoice.due_on.isoformat()} + "\n" + (invoice.bank_details or _("(the organizer's bank details)"))


PROVIDERS: dict[str, PaymentProvider] = {BankTransfer.key: BankTransfer()}


def provider(key: str | None = None) -> PaymentProvider:
    return PROVIDERS[key or settings.REGISTRATION_PAYMENT_PROVIDER]
