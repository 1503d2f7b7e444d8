"""Every change to a subscriber, with its consent record."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerpost.lib import csvcells
from partnerpost.notify import send_templated

from .enums import ConsentAction, ConsentSource, SubscriberStatus
from .models import ConsentRecord, Subscriber, hash_ip
from .tokens import make_token

CONFIRMATION_INTERVAL = 3600  # seconds between two confirmation emails delivered to one address


class AddressError(ValueError):
    pass


# A plain ASCII local part ("dot-atom", RFC 5322): the common case, checked here directly.
_DOT_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


def check_address(raw: str) -> str:
    """The address normalized, or AddressError saying what is wrong with it.

    email-validator does the checking. Its domain checks are the slow part, so each domain
    is checked once and remembered; unusual local parts take the full path every time.
    """
    address = (raw or "").strip()
    local, at, domain = address.rpartition("@")
    if at and len(local) <= 64 and len(address) <= 254 and _DOT_ATOM.match(local):
        return f"{local}@{_checked_domain(domain.lower(), settings.EMAIL_CHECK_DELIVERABILITY)}"
    return _validate(address, settings.EMAIL_CHECK_DELIVERABILITY).normalized


def _validate(address, deliverability):
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(address, check_deliverability=deliverability)
    except EmailNotValidError as exc:
        raise AddressError(str(exc)) from None


@functools.lru_cache(maxsize=20000)
def _checked_domain(domain: str, deliverability: bool) -> str:
    return _validate(f"postmaster@{domain}", deliverability).domain


def _consent(subscriber, action, source, *, text="", ip=None, operator=None, note=""):
    ConsentRecord.objects.create(
        subscriber=subscriber, action=action, source=source, text_shown=text, ip_hash=hash_ip(ip),
        operator=operator, note=note[:300],
    )


def links(subscriber) -> dict:
    """The personal preferences and unsubscribe URLs that go into every newsletter."""
    token = make_token(subscriber, "manage")
    preferences, unsubscribe = _link_patterns(settings.SITE_URL)
    return {"preferences_url": preferences.replace("TOKEN", token), "unsubscribe_url": unsubscribe.replace("TOKEN", token)}


@functools.lru_cache(maxsize=4)
def _link_patterns(site_url):
    return (site_url + reverse("audience:preferences", args=["TOKEN"]), site_url + reverse("audience:unsubscribe", args=["TOKEN"]))


def send_confirmation(subscriber) -> int:
    """Email the confirmation link now; returns how many messages went out (0 if the relay failed)."""
    url = settings.SITE_URL + reverse("audience:confirm", args=[make_token(subscriber, "confirm")])
    return send_templated("confirm-subscription", [subscriber.email], {"subscriber": subscriber, "confirm_url": url})


def confirmation_due(subscriber) -> bool:
    """Whether a confirmation should go to this subscriber now: pending, and none delivered within the hour.

    Only a confirmation that was actually handed to the relay counts: a try while the relay was down
    leaves `confirmation_sent_at` as it was, so the next try is not throttled."""
    if subscriber.status != SubscriberStatus.PENDING:
        return False  # confirmed already, unsubscribed meanwhile, or bounced or complained: never mailed on a form's word
    sent = subscriber.confirmation_sent_at
    return not sent or (timezone.now() - sent).total_seconds() >= CONFIRMATION_INTERVAL


def deliver_confirmation(subscriber) -> bool:
    """Send the confirmation if it is due, and record it only once the relay took it. False if it did not go out."""
    if not confirmation_due(subscriber):
        return True
    if not send_confirmation(subscriber):
        return False
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=timezone.now())
    return True


@transaction.atomic
def request_subscription(email, *, name="", language="en", partners=(), themes=(), ip=None, text_shown="") -> None:
    """Double opt-in, step one. Says nothing about whether the address was known, not even by its timing.

    New, pending, confirmed, unsubscribed or bounced: every address takes this one path, writes one
    consent record and queues one `send_confirmation` task. The task, in the background, decides
    whether a message is due (only to a pending address, at most one delivered per hour) and sends it."""
    from .tasks import send_confirmation as confirmation_task

    address = check_address(email)
    subscriber = Subscriber.objects.select_for_update().filter(email_key=address.lower()).first()
    if subscriber is None:
        subscriber = Subscriber(email=address, name=name, language=language)
        subscriber.save()
        subscriber.partners.set(partners)
        subscriber.themes.set(themes)
    _consent(subscriber, ConsentAction.SUBSCRIBE, ConsentSource.WEB_FORM, text=text_shown, ip=ip)
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        # Someone who left and asks again confirms again. Confirmed, bounced and complained stay as they are.
        subscriber.status = SubscriberStatus.PENDING
        subscriber.save(update_fields=["status"])
    pk = subscriber.pk
    transaction.on_commit(lambda: confirmation_task.enqueue(pk))


@transaction.atomic
def confirm(subscriber, *, ip=None) -> bool:
    """Double opt-in, step two. Returns False if there was nothing to confirm."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != SubscriberStatus.PENDING:
        return subscriber.status == SubscriberStatus.CONFIRMED
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["status", "confirmed_at"])
    _consent(subscriber, ConsentAction.CONFIRM, ConsentSource.EMAIL_LINK, ip=ip)
    return True


@transaction.atomic
def update_preferences(subscriber, *, name, language, partners, themes, ip=None) -> None:
    subscriber.name, subscriber.language = name, language
    subscriber.save(update_fields=["name", "language"])
    subscriber.partners.set(partners)
    subscriber.themes.set(themes)
    _consent(subscriber, ConsentAction.PREFERENCES, ConsentSource.EMAIL_LINK, ip=ip,
             note=f"language={language}; partners={len(partners)}; themes={len(themes)}")


@transaction.atomic
def unsubscribe(subscriber, *, source=ConsentSource.EMAIL_LINK, ip=None) -> None:
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return
    subscriber.status = SubscriberStatus.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    _consent(subscriber, ConsentAction.UNSUBSCRIBE, source, ip=ip)


@transaction.atomic
def record_hard_bounce(subscriber_id: int, reply: str) -> bool:
    """Count a permanent failure; the subscriber is marked bounced after BOUNCE_LIMIT of them."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber_id)
    subscriber.hard_bounces += 1
    fields = ["hard_bounces"]
    bounced = subscriber.hard_bounces >= settings.BOUNCE_LIMIT and subscriber.status == SubscriberStatus.CONFIRMED
    if bounced:
        subscriber.status = SubscriberStatus.BOUNCED
        fields.append("status")
        _consent(subscriber, ConsentAction.BOUNCE, ConsentSource.DELIVERY, note=reply)
    subscriber.save(update_fields=fields)
    return bounced


@transaction.atomic
def record_complaint(subscriber_id: int, note: str) -> bool:
    """A complaint (a "this is spam" report passed on by a mail provider, RFC 5965): the subscriber
    stops receiving at once, marked complained, with a consent record. False if already complained."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber_id)
    if subscriber.status == SubscriberStatus.COMPLAINED:
        return False
    subscriber.status = SubscriberStatus.COMPLAINED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    _consent(subscriber, ConsentAction.UNSUBSCRIBE, ConsentSource.DELIVERY, note=note)
    return True


# CSV ------------------------------------------------------------------------------

CSV_COLUMNS = ["email", "name", "language", "organization", "country", "status", "confirmed_at", "created_at"]


@dataclass
class ImportReport:
    created: int = 0
    merged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    #: True when the file named partners or themes that do not exist: then nothing at all was imported.
    refused: bool = False

    @property
    def ok(self):
        return self.created + self.merged


def import_csv(stream, *, operator=None, confirmed=False, send_confirmations=False, statement="", progress=None) -> ImportReport:
    """Import subscribers from CSV (an email column; name, language, organization, country, partners, themes optional).

    Good rows are imported, bad rows reported by line, duplicates merged (first value wins for
    empty fields). Nobody is emailed unless send_confirmations is set. With `confirmed`, the
    operator's statement of prior consent is recorded for each new or pending subscriber.

    `partners` (partner acronyms) and `themes` (theme slugs), several separated by ";", are what
    the subscriber follows (targeted editions). They are given to new subscribers, and to existing
    ones who follow none yet. One unknown acronym or slug anywhere refuses the whole file
    (`report.refused`): a list imported without its preferences would send people what they did
    not choose.
    """
    from partnerpost.content.models import CONTENT_LANGUAGES, Country, Theme
    from partnerpost.network.models import Partner

    languages = {code for code, _ in CONTENT_LANGUAGES}
    countries = set(Country.objects.values_list("code", flat=True))
    known = {
        "partners": {acronym.lower(): pk for acronym, pk in Partner.objects.values_list("acronym", "pk")},
        "themes": {slug.lower(): pk for slug, pk in Theme.objects.values_list("slug", "pk")},
    }
    unknown = []
    report = ImportReport()
    reader = csv.DictReader(stream)
    fields = {f.strip().lower(): f for f in (reader.fieldnames or [])}
    if any("\x00" in name for name in fields):
        report.errors.append((1, _("The header contains a NUL character, which is not allowed; is this a CSV file?")))
        return report
    if "email" not in fields:
        report.errors.append((1, _("The header has no “email” column (found: %(cols)s).") % {"cols": ", ".join(reader.fieldnames or []) or "nothing"}))
        return report
    rows: dict[str, dict] = {}
    for line, raw in enumerate(reader, start=2):
        row = {key: (raw.get(original) or "").strip() for key, original in fields.items()}
        nul = next((key for key, value in row.items() if "\x00" in value), None)
        if nul is not None:
            # PostgreSQL cannot store NUL in text; refused here on every database alike.
            report.errors.append((line, _("%(column)s contains a NUL character, which is not allowed") % {"column": nul}))
            continue
        try:
            address = check_address(row["email"])
        except AddressError as exc:
            report.errors.append((line, _("email %(value)r: %(error)s") % {"value": row["email"], "error": exc}))
            continue
        language = (row.get("language") or "en").lower()
        if language not in languages:
            report.errors.append((line, _("language %(value)r is not a language code such as en, fr or es") % {"value": row.get("language")}))
            continue
        country = (row.get("country") or "").upper()
        if country and country not in countries:
            report.errors.append((line, _("country %(value)r is not an ISO 3166 code such as CR or SI") % {"value": row.get("country")}))
            continue
        chosen = {}
        for column in ("partners", "themes"):
            values = [value.strip() for value in (row.get(column) or "").split(";") if value.strip()]
            for value in values:
                if value.lower() not in known[column]:
                    unknown.append((line, column, value))
            chosen[column] = {known[column][v.lower()] for v in values if v.lower() in known[column]}
        key = address.lower()
        if key in rows:
            for name in ("name", "organization"):
                rows[key][name] = rows[key][name] or row.get(name, "")
            for column in ("partners", "themes"):
                rows[key][column] = rows[key][column] or chosen[column]
            report.merged += 1
            continue
        rows[key] = {"email": address, "name": row.get("name", "")[:200], "language": language,
                     "organization": row.get("organization", "")[:200], "country": country or None, "line": line,
                     **chosen}
    if unknown:
        for line, column, value in unknown:
            message = (_("partners: %(value)r is not the acronym of a partner") if column == "partners"
                       else _("themes: %(value)r is not the slug of a theme")) % {"value": value}
            report.errors.append((line, message))
        report.errors.sort(key=lambda error: error[0])
        report.refused = True
        report.merged = 0
        return report
    if progress:
        progress(len(rows))
    now = timezone.now()
    keys = list(rows)
    with transaction.atomic():
        existing = {}
        for start in range(0, len(keys), 500):
            existing.update({s.email_key: s for s in Subscriber.objects.filter(email_key__in=keys[start:start + 500])})
        new, touched = [], []
        for key, row in rows.items():
            if key in existing:
                subscriber = existing[key]
                changed = False
                for name in ("name", "organization"):
                    if row[name] and not getattr(subscriber, name):
                        setattr(subscriber, name, row[name])
                        changed = True
                if changed:
                    touched.append(subscriber)
                report.merged += 1
            else:
                new.append((row["email"], key, row["name"], row["language"], row["organization"], row["country"]))
        _insert_subscribers(new, now, confirmed)
        Subscriber.objects.bulk_update(touched, ["name", "organization"], batch_size=1000)
        report.created = len(new)
        ids = _ids(new)
        note = (statement or _("Imported from CSV"))[:300]
        _insert_consents(ids, now, operator, statement if confirmed else "", note)
        _insert_choices(rows, existing)
    if send_confirmations and not confirmed:
        for start in range(0, len(ids), 500):
            for subscriber in Subscriber.objects.filter(id__in=ids[start:start + 500], status=SubscriberStatus.PENDING):
                deliver_confirmation(subscriber)
    return report


def _insert_choices(rows: dict, existing: dict):
    """The partners and themes of the imported rows: for new subscribers, and for existing ones
    who follow none of that kind yet (a subscriber's own choices are never overwritten)."""
    wanted = {key: row for key, row in rows.items() if row["partners"] or row["themes"]}
    if not wanted:
        return
    keys = list(wanted)
    ids = {}
    for start in range(0, len(keys), 900):
        ids.update(Subscriber.objects.filter(email_key__in=keys[start:start + 900]).values_list("email_key", "pk"))
    for column, through, target in (("partners", Subscriber.partners.through, "partner_id"),
                                    ("themes", Subscriber.themes.through, "theme_id")):
        chosen = {ids[key]: row[column] for key, row in wanted.items() if row[column]}
        followed = set()
        old = [ids[key] for key in wanted if key in existing]
        for start in range(0, len(old), 900):
            followed |= set(through.objects.filter(subscriber_id__in=old[start:start + 900]).values_list("subscriber_id", flat=True))
        through.objects.bulk_create(
            [through(subscriber_id=pk, **{target: value}) for pk, values in chosen.items() if pk not in followed for value in sorted(values)],
            batch_size=1000,
        )


def _insert_subscribers(new, now, confirmed):
    """Plain executemany: the ORM's bulk_create spends most of its time preparing values."""
    from django.db import connection

    table = Subscriber._meta.db_table
    now = connection.ops.adapt_datetimefield_value(now)
    status = SubscriberStatus.CONFIRMED if confirmed else SubscriberStatus.PENDING
    confirmed_at = now if confirmed else None
    sql = (f"INSERT INTO {table} (email, email_key, name, language, organization, country_id, status, hard_bounces, "
           f"created_at, confirmed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, 0, %s, %s)")
    columns = "email, email_key, name, language, organization, country_id, status, hard_bounces, created_at, confirmed_at"
    rows = ((*row, status, 0, now, confirmed_at) for row in new)
    if _copy(table, columns, rows):
        return
    with connection.cursor() as cursor:
        for start in range(0, len(new), 5000):
            cursor.executemany(sql, [(*row, status, now, confirmed_at) for row in new[start:start + 5000]])


def _insert_consents(ids, now, operator, text, note):
    from django.db import connection

    table = ConsentRecord._meta.db_table
    now = connection.ops.adapt_datetimefield_value(now)
    sql = (f"INSERT INTO {table} (subscriber_id, at, action, source, text_shown, ip_hash, operator_id, note) "
           f"VALUES (%s, %s, %s, %s, %s, '', %s, %s)")
    operator_id = getattr(operator, "pk", None)
    rows = ((pk, now, ConsentAction.IMPORT, ConsentSource.CSV_IMPORT, text, "", operator_id, note) for pk in ids)
    if _copy(table, "subscriber_id, at, action, source, text_shown, ip_hash, operator_id, note", rows):
        return
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            cursor.executemany(sql, [
                (pk, now, ConsentAction.IMPORT, ConsentSource.CSV_IMPORT, text, operator_id, note) for pk in ids[start:start + 5000]
            ])


def _copy(table, columns, rows) -> bool:
    """PostgreSQL's COPY: one stream instead of a round trip per row. False on other databases."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return True


def _ids(new):
    keys = [row[1] for row in new]
    ids = []
    for start in range(0, len(keys), 900):
        ids += list(Subscriber.objects.filter(email_key__in=keys[start:start + 900]).values_list("id", flat=True))
    return ids


def export_csv(stream, queryset=None) -> int:
    """Write subscribers as CSV; text a spreadsheet would run as a formula is neutralized (lib.csvcells)."""
    writer = csvcells.writer(stream)
    writer.writerow(CSV_COLUMNS)
    count = 0
    rows = (queryset if queryset is not None else Subscriber.objects.all()).order_by("id")
    for s in rows.values_list("email", "name", "language", "organization", "country_id", "status", "confirmed_at", "created_at").iterator(chunk_size=2000):
        writer.writerow([value.isoformat() if hasattr(value, "isoformat") else (value or "") for value in s])
        count += 1
    return count
