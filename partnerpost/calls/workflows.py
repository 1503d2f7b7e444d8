"""Every change to a call's form and to its submissions goes through one function here.

Each function checks permission and state, validates, saves, writes an audit row and sends the
email. The web views, the API and the demo call the same functions with the same typed values,
so a rule (the close, a required answer, a refused file) gives the same error everywhere.

Errors: `AnswerErrors` carries {field name: [messages]} (a ValidationError's message_dict), and
`WindowClosed` (a subclass) says the call's close has passed, naming it in the call's time zone.
The review stages of a later issue build on `Submission.state`, `SubmissionAudit` and
`decide_submission`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib
import re
import shlex
import subprocess
import tempfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _, ngettext

from partnerpost.content.enums import AuditAction, ItemKind
from partnerpost.content.models import CONTENT_LANGUAGES, AuditEntry, Country, Item, web_url
from partnerpost.content.signals import item_changed
from partnerpost.content import uploads
from partnerpost.lib import m49
from partnerpost.lib.text import fold
from partnerpost.lib.timezones import TimeZoneError, normalize_time_zone, resolve_time_zone
from partnerpost.network.enums import MemberRole
from partnerpost.network.permissions import SECRETARIAT, is_editor, partner_roles, role_for
from partnerpost import notify

from .enums import (
    CHOICE_TYPES,
    DECIDABLE_STATES,
    EDITABLE_STATES,
    Audience,
    CallAction,
    FieldRole,
    FieldType,
    SubmissionAction,
    SubmissionState,
)
from .models import (
    Call,
    CallAudit,
    CallField,
    EligibilityQuestion,
    Invitation,
    Submission,
    SubmissionArea,
    SubmissionAudit,
    SubmissionFile,
)

NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
TEXT_LIMIT = 300
LONG_TEXT_LIMIT = 10_000
#: Titles at least this similar (folded, 0..1) from the same country are flagged as duplicates.
DUPLICATE_RATIO = 0.9


class WorkflowError(Exception):
    """The call or submission is not in a state that allows this change."""


class AnswerErrors(Exception):
    """Answers refused: `errors` is {field name: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class WindowClosed(AnswerErrors):
    """The call is not open: closed (or not yet open)."""

    def __init__(self, call: Call, now: dt.datetime):
        if now < call.opens_at:
            message = _("This call opens on %(when)s; answers are not taken before.") % {"when": _when(call.local_open(), call)}
        else:
            message = _("This call closed on %(when)s; answers can no longer be submitted or changed.") % {
                "when": _when(call.local_close(), call)}
        super().__init__({"closes_at": [message]})


class NotEligible(AnswerErrors):
    def __init__(self, question: EligibilityQuestion):
        super().__init__({question.name: [question.reason]})
        self.question = question


def _when(value: dt.datetime, call: Call) -> str:
    return f"{date_format(value, 'j F Y, H:i')} ({call.time_zone})"


# --- permissions -----------------------------------------------------------------------------------------

def can_manage_call(user, item: Item) -> bool:
    """Define a call's form and moderate its answers: secretariat editors and the organizing partner's editors."""
    return role_for(user, item.partner_id) in {SECRETARIAT, MemberRole.EDITOR}


def manageable_calls(user):
    items = Item.objects.filter(kind=ItemKind.CALL)
    if is_editor(user):
        return items
    editor_of = [pk for pk, role in partner_roles(user).items() if role == MemberRole.EDITOR]
    return items.filter(partner_id__in=editor_of)


def may_answer(call: Call, *, user=None, email: str = "", partner=None) -> bool:
    """Whether this person (or partner system) may answer. `email` is an address confirmed by a signed link."""
    authenticated = bool(getattr(user, "is_authenticated", False) and user.is_active)
    if call.audience == Audience.MEMBERS:
        if partner is not None:
            return partner.is_active
        return authenticated and (is_editor(user) or bool(partner_roles(user)))
    if call.audience == Audience.INVITED:
        addresses = {a.lower() for a in (email, user.email if authenticated else "") if a}
        if not addresses:
            return False
        return Invitation.objects.filter(call=call, email__in=addresses).exists() or any(
            Invitation.objects.filter(call=call, email__iexact=a).exists() for a in addresses)
    # anyone with a confirmed address: a signed link, an account with an address, or a partner's token
    return bool(email) or (authenticated and bool(user.email)) or partner is not None


# --- the call's definition -------------------------------------------------------------------------------

@dataclass
class FieldSpec:
    name: str
    type: str
    label: str
    required: bool = False
    choices: list[str] = field(default_factory=list)
    step: int = 1
    role: str = ""
    help_text: str = ""


@dataclass
class QuestionSpec:
    name: str
    question: str
    expected: bool = True
    reason: str = ""


@dataclass
class CallInput:
    """A call's form: its window as local wall times in `time_zone`, who may answer, fields and questions."""

    opens: dt.datetime
    closes: dt.datetime
    time_zone: str = "UTC"
    languages: list[str] = field(default_factory=lambda: ["en"])
    audience: str = Audience.CONFIRMED_EMAIL
    is_catalogue: bool = False
    fields: list[FieldSpec] = field(default_factory=list)
    eligibility: list[QuestionSpec] = field(default_factory=list)
    invitations: list[str] = field(default_factory=list)


def _aware(value: dt.datetime, tz) -> dt.datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(dt.UTC)


def check_definition(data: CallInput) -> dict[str, list[str]]:
    """Every problem of a call's form, keyed by the part it is in ("fields", "eligibility", ...)."""
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    tz = None
    try:
        tz = resolve_time_zone(data.time_zone)
    except TimeZoneError:
        add("time_zone", _("Unknown time zone “%(value)s”: use an IANA name such as Europe/Paris.") % {"value": data.time_zone})
    if data.opens is None:
        add("opens", _("Give the date and time the call opens."))
    if data.closes is None:
        add("closes", _("Give the date and time the call closes."))
    if tz is not None and data.opens and data.closes and _aware(data.closes, tz) <= _aware(data.opens, tz):
        add("closes", _("The call must close after it opens."))
    known_languages = {code for code, _name in CONTENT_LANGUAGES}
    if not data.languages:
        add("languages", _("Choose at least one language the call accepts."))
    for code in data.languages:
        if code not in known_languages:
            add("languages", _("Unknown language code “%(code)s”.") % {"code": code})
    if data.audience not in Audience.values:
        add("audience", _("Choose who may answer."))
    if not data.fields:
        add("fields", _("A call needs at least one field."))
    seen: dict[str, int] = {}
    roles: dict[str, str] = {}
    for number, spec in enumerate(data.fields, start=1):
        label = spec.name or str(number)
        if not NAME.match(spec.name or ""):
            add("fields", _("Field “%(name)s”: a name is lower-case letters, digits and _, starting with a letter.") % {"name": label})
        if spec.name in seen:
            add("fields", _("Two fields are named “%(name)s”; each field needs its own name.") % {"name": spec.name})
        seen.setdefault(spec.name, number)
        if spec.type not in FieldType.values:
            add("fields", _("Field “%(name)s”: unknown type “%(type)s”; use one of %(types)s.") % {
                "name": label, "type": spec.type, "types": ", ".join(FieldType.values)})
        if not (spec.label or "").strip():
            add("fields", _("Field “%(name)s”: give it a label.") % {"name": label})
        if spec.type in CHOICE_TYPES:
            options = [c.strip() for c in spec.choices if c.strip()]
            if not options:
                add("fields", _("The choice field “%(name)s” has no options.") % {"name": label})
            elif len(set(options)) != len(options):
                add("fields", _("The choice field “%(name)s” lists an option twice.") % {"name": label})
        if spec.step < 1:
            add("fields", _("Field “%(name)s”: steps are numbered from 1.") % {"name": label})
        if spec.role:
            if spec.role not in FieldRole.values:
                add("fields", _("Field “%(name)s”: unknown role “%(role)s”.") % {"name": label, "role": spec.role})
            elif spec.role in roles:
                add("fields", _("Fields “%(first)s” and “%(name)s” both have the role “%(role)s”.") % {
                    "first": roles[spec.role], "name": label, "role": spec.role})
            else:
                roles[spec.role] = label
            wanted = {FieldRole.TITLE: {FieldType.TEXT}, FieldRole.SUMMARY: {FieldType.TEXT, FieldType.LONG_TEXT},
                      FieldRole.COUNTRY: {FieldType.COUNTRY}, FieldRole.AREA: CHOICE_TYPES}.get(spec.role)
            if wanted and spec.type not in wanted:
                add("fields", _("Field “%(name)s”: the role “%(role)s” needs a field of type %(types)s.") % {
                    "name": label, "role": spec.role, "types": " / ".join(sorted(wanted))})
    questions = set()
    for spec in data.eligibility:
        if not NAME.match(spec.name or ""):
            add("eligibility", _("Question “%(name)s”: a name is lower-case letters, digits and _.") % {"name": spec.name})
        if spec.name in questions or spec.name in seen:
            add("eligibility", _("The name “%(name)s” is used twice; questions and fields need their own names.") % {"name": spec.name})
        questions.add(spec.name)
        if not spec.question.strip() or not spec.reason.strip():
            add("eligibility", _("Question “%(name)s”: give the question and the reason shown when it stops.") % {"name": spec.name})
    for address in data.invitations:
        try:
            validate_email(address)
        except ValidationError:
            add("invitations", _("“%(address)s” is not an email address.") % {"address": address})
    if data.audience == Audience.INVITED and not data.invitations:
        add("invitations", _("A call for invited focal points needs at least one invited address."))
    if data.is_catalogue and FieldRole.TITLE not in roles:
        add("fields", _("A catalogue needs a field with the role “title”."))
    return errors


@transaction.atomic
def save_call(user, item: Item, data: CallInput) -> Call:
    """Create or change the form of a call item. Refused with every problem named; nothing half-saved."""
    if item.kind != ItemKind.CALL:
        raise WorkflowError(_("Only items of the kind “call” take a form."))
    if not can_manage_call(user, item):
        raise PermissionDenied(_("You may not define this call's form."))
    errors = check_definition(data)
    if errors:
        raise ValidationError(errors)
    tz = resolve_time_zone(data.time_zone)
    call = Call.objects.select_for_update().filter(item=item).first()
    action = CallAction.CHANGE if call else CallAction.DEFINE
    call = call or Call(item=item)
    call.opens_at = _aware(data.opens, tz)
    call.closes_at = _aware(data.closes, tz)
    call.time_zone = normalize_time_zone(data.time_zone)
    call.languages = list(data.languages)
    call.audience = data.audience
    call.is_catalogue = data.is_catalogue
    call.save()
    call.fields.all().delete()
    CallField.objects.bulk_create([
        CallField(call=call, name=s.name, label=s.label.strip(), type=s.type, required=s.required,
                  choices=[c.strip() for c in s.choices if c.strip()] if s.type in CHOICE_TYPES else [],
                  step=s.step, role=s.role or "", help_text=s.help_text.strip(), position=n)
        for n, s in enumerate(data.fields)
    ])
    call.eligibility.all().delete()
    EligibilityQuestion.objects.bulk_create([
        EligibilityQuestion(call=call, name=q.name, question=q.question.strip(), expected=q.expected,
                            reason=q.reason.strip(), position=n)
        for n, q in enumerate(data.eligibility)
    ])
    call.invitations.all().delete()
    Invitation.objects.bulk_create([Invitation(call=call, email=a.strip().lower()) for a in sorted(set(data.invitations))])
    CallAudit.objects.create(call=call, actor=_actor(user), action=action,
                             note=ngettext("%(n)d field, closes %(when)s", "%(n)d fields, closes %(when)s", len(data.fields)) % {"n": len(data.fields), "when": _when(call.local_close(), call)})
    # The item's deadline is the close's local day: the calendar, feeds and editions show it.
    close_day = call.local_close().date()
    if item.deadline != close_day:
        item.deadline = close_day
        item.compute_derived()
        item.save(update_fields=["deadline", "sort_date", "body_html", "updated_at"])
        AuditEntry.objects.create(item=item, actor=_actor(user), action=AuditAction.EDIT, from_state=item.state,
                                  to_state=item.state, note="deadline (from the call's close)")
        transaction.on_commit(lambda: item_changed.send(sender=Item, item=item))
    return call


def _actor(user):
    return user if getattr(user, "pk", None) else None


# --- answers ---------------------------------------------------------------------------------------------

def _country_codes() -> set[str]:
    return set(Country.objects.values_list("code", flat=True))


def clean_answer(spec: CallField, value, countries: set[str] | None = None):
    """The stored form of one answer, or a ValidationError saying what is wrong. None/"" means no answer."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    t = spec.type
    if t in {FieldType.TEXT, FieldType.LONG_TEXT}:
        if not isinstance(value, str):
            raise ValidationError(_("Give text."))
        value = value.strip()
        limit = TEXT_LIMIT if t == FieldType.TEXT else LONG_TEXT_LIMIT
        if len(value) > limit:
            raise ValidationError(_("At most %(n)d characters (this answer has %(m)d).") % {"n": limit, "m": len(value)})
        return value or None
    if t == FieldType.CHOICE:
        if value not in spec.choices:
            raise ValidationError(_("“%(value)s” is not one of the options.") % {"value": value})
        return value
    if t == FieldType.MULTI_CHOICE:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValidationError(_("Give a list of options."))
        unknown = [v for v in values if v not in spec.choices]
        if unknown:
            raise ValidationError(_("“%(value)s” is not one of the options.") % {"value": unknown[0]})
        return [c for c in spec.choices if c in values]
    if t == FieldType.COUNTRY:
        code = value.strip().upper() if isinstance(value, str) else ""
        if code not in (countries if countries is not None else _country_codes()):
            raise ValidationError(_("Give a country as its two-letter ISO 3166 code (“KE”, “UY”)."))
        return code
    if t == FieldType.DATE:
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise ValidationError(_("Give a date as YYYY-MM-DD.")) from None
    if t == FieldType.URL:
        value = str(value).strip()
        web_url(value)
        return value
    if t == FieldType.YES_NO:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"yes", "true"}:
            return True
        if text in {"no", "false"}:
            return False
        raise ValidationError(_("Answer yes or no."))
    if t == FieldType.CONTACT:
        if not isinstance(value, dict):
            raise ValidationError(_("Give the contact person's name and email."))
        name = str(value.get("name") or "").strip()
        email = str(value.get("email") or "").strip()
        if not name and not email:
            return None
        if not name:
            raise ValidationError(_("Give the contact person's name."))
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("Give the contact person's email address.")) from None
        return {"name": name[:200], "email": email}
    if t == FieldType.FILE:
        raise ValidationError(_("Upload the file with the web form."))
    raise ValidationError(_("Unknown field type."))


def _display(spec: CallField, value) -> str:
    if value is None:
        return ""
    if spec.type == FieldType.MULTI_CHOICE:
        return "; ".join(value)
    if spec.type == FieldType.YES_NO:
        return _("Yes") if value else _("No")
    if spec.type == FieldType.CONTACT:
        return f"{value['name']} <{value['email']}>"
    if spec.type == FieldType.COUNTRY:
        return Country.objects.filter(pk=value).values_list("name", flat=True).first() or value
    return str(value)


def answer_rows(submission: Submission) -> list[tuple[CallField, str]]:
    """(field, answer as text) in the form's order: for the receipt, the queue and the entry page."""
    files = {f.field: f for f in submission.files.all()}
    rows = []
    for spec in submission.call.ordered_fields():
        if spec.type == FieldType.FILE:
            stored = files.get(spec.name)
            rows.append((spec, _("file attached (%(kb)d KB)") % {"kb": max(1, stored.size // 1024)} if stored else ""))
        else:
            rows.append((spec, _display(spec, submission.answers.get(spec.name))))
    return rows


# --- files -----------------------------------------------------------------------------------------------

def scan_file(upload) -> str | None:
    """Ask the configured virus scanner about an upload: None when clean, else the reason.

    `CALLS_VIRUS_SCAN` is empty (no scan), a dotted path to a callable `scan(file) -> None | reason`, or
    `cmd:` and a command line run with the file's path added (exit 0 clean, 1 infected, anything else:
    the scan failed and the file is refused)."""
    hook = (getattr(settings, "CALLS_VIRUS_SCAN", "") or "").strip()
    if not hook:
        return None
    upload.seek(0)
    if hook.startswith("cmd:"):
        with tempfile.NamedTemporaryFile() as copy:
            for chunk in iter(lambda: upload.read(64 * 1024), b""):
                copy.write(chunk)
            copy.flush()
            upload.seek(0)
            try:
                result = subprocess.run([*shlex.split(hook[4:]), copy.name], capture_output=True, timeout=120)
            except (OSError, subprocess.TimeoutExpired):
                return _("the virus scan could not run; try again later.")
        if result.returncode == 0:
            return None
        if result.returncode == 1:
            return _("the virus scan found a threat in this file.")
        return _("the virus scan could not check this file; try again later.")
    module, _dot, name = hook.replace(":", ".").rpartition(".")
    scanner = getattr(importlib.import_module(module), name)
    try:
        verdict = scanner(upload)
    finally:
        upload.seek(0)
    return str(verdict) if verdict else None


def _check_upload(spec: CallField, upload) -> str | None:
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        return _("%(label)s: the file is %(size).1f MB; the limit is %(limit)d MB.") % {
            "label": spec.label, "size": upload.size / 1024 / 1024, "limit": settings.MAX_UPLOAD_MB}
    found = uploads.detect(upload)
    if found not in uploads.DOCUMENT_TYPES:
        return _("%(label)s: this file is %(found)s; upload a PDF, a Word, Excel or PowerPoint file, or an OpenDocument file.") % {
            "label": spec.label, "found": found.label}
    threat = scan_file(upload)
    if threat:
        return f"{spec.label}: {threat}"
    return None


# --- submissions -----------------------------------------------------------------------------------------

def _audit(submission, actor, action, from_state="", to_state="", note=""):
    SubmissionAudit.objects.create(submission=submission, actor=_actor(actor), action=action,
                                   from_state=from_state, to_state=to_state, note=note)


def _check_open(call: Call, now: dt.datetime | None) -> dt.datetime:
    now = now or timezone.now()
    if not call.is_open(now):
        raise WindowClosed(call, now)
    return now


@transaction.atomic
def start_submission(call: Call, *, user=None, email: str = "", partner=None, language: str = "",
                     now: dt.datetime | None = None) -> Submission:
    """The person's draft on this call: the one they already have (draft or returned), or a new one."""
    if not may_answer(call, user=user, email=email, partner=partner):
        raise PermissionDenied(_("You may not answer this call."))
    authenticated = bool(getattr(user, "is_authenticated", False))
    address = (email or (user.email if authenticated else "")).strip().lower()
    mine = Submission.objects.select_for_update().filter(call=call, state__in=EDITABLE_STATES)
    if partner is None:
        existing = mine.filter(user=user).first() if authenticated else None
        existing = existing or (mine.filter(email=address, partner=None).first() if address else None)
        if existing:
            return existing
    _check_open(call, now)
    submission = Submission.objects.create(
        call=call, email=address, user=user if authenticated else None, partner=partner,
        language=language if language in call.languages else (call.languages[0] if call.languages else ""))
    _audit(submission, user, SubmissionAction.CREATE, "", SubmissionState.DRAFT)
    return submission


def answer_eligibility(submission: Submission, answers: dict, *, actor=None, now=None) -> None:
    """Record the eligibility answers; the first answer that stops raises NotEligible with its reason
    (the answers stay recorded, so the page shows them and submitting stays refused)."""
    with transaction.atomic():
        _record_eligibility(submission, answers, now)
    for question in submission.call.eligibility.all():
        if submission.eligibility_answers[question.name] != question.expected:
            raise NotEligible(question)


def _record_eligibility(submission, answers, now) -> None:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.state not in EDITABLE_STATES:
        raise WorkflowError(_("This submission can no longer be changed."))
    _check_open(submission.call, now)
    errors = {}
    given = {}
    for question in submission.call.eligibility.all():
        value = answers.get(question.name)
        if isinstance(value, str):
            value = {"yes": True, "no": False, "true": True, "false": False}.get(value.strip().lower())
        if not isinstance(value, bool):
            errors[question.name] = [_("Answer yes or no.")]
            continue
        given[question.name] = value
    if errors:
        raise AnswerErrors(errors)
    submission.eligibility_answers = given
    submission.save(update_fields=["eligibility_answers", "updated_at"])


def eligibility_problem(submission: Submission):
    """The first question whose answer is missing or stops the submission, or None."""
    for question in submission.call.eligibility.all():
        if submission.eligibility_answers.get(question.name) != question.expected:
            return question
    return None


def _derive(submission: Submission) -> None:
    call = submission.call
    answers = submission.answers
    title_field = call.field_by_role(FieldRole.TITLE)
    country_field = call.field_by_role(FieldRole.COUNTRY)
    submission.title = (answers.get(title_field.name) or "")[:300] if title_field else ""
    submission.title_key = title_key(submission.title)
    submission.country = (answers.get(country_field.name) or "") if country_field else ""
    sub_region = m49.COUNTRY_REGION.get(submission.country)
    submission.region = m49.ancestors(sub_region)[-2] if sub_region else ""
    texts = []
    for spec in call.ordered_fields():
        value = answers.get(spec.name)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            texts.extend(value)
    submission.search_text = fold(" ".join(texts)).lower()


def title_key(title: str) -> str:
    """A title folded for comparison: no accents, no case, no punctuation, single spaces."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(title).lower()).split())[:300]


def _save_areas(submission: Submission) -> None:
    area_field = submission.call.field_by_role(FieldRole.AREA)
    value = submission.answers.get(area_field.name) if area_field else None
    wanted = [value] if isinstance(value, str) else list(value or [])
    submission.area_rows.exclude(area__in=wanted).delete()
    have = set(submission.area_rows.values_list("area", flat=True))
    SubmissionArea.objects.bulk_create([
        SubmissionArea(submission=submission, area=a, call_id=submission.call_id,
                       is_public=submission.state == SubmissionState.ACCEPTED) for a in wanted if a not in have])


def save_answers(submission: Submission, answers: dict, files: dict | None = None, *, actor=None,
                 step: int | None = None, require: bool = False, now: dt.datetime | None = None) -> Submission:
    """Save answers to a draft (or a returned submission). The answers that are valid are kept even
    when others are refused; the refused ones then raise AnswerErrors naming each field, after the
    valid ones are committed. With `require`, the required fields of `step` (or of every step when
    step is None) must be answered."""
    with transaction.atomic():
        errors = _save_answers(submission, answers, files or {}, step=step, require=require, now=now, actor=actor)
    if errors:
        raise AnswerErrors(errors)
    return submission


def _save_answers(submission, answers, files, *, step, require, now, actor=None) -> dict[str, list[str]]:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.state not in EDITABLE_STATES:
        raise WorkflowError(_("This submission has been sent and can no longer be changed."))
    call = submission.call
    _check_open(call, now)
    specs = {s.name: s for s in call.ordered_fields()}
    errors: dict[str, list[str]] = {}
    for name in answers:
        if name not in specs:
            errors[name] = [_("This call has no field named “%(name)s”.") % {"name": name}]
    countries = _country_codes()
    stored = dict(locked.answers)
    for name, value in answers.items():
        spec = specs.get(name)
        if spec is None:
            continue
        if spec.type == FieldType.FILE:
            if value not in (None, ""):
                errors[name] = [_("%(label)s: upload the file with the web form.") % {"label": spec.label}]
            continue
        try:
            cleaned = clean_answer(spec, value, countries)
        except ValidationError as error:
            errors[name] = [f"{spec.label}: {m}" for m in error.messages]
            continue
        if cleaned is None:
            stored.pop(name, None)
        else:
            stored[name] = cleaned
    attached = []
    for name, upload in files.items():
        spec = specs.get(name)
        if spec is None or spec.type != FieldType.FILE:
            errors[name] = [_("This call has no file field named “%(name)s”.") % {"name": name}]
            continue
        problem = _check_upload(spec, upload)
        if problem:
            errors[name] = [problem]
            continue
        SubmissionFile.objects.filter(submission=locked, field=name).delete()
        attachment = SubmissionFile(submission=locked, field=name, size=upload.size)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        attached.append(name)
    changed = sorted({n for n in set(stored) | set(locked.answers) if stored.get(n) != locked.answers.get(n)}
                     | set(attached))
    submission.answers = stored
    submission.state = locked.state
    submission.step_reached = max(locked.step_reached, step or 0)
    _derive(submission)
    submission.save(update_fields=["answers", "title", "title_key", "country", "region", "search_text",
                                   "step_reached", "updated_at"])
    _save_areas(submission)
    # the draft saved: which answers changed (names, not values: the audit log is no copy of the answers)
    where = _("step %(step)d") % {"step": step} if step else _("all steps")
    _audit(locked, actor, SubmissionAction.SAVE, locked.state, locked.state,
           _("%(where)s: %(fields)s") % {"where": where, "fields": ", ".join(changed)} if changed
           else _("%(where)s: no answer changed") % {"where": where})
    if require:
        for spec in specs.values():
            if (step is None or spec.step == step) and spec.required and spec.name not in errors:
                if not _answered(submission, spec):
                    errors[spec.name] = [_("%(label)s: this answer is required.") % {"label": spec.label}]
    return errors


def _answered(submission: Submission, spec: CallField) -> bool:
    if spec.type == FieldType.FILE:
        return submission.files.filter(field=spec.name).exists()
    return spec.name in submission.answers


@transaction.atomic
def submit_submission(submission: Submission, *, actor=None, now: dt.datetime | None = None,
                      quiet: bool = False) -> Submission:
    """Send the answers: every required answer given, eligibility passed, before the close. A receipt
    with a copy of the answers goes to the submitter's address; a possible duplicate is flagged."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.state not in EDITABLE_STATES:
        raise WorkflowError(_("This submission has already been sent."))
    call = submission.call
    now = _check_open(call, now)
    question = eligibility_problem(locked)
    if question is not None:
        if question.name in locked.eligibility_answers:
            raise NotEligible(question)
        raise AnswerErrors({question.name: [_("Answer the question “%(q)s” first.") % {"q": question.question}]})
    errors = {}
    for spec in call.ordered_fields():
        if spec.required and not _answered(locked, spec):
            errors[spec.name] = [_("%(label)s: this answer is required.") % {"label": spec.label}]
    if errors:
        raise AnswerErrors(errors)
    before = locked.state
    locked.state = SubmissionState.SUBMITTED
    locked.submitted_at = now
    local = now.astimezone(call.tzinfo)
    locked.year = local.year
    locked.month = f"{local:%Y-%m}"
    locked.return_reason = ""
    locked.duplicate_of = find_duplicate(locked)
    locked.save(update_fields=["state", "submitted_at", "year", "month", "return_reason", "duplicate_of", "updated_at"])
    _audit(locked, actor, SubmissionAction.SUBMIT, before, SubmissionState.SUBMITTED,
           _("possible duplicate of #%(pk)d") % {"pk": locked.duplicate_of_id} if locked.duplicate_of_id else "")
    if not quiet:  # the demo loader is quiet: its fictional submitters get no receipt
        _send(locked, "call-receipt")
    return locked


def find_duplicate(submission: Submission):
    """An earlier answer to the same call from the same country with a near-identical title, or None."""
    if not submission.title_key or not submission.country:
        return None
    candidates = (Submission.objects.filter(call=submission.call, country=submission.country)
                  .exclude(pk=submission.pk).exclude(state__in=[SubmissionState.DRAFT, SubmissionState.DECLINED])
                  .order_by("submitted_at", "id").values_list("pk", "title_key"))
    for pk, key in candidates:
        if key and difflib.SequenceMatcher(None, key, submission.title_key).ratio() >= DUPLICATE_RATIO:
            return Submission.objects.get(pk=pk)
    return None


def _send(submission: Submission, template: str) -> None:
    address = submission.email or (submission.user.email if submission.user_id else "")
    if not address:
        return
    context = {"submission": submission, "call": submission.call, "rows": answer_rows(submission),
               "edit_url": settings.SITE_URL + submission_link(submission)}
    transaction.on_commit(lambda: notify.send_templated(template, [address], context))


def submission_link(submission: Submission) -> str:
    """A signed, expiring address that brings the submitter back to their submission."""
    from django.urls import reverse

    from .tokens import make_token

    return reverse("calls:resume", args=[submission.call.slug, make_token(submission.call, submission.email, submission.pk)])


# --- moderation ------------------------------------------------------------------------------------------

@transaction.atomic
def decide_submission(user, submission: Submission, decision: str, reason: str = "", *, quiet: bool = False) -> Submission:
    """Accept, return for changes (with a reason; the submitter may edit again) or decline."""
    locked = Submission.objects.select_for_update().select_related("call__item").get(pk=submission.pk)
    if not can_manage_call(user, locked.call.item):
        raise PermissionDenied(_("You may not moderate this call."))
    targets = {"accept": (SubmissionState.ACCEPTED, SubmissionAction.ACCEPT),
               "return": (SubmissionState.RETURNED, SubmissionAction.RETURN),
               "decline": (SubmissionState.DECLINED, SubmissionAction.DECLINE)}
    if decision not in targets:
        raise ValueError(f"Unknown decision {decision!r}")
    if locked.state not in DECIDABLE_STATES:
        raise WorkflowError(_("Only submitted answers can be decided; this one is “%(state)s”.") % {
            "state": locked.get_state_display()})
    reason = (reason or "").strip()
    if decision == "return" and not reason:
        raise ValidationError({"reason": [_("Say what should change: the submitter reads this reason.")]})
    to_state, action = targets[decision]
    before = locked.state
    locked.state = to_state
    locked.decided_at = timezone.now()
    locked.return_reason = reason if decision == "return" else ""
    locked.decision_note = reason
    locked.save(update_fields=["state", "decided_at", "return_reason", "decision_note", "updated_at"])
    SubmissionArea.objects.filter(submission=locked).update(is_public=to_state == SubmissionState.ACCEPTED)
    if SubmissionState.ACCEPTED in (before, to_state) and locked.call.is_catalogue:
        from .catalogue import bump_version

        bump_version(locked.call_id)
    _audit(locked, user, action, before, to_state, reason)
    if not quiet:
        _send(locked, f"call-{decision}")
    submission.state = locked.state
    return locked
