"""Registration settings of an event, its registrations and their audit rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerpost.content.models import AuditRecord, Item
from partnerpost.lib.timezones import TimeZoneError, resolve_time_zone

from .enums import ACTIVE, SEAT_HOLDING, Action, Ask, Status


class RegistrationSettings(models.Model):
    """How an event takes registrations. One row per event; no row means the event takes none here."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="registration_settings")
    enabled = models.BooleanField(_("take registrations"), default=True)
    opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True,
                                    help_text=_("Empty: open as soon as the event is published."))
    closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True,
                                     help_text=_("Empty: at the end of the enrolment deadline, else when the event starts."))
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Empty: no limit."))
    waiting_list = models.BooleanField(_("keep a waiting list when full"), default=True)
    requires_approval = models.BooleanField(_("each registration needs the organizer's approval"), default=False)
    ask_organization = models.CharField(_("organization"), max_length=10, choices=Ask.choices, default=Ask.REQUIRED)
    ask_country = models.CharField(_("country"), max_length=10, choices=Ask.choices, default=Ask.REQUIRED)
    ask_position = models.CharField(_("position"), max_length=10, choices=Ask.choices, default=Ask.OPTIONAL)
    #: [{"key": "diet", "label": "...", "type": "text|choice|yes_no", "choices": [...], "required": bool}]
    questions = models.JSONField(_("custom questions"), default=list, blank=True)
    fee_amount = models.DecimalField(_("fee"), max_digits=10, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(Decimal("0"))])
    fee_currency = models.CharField(_("currency"), max_length=3, blank=True)
    early_fee_amount = models.DecimalField(_("early-bird fee"), max_digits=10, decimal_places=2, null=True, blank=True,
                                           validators=[MinValueValidator(Decimal("0"))])
    early_until = models.DateField(_("early-bird price until"), null=True, blank=True)
    waived_organizations = models.TextField(_("organizations that pay no fee"), blank=True,
                                            help_text=_("One name per line, compared without regard to case."))
    waived_countries = models.CharField(_("countries that pay no fee"), max_length=500, blank=True,
                                        help_text=_("ISO 3166 codes separated by spaces or commas, e.g. CR PA."))
    bank_details = models.TextField(_("bank details for invoices"), blank=True)
    payment_days = models.PositiveSmallIntegerField(
        _("days to pay"), default=14, help_text=_("An unpaid registration is released this many days after its invoice."))
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a late place"), default=6, validators=[MinValueValidator(1)],
        help_text=_("In the last 24 hours before the start, a freed place is offered for this long."))
    reminder_days = models.PositiveSmallIntegerField(_("reminder, days before"), null=True, blank=True, default=2)
    reminder_hours = models.PositiveSmallIntegerField(_("reminder, hours before"), null=True, blank=True, default=1)
    attendance_share = models.PositiveSmallIntegerField(
        _("share of sessions for a certificate (%)"), default=75,
        validators=[MinValueValidator(1)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")

    def __str__(self):
        return f"Registration of {self.item}"

    # -- time -----------------------------------------------------------------------------------
    def event_zone(self):
        try:
            return resolve_time_zone(self.item.time_zone) if self.item.time_zone else dt.UTC
        except TimeZoneError:
            return dt.UTC

    def event_start(self) -> dt.datetime | None:
        item = self.item
        if item.starts_at:
            return item.starts_at
        if item.start_date:
            return dt.datetime.combine(item.start_date, dt.time.min, tzinfo=self.event_zone())
        return None

    def effective_close(self) -> dt.datetime | None:
        if self.closes_at:
            return self.closes_at
        if self.item.enrolment_deadline:
            next_day = self.item.enrolment_deadline + dt.timedelta(days=1)
            return dt.datetime.combine(next_day, dt.time.min, tzinfo=self.event_zone())
        return self.event_start()

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        if not self.enabled or not self.item.is_live or self.item.event_status == "cancelled":
            return False
        if self.opens_at and now < self.opens_at:
            return False
        close = self.effective_close()
        return close is None or now < close

    # -- fees -----------------------------------------------------------------------------------
    def fee_for(self, organization: str, country: str, today: dt.date) -> Decimal | None:
        """What this person pays: None when the event is free."""
        if self.fee_amount is None or not self.fee_amount:
            return None
        waived = {line.strip().casefold() for line in self.waived_organizations.splitlines() if line.strip()}
        if organization and organization.strip().casefold() in waived:
            return Decimal("0.00")
        if country and country.upper() in self.waived_country_codes():
            return Decimal("0.00")
        if self.early_fee_amount is not None and self.early_until and today <= self.early_until:
            return self.early_fee_amount
        return self.fee_amount

    def waived_country_codes(self) -> set[str]:
        return {code.strip().upper() for code in self.waived_countries.replace(",", " ").split() if code.strip()}


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE)

    def holding_seats(self):
        return self.filter(status__in=SEAT_HOLDING)

    def waiting(self):
        return self.filter(status=Status.WAITLISTED).order_by("created_at", "pk")


class Registration(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    organization = models.CharField(_("organization"), max_length=300, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    position = models.CharField(_("position"), max_length=300, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    fee_amount = models.DecimalField(_("fee"), max_digits=10, decimal_places=2, null=True, blank=True)
    fee_currency = models.CharField(_("currency"), max_length=3, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_days_at = models.DateTimeField(null=True, blank=True)
    reminded_hours_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            # The database's own word on duplicates, beside the check made under the event's lock.
            models.UniqueConstraint(fields=["item", "email"], condition=Q(status__in=ACTIVE),
                                    name="one_active_registration_per_email"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}> ({self.status})"

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING


class RegistrationAudit(AuditRecord):
    """One change on an event's registrations: who, when, what, from which status to which."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="registration_audit")
    registration = models.ForeignKey(Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)

    class Meta(AuditRecord.Meta):
        verbose_name = _("registration audit entry")
        verbose_name_plural = _("registration audit")


class InvoiceSequence(models.Model):
    """The last invoice number a partner used in a year; locked while the next one is taken."""

    partner = models.ForeignKey("network.Partner", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "year"], name="one_invoice_sequence_per_partner_year")]


class Invoice(models.Model):
    """The invoice of one registration's fee, numbered per partner and year (ICAP-2026-0001)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="invoice")
    number = models.CharField(_("invoice number"), max_length=40, unique=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    bank_details = models.TextField(_("bank details"), blank=True)
    provider = models.CharField(_("payment method"), max_length=30, default="bank_transfer")
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["number"]

    def __str__(self):
        return self.number

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None


class EventSession(models.Model):
    """One session of an event; attendance is marked per session. An event without sessions has one."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="registration_sessions")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "position"], name="one_session_per_position")]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(EventSession, on_delete=models.CASCADE, related_name="attendances")
    marked_at = models.DateTimeField(default=timezone.now)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(max_length=10, default="list")  # list, csv or qr

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "session"], name="one_attendance_per_session")]


class Certificate(models.Model):
    """A certificate of attendance, verifiable at /certificates/<code>/ (the code is random, 128 bits)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(max_length=40, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    attended = models.PositiveSmallIntegerField()
    sessions = models.PositiveSmallIntegerField()

    def __str__(self):
        return self.code
