"""Every change to registrations, one function each: the public form, the API, the organizer's desk,
the registrant's link, the tasks and the CLI all call these.

Seats are counted under a lock on the event's row (select_for_update on PostgreSQL; on SQLite
the settings open every transaction IMMEDIATE, so a transaction holds the database's write lock from
its start): two registrations never see the same free seat, and a cancellation hands its seat to the
first person waiting in the same transaction."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerpost.content.enums import EventStatus
from partnerpost.content.models import Country, Item

from . import emails
from .enums import ACTIVE, SEAT_HOLDING, Action, Ask, QuestionType, Refusal, Status
from .models import (
    Attendance,
    Certificate,
    EventSession,
    Invoice,
    InvoiceSequence,
    Registration,
    RegistrationAudit,
    RegistrationSettings,
)
from .permissions import can_manage

#: How close to the start a freed place is offered rather than given.
LAST_DAY = dt.timedelta(hours=24)
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
STANDARD = ("organization", "country", "position")


class Refused(Exception):
    """A registration or change that cannot be made. `code` is one of enums.Refusal; `errors` maps a field
    ("name", "email", "answers.<key>", or "registration" for the event as a whole) to messages."""

    def __init__(self, code: str, errors: dict[str, list[str]]):
        self.code = code
        self.errors = errors
        super().__init__("; ".join(m for ms in errors.values() for m in ms))


@dataclass
class Outcome:
    registration: Registration
    #: registrations moved up from the waiting list by this change (already told by email)
    promoted: list[Registration] = field(default_factory=list)


def _audit(item, registration, action, actor=None, from_status="", to_status="", note=""):
    RegistrationAudit.objects.create(
        item=item, registration=registration, action=action, actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status, to_status=to_status, note=note)


def _later(template: str, registration: Registration, **kwargs):
    transaction.on_commit(partial(emails.send, template, registration, **kwargs))


def settings_for(item: Item) -> RegistrationSettings | None:
    return RegistrationSettings.objects.select_related("item").filter(item=item).first()


# -- settings -------------------------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "enabled", "opens_at", "closes_at", "capacity", "waiting_list", "requires_approval", "ask_organization",
    "ask_country", "ask_position", "questions", "fee_amount", "fee_currency", "early_fee_amount", "early_until",
    "waived_organizations", "waived_countries", "bank_details", "payment_days", "offer_hours", "reminder_days",
    "reminder_hours", "attendance_share",
)


def clean_questions(value) -> list[dict]:
    """Check custom questions: [{"key", "label", "type", "choices", "required"}]. Raises ValidationError."""
    if not isinstance(value, list):
        raise ValidationError({"questions": _("Give a list of questions.")})
    cleaned, seen = [], set(STANDARD)
    for number, question in enumerate(value, start=1):
        where = _("Question %(n)d") % {"n": number}
        if not isinstance(question, dict):
            raise ValidationError({"questions": _("%(where)s is not a question.") % {"where": where}})
        key = str(question.get("key", "")).strip()
        label = str(question.get("label", "")).strip()
        kind = question.get("type", QuestionType.TEXT)
        if not KEY.match(key) or key in seen:
            raise ValidationError({"questions": _("%(where)s: the key must be unique, lower-case letters, digits "
                                                  "and _ (e.g. diet).") % {"where": where}})
        if not label or len(label) > 300:
            raise ValidationError({"questions": _("%(where)s needs a label of at most 300 characters.") % {"where": where}})
        if kind not in QuestionType.values:
            raise ValidationError({"questions": _("%(where)s: the type must be text, choice or yes_no.") % {"where": where}})
        choices = [str(c).strip() for c in question.get("choices") or [] if str(c).strip()]
        if kind == QuestionType.CHOICE and len(choices) < 2:
            raise ValidationError({"questions": _("%(where)s: a choice needs at least two options.") % {"where": where}})
        seen.add(key)
        cleaned.append({"key": key, "label": label, "type": kind, "choices": choices if kind == QuestionType.CHOICE else [],
                        "required": bool(question.get("required"))})
    if len(cleaned) > 10:
        raise ValidationError({"questions": _("At most 10 custom questions.")})
    return cleaned


def save_settings(user, item: Item, values: dict) -> RegistrationSettings:
    """Create or change an event's registration settings. Raises PermissionDenied or ValidationError."""
    if not can_manage(user, item):
        raise PermissionDenied(_("You may not manage registration for this event."))
    with transaction.atomic():
        Item.objects.select_for_update().filter(pk=item.pk).first()
        current = RegistrationSettings.objects.filter(item=item).first() or RegistrationSettings(item=item)
        for name, value in values.items():
            if name not in SETTINGS_FIELDS:
                raise ValidationError({name: _("Not a registration setting.")})
            setattr(current, name, value)
        errors = {}
        try:
            current.questions = clean_questions(current.questions)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        current.fee_currency = (current.fee_currency or "").strip().upper()
        if current.fee_amount and not re.fullmatch(r"[A-Z]{3}", current.fee_currency):
            errors["fee_currency"] = [_("Give the fee's currency as a three-letter code, e.g. USD.")]
        if current.early_fee_amount is not None and current.fee_amount is None:
            errors["early_fee_amount"] = [_("An early-bird price needs a regular fee.")]
        if current.early_fee_amount is not None and not current.early_until:
            errors["early_until"] = [_("Say until which day the early-bird price holds.")]
        if current.opens_at and current.closes_at and current.closes_at <= current.opens_at:
            errors["closes_at"] = [_("Registration closes before it opens.")]
        unknown = current.waived_country_codes() - set(Country.objects.values_list("code", flat=True))
        if unknown:
            errors["waived_countries"] = [_("Not ISO 3166 country codes: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}]
        try:
            current.full_clean(exclude=["item", "questions"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, messages)
        if errors:
            raise ValidationError(errors)
        current.save()
        _audit(item, None, Action.SETTINGS, user)
    return current


# -- registering -----------------------------------------------------------------------------------------

def _clean_person(config: RegistrationSettings, name, email, answers) -> tuple[str, str, dict, dict]:
    errors: dict[str, list[str]] = {}
    name = " ".join(str(name or "").split())
    if not name:
        errors["name"] = [_("Give your name.")]
    elif len(name) > 200:
        errors["name"] = [_("At most 200 characters.")]
    email = str(email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Give a valid email address.")]
    if not isinstance(answers, dict):
        errors["answers"] = [_("Answers must be an object of question keys and values.")]
        answers = {}
    asked = {"organization": config.ask_organization, "country": config.ask_country, "position": config.ask_position}
    custom = {q["key"]: q for q in config.questions}
    for key in answers:
        if key not in custom and (key not in asked or asked[key] == Ask.OFF):
            errors[f"answers.{key}"] = [_("This event asks no such question.")]
    cleaned: dict = {}
    for key, ask in asked.items():
        if ask == Ask.OFF:
            continue
        value = answers.get(key)
        value = " ".join(str(value).split()) if value is not None else ""
        if not value:
            if ask == Ask.REQUIRED:
                errors[f"answers.{key}"] = [_("This answer is required.")]
            continue
        if key == "country":
            value = value.upper()
            if not Country.objects.filter(code=value).exists():
                errors["answers.country"] = [_("Give an ISO 3166 country code, e.g. CR.")]
                continue
        elif len(value) > 300:
            errors[f"answers.{key}"] = [_("At most 300 characters.")]
            continue
        cleaned[key] = value
    for key, question in custom.items():
        value = answers.get(key)
        if question["type"] == QuestionType.YES_NO:
            if value is None or value == "":
                if question["required"]:
                    errors[f"answers.{key}"] = [_("This answer is required.")]
                continue
            if not isinstance(value, bool):
                errors[f"answers.{key}"] = [_("Answer true or false.")]
                continue
            cleaned[key] = value
            continue
        value = " ".join(str(value).split()) if value is not None else ""
        if not value:
            if question["required"]:
                errors[f"answers.{key}"] = [_("This answer is required.")]
            continue
        if question["type"] == QuestionType.CHOICE and value not in question["choices"]:
            errors[f"answers.{key}"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(question["choices"])}]
            continue
        if len(value) > 500:
            errors[f"answers.{key}"] = [_("At most 500 characters.")]
            continue
        cleaned[key] = value
    return name, email, cleaned, errors


def register(item: Item, *, name: str, email: str, answers: dict | None = None, language: str = "en",
             now: dt.datetime | None = None) -> Registration:
    """Register a person for an event. Returns the saved registration (confirmed, waitlisted or
    pending_approval) or raises Refused, having written nothing."""
    now = now or timezone.now()
    answers = answers if answers is not None else {}
    with transaction.atomic():
        # The lock: every registration, cancellation and promotion of this event takes turns from here.
        item = Item.objects.select_for_update().get(pk=item.pk)  # the event row only, not its partner
        config = RegistrationSettings.objects.filter(item=item).first()
        if config is None or not config.enabled:
            raise Refused(Refusal.CLOSED, {"registration": [_("This event does not take registrations here.")]})
        config.item = item
        if item.event_status == EventStatus.CANCELLED:
            raise Refused(Refusal.CANCELLED_EVENT, {"registration": [_("This event is cancelled.")]})
        if not config.is_open(now):
            raise Refused(Refusal.CLOSED, {"registration": [_("Registration for this event is closed.")]})
        name, email, cleaned, errors = _clean_person(config, name, email, answers)
        if errors:
            raise Refused(Refusal.INVALID, errors)
        if Registration.objects.filter(item=item, email=email, status__in=ACTIVE).exists():
            raise Refused(Refusal.DUPLICATE, {"email": [_("This email address is already registered for this event.")]})
        taken = Registration.objects.filter(item=item, status__in=SEAT_HOLDING).count()
        waiting = Registration.objects.filter(item=item, status=Status.WAITLISTED).exists()
        has_seat = config.capacity is None or (taken < config.capacity and not waiting)
        if config.requires_approval:
            status = Status.PENDING_APPROVAL
        elif has_seat:
            status = Status.CONFIRMED
        elif config.waiting_list:
            status = Status.WAITLISTED
        else:
            raise Refused(Refusal.FULL, {"registration": [_("This event is full and keeps no waiting list.")]})
        organization, country = cleaned.get("organization", ""), cleaned.get("country", "")
        fee = config.fee_for(organization, country, now.astimezone(config.event_zone()).date())
        registration = Registration.objects.create(
            item=item, name=name, email=email, organization=organization, country=country,
            position=cleaned.get("position", ""),
            answers={k: v for k, v in cleaned.items() if k not in STANDARD}, language=language[:10] or "en",
            status=status, fee_amount=fee, fee_currency=config.fee_currency if fee is not None else "",
            created_at=now, confirmed_at=now if status == Status.CONFIRMED else None)
        _audit(item, registration, Action.REGISTER, None, "", status)
        registration.item = item
        if status == Status.CONFIRMED:
            _issue_invoice(registration, config, now)
        _later("received", registration, ics=status == Status.CONFIRMED)
    return registration


# -- leaving, and the waiting list ------------------------------------------------------------------------

def _fill_seats(item: Item, config: RegistrationSettings, now: dt.datetime, actor=None) -> list[Registration]:
    """Hand free seats to the people waiting, first registered first. Inside the last 24 hours before
    the start a seat is offered for config.offer_hours instead. Call with the event's row locked."""
    if config.capacity is None:
        free = None
    else:
        free = config.capacity - Registration.objects.filter(item=item, status__in=SEAT_HOLDING).count()
    start = config.event_start()
    late = start is not None and now >= start - LAST_DAY
    promoted = []
    for registration in Registration.objects.filter(item=item, status=Status.WAITLISTED).order_by("created_at", "pk"):
        if free is not None and free <= 0:
            break
        if start is not None and now >= start:
            break  # nothing is handed out once the event has begun
        registration.item = item
        if late:
            registration.status = Status.OFFERED
            registration.offer_expires_at = min(now + dt.timedelta(hours=config.offer_hours), start)
            registration.save(update_fields=["status", "offer_expires_at"])
            _audit(item, registration, Action.OFFER, actor, Status.WAITLISTED, Status.OFFERED)
            _later("offered", registration, ics=True)
        else:
            registration.status = Status.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            _audit(item, registration, Action.PROMOTE, actor, Status.WAITLISTED, Status.CONFIRMED)
            _issue_invoice(registration, config, now)
            _later("promoted", registration, ics=True)
        promoted.append(registration)
        if free is not None:
            free -= 1
    return promoted


def _end(registration: Registration, action: str, status: str, actor, note: str, now, tell: str | None) -> Outcome:
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=registration.item_id)
        current = Registration.objects.get(pk=registration.pk)
        if current.status not in ACTIVE:
            raise Refused(Refusal.INVALID, {"registration": [_("This registration is no longer active.")]})
        before = current.status
        current.status = status
        current.cancelled_at = now
        current.offer_expires_at = None
        current.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
        current.item = item
        _audit(item, current, action, actor, before, status, note)
        if tell:
            _later(tell, current)
        config = RegistrationSettings.objects.get(item=item)
        config.item = item
        promoted = _fill_seats(item, config, now, actor) if before in SEAT_HOLDING else []
    return Outcome(current, promoted)


def cancel_registration(registration: Registration, *, now: dt.datetime | None = None) -> Outcome:
    """The registrant cancels (through their signed link). The first person waiting moves up."""
    return _end(registration, Action.CANCEL, Status.CANCELLED, None, "", now or timezone.now(), "cancelled")


def remove_registration(user, registration: Registration, *, note: str = "", now: dt.datetime | None = None) -> Outcome:
    """The organizer removes a registration (or refuses one awaiting approval). The first person waiting moves up."""
    if not can_manage(user, registration.item):
        raise PermissionDenied(_("You may not manage registration for this event."))
    return _end(registration, Action.REMOVE, Status.REMOVED, user, note, now or timezone.now(), "removed")


def approve_registration(user, registration: Registration, *, now: dt.datetime | None = None) -> Registration:
    """Approve one awaiting approval: confirmed if a seat is free, else waitlisted (or refused when full)."""
    now = now or timezone.now()
    if not can_manage(user, registration.item):
        raise PermissionDenied(_("You may not manage registration for this event."))
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=registration.item_id)
        current = Registration.objects.get(pk=registration.pk)
        if current.status != Status.PENDING_APPROVAL:
            raise Refused(Refusal.INVALID, {"registration": [_("This registration is not awaiting approval.")]})
        config = RegistrationSettings.objects.get(item=item)
        taken = Registration.objects.filter(item=item, status__in=SEAT_HOLDING).count()
        waiting = Registration.objects.filter(item=item, status=Status.WAITLISTED).exists()
        if config.capacity is None or (taken < config.capacity and not waiting):
            current.status, current.confirmed_at = Status.CONFIRMED, now
        elif config.waiting_list:
            current.status = Status.WAITLISTED
        else:
            raise Refused(Refusal.FULL, {"registration": [_("No place is free and the event keeps no waiting list.")]})
        current.save(update_fields=["status", "confirmed_at"])
        current.item = item
        _audit(item, current, Action.APPROVE, user, Status.PENDING_APPROVAL, current.status)
        if current.status == Status.CONFIRMED:
            _issue_invoice(current, config, now)
        _later("approved", current, ics=current.status == Status.CONFIRMED)
    return current


def accept_offer(registration: Registration, *, now: dt.datetime | None = None) -> Registration:
    """The registrant takes a place offered in the last 24 hours, before the offer lapses."""
    now = now or timezone.now()
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=registration.item_id)
        current = Registration.objects.get(pk=registration.pk)
        if current.status != Status.OFFERED or current.offer_expires_at is None or current.offer_expires_at <= now:
            raise Refused(Refusal.CLOSED, {"registration": [_("This offer is no longer open.")]})
        current.status, current.confirmed_at, current.offer_expires_at = Status.CONFIRMED, now, None
        current.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
        current.item = item
        _audit(item, current, Action.ACCEPT, None, Status.OFFERED, Status.CONFIRMED)
        _issue_invoice(current, RegistrationSettings.objects.get(item=item), now)
        _later("accepted", current, ics=True)
    return current


def lapse_offers(now: dt.datetime | None = None) -> int:
    """Offers not accepted in time pass on to the next person waiting. Returns how many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    due = (Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
           .values_list("pk", flat=True).order_by("pk"))
    for pk in list(due):
        registration = Registration.objects.get(pk=pk)
        try:
            _end(registration, Action.LAPSE, Status.CANCELLED, None, _("The offer was not accepted in time."), now, "lapsed")
        except Refused:
            continue  # accepted or cancelled in the meantime
        lapsed += 1
    return lapsed


# -- reading ----------------------------------------------------------------------------------------------

def summary(item: Item, config: RegistrationSettings | None = None, now: dt.datetime | None = None) -> dict:
    """The public figures of an event's registration (the API's GET .../registration)."""
    config = config if config is not None else settings_for(item)
    if config is None:
        return {"open": False, "capacity": None, "waiting_list": False, "confirmed": 0, "waitlisted": 0}
    config.item = item
    counts = status_counts(item)
    return {"open": config.is_open(now), "capacity": config.capacity, "waiting_list": config.waiting_list,
            "confirmed": counts[Status.CONFIRMED], "waitlisted": counts[Status.WAITLISTED]}


def open_events_filter(now: dt.datetime | None = None):
    """A filter on Item for events that take registrations now (the close is checked per row in Python
    where it falls back to the enrolment deadline; see open_event_ids)."""
    from django.db.models import Q

    now = now or timezone.now()
    return (Q(registration_settings__enabled=True)
            & (Q(registration_settings__opens_at__isnull=True) | Q(registration_settings__opens_at__lte=now))
            & ~Q(event_status=EventStatus.CANCELLED))


def open_event_ids(queryset, now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    ids = []
    for config in RegistrationSettings.objects.select_related("item").filter(item__in=queryset.filter(open_events_filter(now))):
        if config.is_open(now):
            ids.append(config.item_id)
    return ids


# -- the organizer's desk ---------------------------------------------------------------------------------

def registrations_for(user, item: Item, *, query: str = "", status: str = ""):
    """The registrations an organizer may see, searched by name, email or organization, filtered by status."""
    from django.db.models import Q

    if not can_manage(user, item):
        raise PermissionDenied(_("You may not see this event's registrations."))
    rows = Registration.objects.filter(item=item, purged_at__isnull=True)
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(email__icontains=query) | Q(organization__icontains=query))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("created_at", "pk")


def status_counts(item: Item) -> dict[str, int]:
    from django.db.models import Count

    counts = dict.fromkeys(Status.values, 0)
    for row in Registration.objects.filter(item=item).values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


AUDIENCES = {"all": ACTIVE, "waiting": (Status.WAITLISTED,)}


def check_registrants_message(user, item: Item, *, audience: str, subject: str, message: str) -> tuple[str, str, list[int]]:
    """Check an organizer's message to the registrants of the audience ("all" active registrants, or
    "waiting") and return its cleaned subject and text and the registrations it goes to.

    The sending is the mailing app's (mailing.workflows.send_to_registrants), which calls this first
    and then record_registrants_message once the message is queued."""
    if not can_manage(user, item):
        raise PermissionDenied(_("You may not write to this event's registrants."))
    errors = {}
    if audience not in AUDIENCES:
        errors["audience"] = [_("Choose all registrants or the waiting list.")]
    subject, message = " ".join((subject or "").split()), (message or "").strip()
    if not subject or len(subject) > 200:
        errors["subject"] = [_("Give a subject of at most 200 characters.")]
    if not message or len(message) > 20000:
        errors["message"] = [_("Write a message of at most 20,000 characters.")]
    if errors:
        raise ValidationError(errors)
    return subject, message, list(audience_of(item, audience).order_by("pk").values_list("pk", flat=True))


def audience_of(item: Item, audience: str):
    """The registrations (personal data kept) that a message to this audience goes to, now."""
    return Registration.objects.filter(item=item, status__in=AUDIENCES[audience], purged_at__isnull=True)


def record_registrants_message(user, item: Item, *, audience: str, count: int, subject: str):
    """The desk's audit row of a message queued to the registrants."""
    _audit(item, None, Action.EMAIL, user, note=f"{audience}: {count} · {subject}")


def _months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    import calendar

    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def purge_personal_data(now: dt.datetime | None = None, months: int | None = None) -> int:
    """Delete the personal data of registrations to events that ended more than REGISTRATION_KEEP_MONTHS
    months ago (name, email, organization, position, answers). Counts and the audit stay. Returns how many."""
    now = now or timezone.now()
    months = settings.REGISTRATION_KEEP_MONTHS if months is None else months
    cutoff = _months_before(now.date(), months)
    from django.db.models import Q

    old = Registration.objects.filter(purged_at__isnull=True).filter(
        Q(item__end_date__lt=cutoff) | Q(item__end_date__isnull=True, item__start_date__lt=cutoff))
    purged = 0
    for item_id in sorted(set(old.values_list("item_id", flat=True))):
        with transaction.atomic():
            rows = list(old.filter(item_id=item_id).select_for_update())
            for registration in rows:
                registration.name = ""
                registration.email = f"purged-{registration.pk}@purged.invalid"
                registration.organization = registration.position = ""
                registration.answers = {}
                registration.purged_at = now
                registration.save(update_fields=["name", "email", "organization", "position", "answers", "purged_at"])
            RegistrationAudit.objects.create(item_id=item_id, action=Action.PURGE, note=str(len(rows)))
            purged += len(rows)
    return purged


# -- fees and invoices ------------------------------------------------------------------------------------

def _issue_invoice(registration: Registration, config: RegistrationSettings, now: dt.datetime) -> Invoice | None:
    """Number and save the invoice of a registration that has a fee and now holds a place (once)."""
    if not registration.fee_amount or Invoice.objects.filter(registration=registration).exists():
        return None
    partner = registration.item.partner
    sequence, _created = InvoiceSequence.objects.select_for_update().get_or_create(partner=partner, year=now.year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    from .payments import provider

    invoice = Invoice.objects.create(
        registration=registration, number=f"{partner.acronym.upper()}-{now.year}-{sequence.last:04d}", issued_at=now,
        due_on=(now + dt.timedelta(days=config.payment_days)).date(), amount=registration.fee_amount,
        currency=registration.fee_currency, bank_details=config.bank_details, provider=provider().key)
    _audit(registration.item, registration, Action.INVOICE, None, registration.status, registration.status, invoice.number)
    return invoice


def mark_invoice_paid(user, invoice: Invoice, *, amount, reference: str = "", now: dt.datetime | None = None) -> Invoice:
    """The organizer records a payment of exactly the invoiced amount."""
    from decimal import Decimal, InvalidOperation

    registration = invoice.registration
    if not can_manage(user, registration.item):
        raise PermissionDenied(_("You may not manage registration for this event."))
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        raise ValidationError({"amount": [_("Give the amount paid as a number, e.g. 50.00.")]}) from None
    with transaction.atomic():
        current = Invoice.objects.select_for_update().select_related("registration__item").get(pk=invoice.pk)
        if current.paid_at:
            raise ValidationError({"invoice": [_("Invoice %(number)s is already paid.") % {"number": current.number}]})
        if amount != current.amount:
            raise ValidationError({"amount": [_("Invoice %(number)s is for %(due)s %(currency)s, not %(paid)s.") % {
                "number": current.number, "due": current.amount, "currency": current.currency, "paid": amount}]})
        current.paid_at = now or timezone.now()
        current.payment_reference = (reference or "").strip()[:200]
        current.save(update_fields=["paid_at", "payment_reference"])
        _audit(current.registration.item, current.registration, Action.PAID, user, note=f"{current.number} {current.payment_reference}".strip())
    return current


def import_payments(user, item: Item, text: str, *, now: dt.datetime | None = None) -> list[Invoice]:
    """Mark paid the invoices listed in a CSV of payments (columns invoice_number, amount and optionally
    reference), matched on the invoice number. Every bad line is named; with any, nothing is applied."""
    import csv
    import io
    from decimal import Decimal, InvalidOperation

    if not can_manage(user, item):
        raise PermissionDenied(_("You may not manage registration for this event."))
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "invoice_number" not in header or "amount" not in header:
        raise ValidationError({"csv": [_("Line 1: the header must name the columns invoice_number and amount "
                                         "(and optionally reference).")]})
    invoices = {i.number: i for i in Invoice.objects.filter(registration__item=item).select_related("registration")}
    problems, matched, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        number, raw = row.get("invoice_number", ""), row.get("amount", "")
        invoice = invoices.get(number)
        try:
            amount = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            amount = None
        if invoice is None:
            problems.append(_("Line %(line)d: no invoice %(number)s for this event.") % {"line": line, "number": number or "—"})
        elif number in seen:
            problems.append(_("Line %(line)d: invoice %(number)s is listed twice.") % {"line": line, "number": number})
        elif amount is None:
            problems.append(_("Line %(line)d: the amount %(amount)s is not a number.") % {"line": line, "amount": raw or "—"})
        elif amount != invoice.amount:
            problems.append(_("Line %(line)d: invoice %(number)s is for %(due)s %(currency)s, not %(paid)s.") % {
                "line": line, "number": number, "due": invoice.amount, "currency": invoice.currency, "paid": amount})
        elif invoice.paid_at:
            problems.append(_("Line %(line)d: invoice %(number)s is already paid.") % {"line": line, "number": number})
        else:
            matched.append((invoice, amount, row.get("reference", "")))
        seen.add(number)
    if problems:
        raise ValidationError({"csv": problems})
    if not matched:
        raise ValidationError({"csv": [_("The file lists no payments.")]})
    with transaction.atomic():
        return [mark_invoice_paid(user, invoice, amount=amount, reference=reference, now=now)
                for invoice, amount, reference in matched]


def release_unpaid(now: dt.datetime | None = None) -> int:
    """Registrations whose invoice is unpaid past its due day lose their place to the next person waiting."""
    now = now or timezone.now()
    released = 0
    due = Invoice.objects.filter(paid_at__isnull=True, due_on__lt=now.date(),
                                 registration__status__in=SEAT_HOLDING).values_list("registration_id", flat=True)
    for pk in list(due):
        try:
            _end(Registration.objects.get(pk=pk), Action.UNPAID, Status.REMOVED, None,
                 _("The invoice was not paid by its due date."), now, "removed")
        except Refused:
            continue
        released += 1
    return released


# -- reminders --------------------------------------------------------------------------------------------

def send_reminders(now: dt.datetime | None = None) -> int:
    """Remind confirmed registrants config.reminder_days days and config.reminder_hours hours before the
    start. Each reminder is claimed by a conditional update before it is sent, so no two runs send the same
    one; cancelled or removed registrations are never reminded. Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    configs = RegistrationSettings.objects.select_related("item").filter(
        enabled=True, item__start_date__gte=(now - dt.timedelta(days=1)).date(),
        item__start_date__lte=(now + dt.timedelta(days=60)).date()).exclude(item__event_status=EventStatus.CANCELLED)
    for config in configs:
        start = config.event_start()
        if start is None or now >= start:
            continue
        windows = []
        if config.reminder_days:
            windows.append(("reminded_days_at", start - dt.timedelta(days=config.reminder_days)))
        if config.reminder_hours:
            windows.append(("reminded_hours_at", start - dt.timedelta(hours=config.reminder_hours)))
        due = [name for name, at in windows if now >= at]
        if not due:
            continue
        # The latest due window is the one to send; earlier ones that were missed are marked as covered by it.
        latest = max(due, key=lambda name: dict(windows)[name])
        rows = Registration.objects.filter(item=config.item, status=Status.CONFIRMED, purged_at__isnull=True,
                                           **{f"{latest}__isnull": True})
        for registration in rows.order_by("pk"):
            claimed = Registration.objects.filter(pk=registration.pk, status=Status.CONFIRMED,
                                                  **{f"{latest}__isnull": True}).update(
                **{name: Coalesce(F(name), Value(now, output_field=DateTimeField())) for name in due})
            if not claimed:
                continue
            registration.item = config.item
            with transaction.atomic():
                _audit(config.item, registration, Action.REMIND, None, note=latest.removeprefix("reminded_").removesuffix("_at"))
            sent += emails.send("reminder", registration, {"starts": start, "joining_url": config.item.online_url
                                                           if config.item.event_format in ("online", "hybrid") else ""},
                                ics=True)
    return sent


# -- sessions, attendance and certificates ------------------------------------------------------------------

def sessions_for(item: Item) -> list[EventSession]:
    """The event's sessions; an event that has none gets one, covering the whole event."""
    sessions = list(EventSession.objects.filter(item=item))
    if not sessions:
        config = settings_for(item)
        session, _created = EventSession.objects.get_or_create(
            item=item, position=1, defaults={"title": item.title[:200], "starts_at": config.event_start() if config else None})
        sessions = [session]
    return sessions


def save_sessions(user, item: Item, sessions: list[tuple[dt.datetime | None, str]]) -> list[EventSession]:
    """Replace the event's sessions (only while no attendance is marked)."""
    if not can_manage(user, item):
        raise PermissionDenied(_("You may not manage registration for this event."))
    errors = []
    for number, (_starts, title) in enumerate(sessions, start=1):
        if not title or len(title) > 200:
            errors.append(_("Session %(n)d needs a title of at most 200 characters.") % {"n": number})
    if len(sessions) > 50:
        errors.append(_("At most 50 sessions."))
    if errors:
        raise ValidationError({"sessions": errors})
    with transaction.atomic():
        Item.objects.select_for_update().filter(pk=item.pk).first()
        if Attendance.objects.filter(session__item=item).exists():
            raise ValidationError({"sessions": [_("Attendance is already marked; the sessions can no longer change.")]})
        EventSession.objects.filter(item=item).delete()
        saved = [EventSession.objects.create(item=item, position=n, title=title, starts_at=starts)
                 for n, (starts, title) in enumerate(sessions, start=1)]
        _audit(item, None, Action.SETTINGS, user, note=_("%(n)d sessions") % {"n": len(saved)})
    return saved


def mark_attendance(user, session: EventSession, registration: Registration, *, present: bool = True,
                    method: str = "list") -> bool:
    """Mark (or unmark) one confirmed registrant present at one session. Returns whether anything changed."""
    if not can_manage(user, session.item):
        raise PermissionDenied(_("You may not manage registration for this event."))
    if registration.item_id != session.item_id:
        raise ValidationError({"registration": [_("This registration is for another event.")]})
    if registration.status != Status.CONFIRMED:
        raise ValidationError({"registration": [_("Only confirmed registrants can attend.")]})
    with transaction.atomic():
        if present:
            _row, changed = Attendance.objects.get_or_create(registration=registration, session=session,
                                                             defaults={"marked_by": user if user.pk else None, "method": method})
        else:
            changed = bool(Attendance.objects.filter(registration=registration, session=session).delete()[0])
        if changed:
            _audit(session.item, registration, Action.ATTEND, user,
                   note=f"{session.position}. {session.title}: {'present' if present else 'absent'} ({method})")
    return changed


def import_attendance(user, item: Item, text: str) -> int:
    """Mark attendance from a CSV with the columns email and session (the session's number). Every bad line is
    named; with any, nothing is marked. Returns how many marks were new."""
    import csv
    import io

    if not can_manage(user, item):
        raise PermissionDenied(_("You may not manage registration for this event."))
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "email" not in header or "session" not in header:
        raise ValidationError({"csv": [_("Line 1: the header must name the columns email and session.")]})
    sessions = {str(s.position): s for s in sessions_for(item)}
    people = {r.email: r for r in Registration.objects.filter(item=item, status=Status.CONFIRMED)}
    problems, marks = [], []
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        registration, session = people.get(row.get("email", "").lower()), sessions.get(row.get("session", ""))
        if registration is None:
            problems.append(_("Line %(line)d: %(email)s is not a confirmed registrant of this event.") % {
                "line": line, "email": row.get("email") or "—"})
        elif session is None:
            problems.append(_("Line %(line)d: there is no session %(session)s (use 1 to %(last)d).") % {
                "line": line, "session": row.get("session") or "—", "last": len(sessions)})
        else:
            marks.append((session, registration))
    if problems:
        raise ValidationError({"csv": problems})
    with transaction.atomic():
        return sum(mark_attendance(user, session, registration, method="csv") for session, registration in marks)


def attendance_share(registration: Registration, total: int) -> tuple[int, int]:
    return registration.attendances.count(), total


def issue_certificates(user, item: Item, *, now: dt.datetime | None = None) -> list[Certificate]:
    """Issue a certificate to each confirmed registrant who attended at least the set share of sessions, and
    email it (a PDF in the person's language, naming its verification address). Returns the new ones."""
    import secrets

    if not can_manage(user, item):
        raise PermissionDenied(_("You may not manage registration for this event."))
    config = settings_for(item)
    share = config.attendance_share if config else 75
    total = len(sessions_for(item))
    issued = []
    with transaction.atomic():
        Item.objects.select_for_update().filter(pk=item.pk).first()
        rows = (Registration.objects.filter(item=item, status=Status.CONFIRMED, certificate__isnull=True, purged_at__isnull=True)
                .annotate(attended=models_count("attendances")))
        for registration in rows:
            if registration.attended * 100 < share * total:
                continue
            certificate = Certificate.objects.create(registration=registration, code=secrets.token_urlsafe(16),
                                                     issued_at=now or timezone.now(), attended=registration.attended,
                                                     sessions=total)
            _audit(item, registration, Action.CERTIFY, user, note=f"{registration.attended}/{total}")
            registration.item = item
            transaction.on_commit(partial(_send_certificate, certificate.pk))
            issued.append(certificate)
    return issued


def models_count(name):
    from django.db.models import Count

    return Count(name, distinct=True)


def _send_certificate(certificate_id: int) -> int:
    from .documents import certificate_pdf

    certificate = Certificate.objects.select_related("registration__item__partner").get(pk=certificate_id)
    return emails.send("certificate", certificate.registration, {"certificate": certificate,
                       "verify_url": certificate_url(certificate)},
                       attachments=[(f"certificate-{certificate.code[:8]}.pdf", certificate_pdf(certificate), "application/pdf")])


def certificate_url(certificate: Certificate) -> str:
    from django.urls import reverse

    return settings.SITE_URL + reverse("certificate", args=[certificate.code])
