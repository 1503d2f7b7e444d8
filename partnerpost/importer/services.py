"""The database side of importing: analyse with the known partners, store a batch for review, and turn
reviewed candidates into draft items through the content workflow."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerpost.content import workflows
from partnerpost.content.enums import DatePrecision, EventFormat, EventType, ItemKind
from partnerpost.content.models import CONTENT_LANGUAGES, Country, Item
from partnerpost.lib.timezones import TimeZoneError, normalize_time_zone, resolve_time_zone
from partnerpost.network.models import Partner
from partnerpost.network.permissions import is_editor

from .models import Decision, ImportBatch, ImportCandidate
from .parsing import fold
from .pipeline import Timer, content_hash, extract
from .reading import Rejected

can_import = is_editor


class AlreadyImported(Exception):
    def __init__(self, batch: ImportBatch):
        super().__init__(f"This file was already imported on {batch.created_at:%Y-%m-%d} as import #{batch.pk}.")
        self.batch = batch


def known_partners() -> list[dict]:
    return [{"acronym": p.acronym, "name": p.name} for p in Partner.objects.only("acronym", "name")]


def country_names() -> set[str]:
    from django_countries import countries

    names = {fold(str(name)) for _code, name in countries}
    names |= {fold(name) for name in Country.objects.values_list("name", flat=True)}
    names |= {"korea", "republic of korea", "uk", "usa", "united states", "russia", "bolivia", "venezuela",
              "iran", "tanzania", "vietnam", "viet nam", "moldova", "syria", "laos", "brasil", "espana", "mexico"}
    return names


def limits() -> dict:
    return {"max_bytes": getattr(settings, "IMPORT_MAX_BYTES", 25 * 1024 * 1024),
            "max_pages": getattr(settings, "IMPORT_MAX_PAGES", 300),
            "max_inflated": getattr(settings, "IMPORT_MAX_INFLATED_BYTES", 32 * 1024 * 1024)}


def analyse(data: bytes, filename: str, *, partner: Partner | None = None, timer: Timer | None = None) -> dict:
    """Read the document; writes nothing. Raises Rejected."""
    return extract(data, filename, known_partners(), default_partner=partner.acronym if partner else None,
                   countries=country_names(), timer=timer, **limits())


def existing_batch(data: bytes) -> ImportBatch | None:
    return ImportBatch.objects.filter(sha256=content_hash(data)).first()


def _title_key(title: str) -> str:
    return fold(title)[:200]


def find_match(data: dict) -> Item | None:
    """An existing item with the same title (and the same first day, when both have one)."""
    key = _title_key(data.get("title", ""))
    if not key:
        return None
    start = data.get("start")
    candidates = Item.objects.filter(title__iexact=data["title"]).only("pk", "title", "start_date")
    if not candidates:
        words = [w for w in key.split() if len(w) > 3][:4]
        query = Item.objects.all()
        for word in words:
            query = query.filter(title__icontains=word)
        candidates = [c for c in query.only("pk", "title", "start_date")[:20] if _title_key(c.title) == key]
    for item in candidates:
        if start is None or item.start_date is None or item.start_date.isoformat() == start:
            return item
    return None


@transaction.atomic
def store(data: bytes, filename: str, result: dict, *, user, partner: Partner | None = None) -> ImportBatch:
    """Save an analysed document for review. The same bytes are never stored twice."""
    if not can_import(user):
        raise PermissionDenied(_("Only secretariat editors may import newsletters."))
    existing = existing_batch(data)
    if existing:
        raise AlreadyImported(existing)
    period = result.get("period") or {}
    doc = result["document"]
    batch = ImportBatch.objects.create(
        file_name=filename[:255], sha256=doc["sha256"], format=doc["format"], size=len(data), pages=doc["pages"],
        partner=partner, period_label=period.get("label", "")[:120], period_start=period.get("start"),
        period_end=period.get("end"), title=(doc.get("title") or "")[:300], timings=result.get("timings", {}),
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    text = _document_text(data, filename, result)
    rows = []
    for position, found in enumerate(result["items"]):
        source = found["source"]
        rows.append(ImportCandidate(
            batch=batch, position=position, data=found, page=source["page"], span_start=source["start"],
            span_end=source["end"], source_text=text[source["start"]:source["end"]] if text else found["body"],
            match=find_match(found),
        ))
    ImportCandidate.objects.bulk_create(rows)
    return batch


def _document_text(data: bytes, filename: str, result: dict) -> str:
    from .reading import read

    try:
        return read(data, filename, **limits()).text
    except Rejected:
        return ""


# --- review ---------------------------------------------------------------------------------------------------

EDITABLE = ["title", "kind", "section", "start", "end", "time", "timezone", "location", "online", "organizers",
            "links", "fee", "currency", "deadline", "language", "summary"]


@transaction.atomic
def save_edits(candidate: ImportCandidate, edits: dict, user) -> ImportCandidate:
    if not can_import(user):
        raise PermissionDenied(_("Only secretariat editors may review imports."))
    candidate = ImportCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.decision != Decision.PENDING:
        raise ValidationError(_("This candidate has already been decided."))
    data = dict(candidate.data)
    changed = [name for name in EDITABLE if data.get(name) != edits.get(name)]
    # the importer's own reading of each corrected field, kept once: with the correction it is a labelled
    # example for training the line model (training_examples, `partnerpost import-corrections`)
    original = dict(data.get("original") or {})
    for name in changed:
        original.setdefault(name, data.get(name))
    if original:
        data["original"] = original
    data.update(edits)
    if "start" in changed or "end" in changed:
        data["dates"] = []
        data["precision"] = "day" if data.get("start") else None
    data.setdefault("corrected", [])
    data["corrected"] = sorted(set(data["corrected"]) | set(changed))
    candidate.data = data
    candidate.save(update_fields=["data"])
    return candidate


def _item_from(candidate: ImportCandidate, partner: Partner) -> workflows.ItemInput:
    """The candidate's reviewed fields as the domain's typed values for a new draft."""
    data = candidate.data
    kind = data.get("kind") or ItemKind.NEWS
    values = {
        "kind": kind, "title": data["title"][:300], "partner": partner, "language": data.get("language") or "en",
        "summary": (data.get("summary") or data.get("body") or "")[:800], "body": data.get("body") or "",
    }
    start = dt.date.fromisoformat(data["start"]) if data.get("start") else None
    end = dt.date.fromisoformat(data["end"]) if data.get("end") else start
    precision = data.get("precision") or DatePrecision.DAY
    if precision not in DatePrecision.values:
        precision = DatePrecision.MONTH
    if kind == ItemKind.EVENT:
        values.update(start_date=start, end_date=end, date_precision=precision, event_type=_event_type(data["title"]))
        values["event_format"] = EventFormat.ONLINE if data.get("online") and not data.get("location") else (
            EventFormat.IN_PERSON if data.get("location") and not data.get("online") else
            EventFormat.HYBRID if data.get("location") else "")
        if data.get("time") and start:
            values["start_time"] = dt.time.fromisoformat(data["time"])
            values["time_zone"] = _zone_name(data.get("timezone"))
        if data.get("location"):
            city, _sep, country = data["location"].rpartition(",")
            values["city"] = (city or data["location"]).strip()[:100]
            values["venue_country"] = Country.objects.filter(name__iexact=country.strip()).first() if country else None
        if data.get("fee") is not None:
            values["fee_amount"] = Decimal(data["fee"])
            values["fee_currency"] = data.get("currency") or ""
        if data.get("deadline"):
            values["enrolment_deadline"] = dt.date.fromisoformat(data["deadline"])
    elif kind == ItemKind.PUBLICATION:
        values["published_on"] = start
        if data.get("links"):
            values["document_url"] = data["links"][0]
    elif kind in (ItemKind.CALL, ItemKind.CONSULTATION):
        if data.get("deadline") or end:
            values["deadline"] = dt.date.fromisoformat(data["deadline"]) if data.get("deadline") else end
        if kind == ItemKind.CONSULTATION and data.get("links"):
            values["response_url"] = data["links"][0]
    elif kind == ItemKind.AWARD:
        values["award_year"] = start.year if start else None
    days = [dt.date.fromisoformat(d) for d in data.get("dates") or []] if kind == ItemKind.EVENT else None
    if days and start and (len(days) < (end - start).days + 1):
        related_days = days  # separate days, not a continuous range
    else:
        related_days = None
    organizations = []
    for role, names in (("organizer", data.get("organizers", [])), ("supporter", data.get("supporters", []))):
        for name in names:
            found = Partner.objects.named(name)
            organizations.append(workflows.Organization(role=role, partner=found, name="" if found else name[:200]))
    links = [(_link_label(url), url) for url in data.get("links", [])]
    return workflows.ItemInput(
        values=values, related=workflows.Related(organizations=organizations, links=links, days=related_days),
    )


_EVENT_TYPES = [
    (EventType.WEBINAR, r"webinar"), (EventType.WORKSHOP, r"workshop|taller|atelier"),
    (EventType.COURSE, r"course|school|curso|diplomado"), (EventType.SYMPOSIUM, r"symposi"),
    (EventType.FORUM, r"forum|foro"), (EventType.CONFERENCE, r"conference|congress|conferencia|congreso"),
    (EventType.MEETING, r"meeting|dialogue|roundtable|round table|reunión"), (EventType.CEREMONY, r"ceremony|ceremonia"),
]


def _event_type(title: str) -> str:
    for value, pattern in _EVENT_TYPES:
        if re.search(pattern, title, re.I):
            return value
    return EventType.OTHER


def _zone_name(offset: str | None) -> str:
    """The item's time zone for what the importer read: an IANA name as given; a whole-hour offset as its
    IANA zone ("UTC-06:00" -> "Etc/GMT+6"); any other offset kept to the minute ("UTC+05:30")."""
    if not offset:
        return "UTC"
    try:
        tz = resolve_time_zone(offset)
    except TimeZoneError:
        # As before: an unknown name goes through for the item's own validation to report.
        return offset if "/" in offset else "UTC"
    name = normalize_time_zone(offset)
    if isinstance(tz, ZoneInfo) or name == "UTC":
        return name
    minutes = int(tz.utcoffset(None).total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if rest or not -12 <= hours <= 14:  # the Etc/GMT zones cover whole hours from -12 to +14
        return name
    return f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def _link_label(url: str) -> str:
    host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
    return _("More information (%(host)s)") % {"host": host} if host else _("More information")


def _partner_for(candidate: ImportCandidate, partner: Partner | None = None) -> Partner:
    if partner is not None:
        return partner
    acronym = candidate.data.get("section")
    found = Partner.objects.filter(acronym=acronym).first() if acronym else None
    found = found or candidate.batch.partner
    if found is None:
        raise ValidationError({"section": _("Choose the partner this item belongs to.")})
    return found


@transaction.atomic
def accept(candidate: ImportCandidate, user, *, partner: Partner | None = None) -> Item:
    """Create a draft item from the candidate. Never publishes; the normal review follows."""
    candidate = ImportCandidate.objects.select_for_update(of=("self",)).select_related("batch").get(pk=candidate.pk)
    if candidate.decision != Decision.PENDING:
        raise ValidationError(_("This candidate has already been decided."))
    if not can_import(user):
        raise PermissionDenied
    item = workflows.save_item(user, _item_from(candidate, _partner_for(candidate, partner)))
    workflows.note_item(
        user, item,
        _("Imported from “%(file)s”, page %(page)d, characters %(start)d–%(end)d (import #%(batch)d).") % {
            "file": candidate.batch.file_name, "page": candidate.page, "start": candidate.span_start,
            "end": candidate.span_end, "batch": candidate.batch_id},
    )
    _decide(candidate, user, Decision.ACCEPTED, item)
    return item


@transaction.atomic
def merge(candidate: ImportCandidate, user) -> Item:
    """Link the candidate to the existing item it duplicates. Empty fields of a draft are filled in."""
    candidate = ImportCandidate.objects.select_for_update(of=("self",)).select_related("batch", "match").get(pk=candidate.pk)
    if candidate.decision != Decision.PENDING or candidate.match is None:
        raise ValidationError(_("There is nothing to merge this candidate into."))
    if not can_import(user):
        raise PermissionDenied
    item = candidate.match
    fresh = _item_from(candidate, item.partner).values
    changed = []
    if item.state == "draft":
        for name in ("summary", "body", "start_date", "end_date", "city", "fee_amount", "fee_currency",
                     "enrolment_deadline", "published_on", "document_url"):
            if name in item.kind_def.fields + ("summary", "body") and not getattr(item, name) and fresh.get(name):
                changed.append(name)
        if changed:
            workflows.save_item(user, workflows.ItemInput(values={name: fresh[name] for name in changed}), item=item)
    workflows.note_item(
        user, item,
        _("Matched in “%(file)s”, page %(page)d (import #%(batch)d); filled in: %(fields)s.") % {
            "file": candidate.batch.file_name, "page": candidate.page, "batch": candidate.batch_id,
            "fields": ", ".join(changed) or _("nothing")},
    )
    _decide(candidate, user, Decision.MERGED, item)
    return item


@transaction.atomic
def drop(candidate: ImportCandidate, user) -> None:
    candidate = ImportCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.decision != Decision.PENDING:
        raise ValidationError(_("This candidate has already been decided."))
    if not can_import(user):
        raise PermissionDenied
    _decide(candidate, user, Decision.DROPPED, None)


def reopen(candidate: ImportCandidate, user) -> None:
    """Undo a drop (accepted items stay: they are drafts that can be deleted like any other)."""
    if not can_import(user):
        raise PermissionDenied
    ImportCandidate.objects.filter(pk=candidate.pk, decision=Decision.DROPPED).update(
        decision=Decision.PENDING, decided_by=None, decided_at=None)


def _decide(candidate, user, decision, item):
    candidate.decision = decision
    candidate.item = item
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["decision", "item", "decided_by", "decided_at"])


def training_examples(batches=None) -> list[dict]:
    """The editors' reviewed candidates as labelled examples for the line model: for each accepted or
    merged candidate (the editor vouched for its fields) and each pending one with corrections, the
    document passage, the item as the editor left it, and what the importer had read where it differed.

    `partnerpost import-corrections --export FILE` writes these; `partnerpost import-train --corrections
    FILE` trains on them (learning.corpus.correction_sequences)."""
    rows = ImportCandidate.objects.select_related("batch").order_by("batch_id", "position")
    if batches is not None:
        rows = rows.filter(batch__in=batches)
    out = []
    for candidate in rows:
        data = candidate.data
        vouched = candidate.decision in (Decision.ACCEPTED, Decision.MERGED)
        if not (vouched or data.get("corrected")) or not candidate.source_text.strip():
            continue
        out.append({
            "batch": candidate.batch.sha256, "position": candidate.position, "decision": candidate.decision,
            "year": candidate.batch.period_start.year if candidate.batch.period_start else None,
            "text": candidate.source_text,
            "item": {name: data.get(name) for name in ("title", "kind", "start", "end", "time", "location", "deadline")},
            "corrected": list(data.get("corrected") or []),
            "original": data.get("original") or {},
        })
    return out
