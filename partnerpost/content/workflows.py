"""Every change to an item goes through one function here.

Each function checks permission and state, saves with update_fields, writes an
audit row and sends the notifications. Web views, the API, the importer, the
admin actions and the CLI call these, so each rule is written once.

`save_item` is the one door for an item's content: it takes typed values (an
`ItemInput`) from any face, applies the rules of the item's kind (see `kinds`),
and creates or updates the item, optionally submitting it, in one transaction.
The same input gives the same errors, keyed by field, whichever face sent it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnerpost.lib import datebounds
from partnerpost.network.models import Partner, User
from partnerpost.network.permissions import is_editor
from .permissions import allows_state, can

from . import kinds, notifications
from .signals import item_changed
from .enums import AuditAction, ItemState
from .models import (
    AuditEntry,
    AwardCategory,
    AwardWinner,
    Country,
    EventDay,
    Item,
    ItemLink,
    ItemOrganization,
    ItemPerson,
    Series,
    web_url,
)


class WorkflowError(Exception):
    """The item is not in a state that allows this change."""


@dataclass
class Organization:
    role: str
    partner: Partner | None = None
    name: str = ""


@dataclass
class Person:
    name: str
    role: str
    affiliation: str = ""


@dataclass
class Winner:
    """A winner; `category` may be an AwardCategory or its name, `country` a Country or its ISO code."""

    name: str
    category: object = None
    country: object = None


@dataclass
class Related:
    """The rows around an item. None leaves that part unchanged."""

    themes: list | None = None
    countries: list | None = None
    regions: list | None = None
    award_categories: list | None = None
    organizations: list[Organization] | None = None
    links: list[tuple[str, str]] | None = None
    people: list[Person] | None = None
    days: list[dt.date] | None = None
    winners: list[Winner] | None = None
    changed: list[str] = field(default_factory=list)


#: Letters and digits of a slug's suffix: no 0/o, 1/l/i, so it reads back unambiguously.
_SUFFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SLUG_SUFFIX_LENGTH = 5


def _unique_slug(item: Item) -> str:
    """The title's words and a short random suffix ("taller-virtual-k3x9m").

    Every new item gets a suffix, whether or not another item has the same title: a slug such as
    "annual-report-2" would tell whoever made the item that an item they may not see (another
    partner's draft) already has that title. Slugs never change after creation, so the addresses of
    items made before this rule (without a suffix) keep working."""
    base = slugify(item.title)[:100].strip("-") or "item"
    while True:
        slug = f"{base}-{''.join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(SLUG_SUFFIX_LENGTH))}"
        if not Item.objects.filter(slug=slug).exclude(pk=item.pk).exists():
            return slug


def _changed(item):
    transaction.on_commit(lambda: item_changed.send(sender=Item, item=item))


def _audit(item, actor, action, from_state="", to_state="", note=""):
    AuditEntry.objects.create(
        item=item, actor=actor if getattr(actor, "pk", None) else None, action=action,
        from_state=from_state, to_state=to_state, note=note,
    )


def _save_related(item: Item, related: Related):
    if related.days is not None:
        days = sorted(set(related.days))
        item.days.all().delete()
        EventDay.objects.bulk_create([EventDay(item=item, date=d) for d in days])
    for name in ("themes", "countries", "regions", "award_categories"):
        values = getattr(related, name)
        if values is not None:
            getattr(item, name).set(values)
    if related.organizations is not None:
        item.organizations.all().delete()
        ItemOrganization.objects.bulk_create(
            ItemOrganization(item=item, role=o.role, partner=o.partner, name="" if o.partner else o.name, position=i)
            for i, o in enumerate(related.organizations)
        )
    if related.links is not None:
        item.links.all().delete()
        ItemLink.objects.bulk_create(
            ItemLink(item=item, label=label, url=url, position=i) for i, (label, url) in enumerate(related.links)
        )
    if related.people is not None:
        item.people.all().delete()
        ItemPerson.objects.bulk_create(
            ItemPerson(item=item, name=p.name, role=p.role, affiliation=p.affiliation, position=i)
            for i, p in enumerate(related.people)
        )
    if related.winners is not None:
        item.winners.all().delete()
        AwardWinner.objects.bulk_create(
            AwardWinner(item=item, name=w.name, category=w.category, country=w.country, position=i)
            for i, w in enumerate(related.winners)
        )


def _apply_days(item: Item, related: Related):
    """Separate days set the first and last day."""
    if related.days and len(set(related.days)) > 1:
        item.start_date, item.end_date = min(related.days), max(related.days)


#: ItemInput.translation_of when the input says nothing about translations.
KEEP = object()


@dataclass
class ItemInput:
    """An item's content as typed values, from whichever face it came.

    `values` maps Item columns to Python values (dates as dates, partners and countries as rows);
    `related` holds the lists around the item; `series_name` names the event's series, made if new.
    Columns and lists of other kinds than `values["kind"]` are cleared by `save_item`."""

    values: dict
    related: Related = field(default_factory=Related)
    series_name: str | None = None
    changed: list[str] = field(default_factory=list)
    #: Another version of the same story (an Item), None to unlink, KEEP to leave as it is.
    translation_of: object = KEEP


def _line(number: int, message: str) -> str:
    return _("Line %(number)d: %(message)s") % {"number": number, "message": message}


def _check_related(item: Item, related: Related, kind) -> dict[str, str]:
    """Rules on the lists: every link a web address with a label, winners in the programme's categories."""
    from django.core.exceptions import ValidationError

    errors: dict[str, str] = {}
    for number, (label, url) in enumerate(related.links or [], start=1):
        if not (label or "").strip():
            errors["links"] = _line(number, _("write a label before the bar, e.g. Programme | https://example.org"))
            break
        try:
            web_url(url)
        except ValidationError:
            errors["links"] = _line(number, _("%(url)s is not a web address; it must start with http:// or https://.") % {"url": url})
            break
    for number, org in enumerate(related.organizations or [], start=1):
        if org.partner is None and not org.name.strip():
            errors["organizations"] = _line(number, _("the name is missing."))
            break
        if org.partner is None and len(org.name) > 200:
            errors["organizations"] = _line(number, _("a name may have at most 200 characters."))
            break
    for field_name, rows in (("people", related.people), ("winners", related.winners)):
        for number, row in enumerate(rows or [], start=1):
            if not (row.name or "").strip():
                errors[field_name] = _line(number, _("the name is missing."))
                break
    if related.days is not None and len(set(related.days)) == 1:
        errors["days"] = _("List at least two separate days, or use the first and last day fields.")
    if related.winners:
        resolved = []
        programme = item.award_programme
        for number, winner in enumerate(related.winners, start=1):
            category, country = winner.category, winner.country
            if isinstance(category, str) and category.strip():
                if programme is None:
                    errors["winners"] = _line(number, _("choose the award programme before naming a category."))
                    break
                found = AwardCategory.objects.filter(programme=programme, name__iexact=category.strip()).first()
                if found is None:
                    errors["winners"] = _line(number, _("%(category)s is not a category of %(programme)s.") % {
                        "category": category, "programme": programme})
                    break
                category = found
            elif isinstance(category, AwardCategory) and (programme is None or category.programme_id != programme.pk):
                errors["winners"] = _line(number, _("%(category)s is not a category of %(programme)s.") % {
                    "category": category, "programme": programme or "-"})
                break
            elif not category:
                category = None
            if isinstance(country, str) and country.strip():
                found = Country.objects.filter(code=country.strip().upper()).first()
                if found is None:
                    errors["winners"] = _line(number, _("%(code)s is not an ISO country code.") % {"code": country})
                    break
                country = found
            elif not country:
                country = None
            resolved.append(Winner(name=winner.name[:300], category=category, country=country))
        related.winners = resolved
    return errors


def _blank(name: str):
    model_field = Item._meta.get_field(name)
    if model_field.many_to_many:
        return None
    if model_field.is_relation or model_field.null:
        return None
    return model_field.get_default()


def _apply_kind(item: Item, data: ItemInput, kind) -> None:
    """Clear what belongs to other kinds, so a changed kind leaves no stale facts behind."""
    for name in kinds.all_fields():
        if name not in kind.fields and name != "series":
            setattr(item, name, _blank(name))
    related = data.related
    owned = set(kind.lists)
    if "days" not in owned:
        related.days = [] if item.pk else None
    if "people" not in owned:
        related.people = [] if item.pk else None
    if "winners" not in owned:
        related.winners = [] if item.pk else None
    if "award_categories" not in owned:
        related.award_categories = [] if item.pk else None
    if "series" in owned and data.series_name is not None:
        name = data.series_name.strip()
        item.series = (Series.objects.filter(name__iexact=name).first() or Series.objects.create(
            name=name[:200], slug=_unique_series_slug(name))) if name else None
    elif "series" not in owned:
        item.series = None


def _unique_series_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "series"
    slug, n = base, 2
    while Series.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _translation_problem(item: Item, other: Item) -> str:
    """Why `other` cannot be another version of `item`, or '' when it can."""
    if item.pk and other.pk == item.pk:
        return _("An item cannot be a translation of itself.")
    if other.partner_id != item.partner_id:
        return _("“%(title)s” belongs to another partner; the versions of one story come from one partner.") % {
            "title": other.title}
    if other.language == item.language:
        return _("“%(title)s” is in the same language; a translation must be in another language.") % {
            "title": other.title}
    if other.translation_group_id:
        clash = other.translation_group.items.filter(language=item.language).exclude(pk=item.pk).first()
        if clash:
            return _("This story already has a version in that language: “%(title)s”.") % {"title": clash.title}
    return ""


def _link_versions(user: User, item: Item, other: Item | None) -> None:
    """Put `item` in `other`'s translation group (made if new), or take it out of its group (other=None)."""
    from .models import TranslationGroup

    before = item.translation_group_id
    if other is None:
        if before is None:
            return
        Item.objects.filter(pk=item.pk).update(translation_group=None)
        item.translation_group = None
        left = Item.objects.filter(translation_group_id=before)
        if left.count() < 2:
            left.update(translation_group=None)
        _audit(item, user, AuditAction.NOTE, item.state, item.state, _("No longer linked to its translations."))
        _changed(item)
        return
    group_id = other.translation_group_id
    if group_id is None:
        group_id = TranslationGroup.objects.create().pk
        Item.objects.filter(pk=other.pk).update(translation_group_id=group_id)
    if before == group_id:
        return
    Item.objects.filter(pk=item.pk).update(translation_group_id=group_id)
    item.translation_group_id = group_id
    _audit(item, user, AuditAction.NOTE, item.state, item.state,
           _("Linked as a version of “%(title)s” (%(language)s).") % {"title": other.title, "language": other.language})
    _changed(item)


_REQUIRED_TEXT = ("title", "summary")


def _check_text(item: Item) -> dict[str, str]:
    """Required text present, and no NUL character anywhere (PostgreSQL refuses them)."""
    errors = {}
    for name in _REQUIRED_TEXT:
        if not (getattr(item, name) or "").strip():
            errors[name] = _("This field is required.")
    for model_field in Item._meta.concrete_fields:
        value = getattr(item, model_field.attname, None)
        if isinstance(value, str) and "\x00" in value:
            errors[model_field.name] = _("This text contains a NUL character, which is not allowed.")
    return errors


def _date_error(value) -> str:
    return _("%(date)s is outside the dates Partnerpost accepts: give a date between %(earliest)s and %(latest)s.") % {
        "date": datebounds.as_date(value).isoformat(), "earliest": datebounds.EARLIEST.isoformat(),
        "latest": datebounds.LATEST.isoformat()}


def _check_dates(item: Item, related: Related) -> dict[str, str]:
    """Every date and time of the item, and every separate day, within 1900-2100 (lib.datebounds).

    Years such as 9999 are typing mistakes; they would also make calendars, feeds and pages compute
    days beyond what Python's dates can hold."""
    errors = {}
    for model_field in Item._meta.concrete_fields:
        if isinstance(model_field, (models.DateField, models.DateTimeField)) and model_field.editable:
            value = getattr(item, model_field.attname, None)
            if not datebounds.in_range(value):
                errors[model_field.name] = _date_error(value)
    for number, day in enumerate(related.days or [], start=1):
        if not datebounds.in_range(day):
            errors["days"] = _line(number, _date_error(day))
            break
    return errors


def _list_snapshot(item: Item) -> dict[str, object]:
    return {
        "themes": sorted(item.themes.values_list("pk", flat=True)),
        "countries": sorted(item.countries.values_list("pk", flat=True)),
        "regions": sorted(item.regions.values_list("pk", flat=True)),
        "award_categories": sorted(item.award_categories.values_list("pk", flat=True)),
        "organizations": [(o.role, o.partner_id, "" if o.partner_id else o.name) for o in item.organizations.all()],
        "links": [(link.label, link.url) for link in item.links.all()],
        "people": [(p.name, p.role, p.affiliation) for p in item.people.all()],
        "days": list(item.days.values_list("date", flat=True)),
        "winners": [(w.name, w.category_id, w.country_id) for w in item.winners.all()],
    }


def _related_snapshot(related: Related) -> dict[str, object]:
    def pks(values):
        return None if values is None else sorted(getattr(v, "pk", v) for v in values)

    return {
        "themes": pks(related.themes), "countries": pks(related.countries), "regions": pks(related.regions),
        "award_categories": pks(related.award_categories),
        "organizations": None if related.organizations is None else [
            (o.role, getattr(o.partner, "pk", None), "" if o.partner else o.name) for o in related.organizations],
        "links": None if related.links is None else [tuple(link) for link in related.links],
        "people": None if related.people is None else [(p.name, p.role, p.affiliation) for p in related.people],
        "days": None if related.days is None else sorted(set(related.days)),
        "winners": None if related.winners is None else [
            (w.name, getattr(w.category, "pk", None), getattr(w.country, "pk", None)) for w in related.winners],
    }


_NOT_CONTENT = {"id", "state", "revision", "created_at", "updated_at", "created_by", "body_html", "sort_date",
                "starts_at", "ends_at", "submitted_at", "rejection_reason", "first_published_at", "last_published_at"}


def _changes(stored: Item, item: Item, related: Related) -> list[str]:
    """The names of the columns and lists an update changes (`stored` is the row before it), for the audit note."""
    names = [
        f.name for f in Item._meta.concrete_fields
        if f.name not in _NOT_CONTENT and getattr(stored, f.attname) != getattr(item, f.attname)
    ]
    before, after = _list_snapshot(stored), _related_snapshot(related)
    names += [name for name, value in after.items() if value is not None and value != before[name]]
    return sorted(names)


def save_item(user: User, data: ItemInput, *, item: Item | None = None, submit: bool = False) -> Item:
    """Create (item=None) or update an item from typed values; with submit=True, also submit it.

    Everything happens in one transaction: on any error nothing is written. Errors of the
    content come as a django ValidationError keyed by field name (the lists as "links",
    "organizations", "days", "people", "winners", "award_categories"); a refused permission as
    PermissionDenied; a state that forbids the change as WorkflowError."""
    from django.core.exceptions import ValidationError

    with transaction.atomic():
        creating = item is None
        target = Item() if creating else item
        for name, value in data.values.items():
            setattr(target, name, value)
        # Who may do this comes first: nobody learns about the rules of an item they may not touch.
        if creating and not can(user, "create", partner=target.partner if target.partner_id else None):
            raise PermissionDenied(_("You may not add items for %(partner)s.") % {
                "partner": target.partner if target.partner_id else "-"})
        # The row as stored, locked until the change is saved: it answers the permission and, at
        # the end, which fields the change touched.
        stored = None if creating else Item.objects.select_for_update().get(pk=target.pk)
        if stored is not None and not can(user, "edit", stored):
            raise PermissionDenied(_("You may not edit this item in its current state."))
        if not kinds.exists(target.kind):
            raise ValidationError({"kind": _("%(kind)s is not a kind of item.") % {"kind": target.kind}})
        kind = kinds.get(target.kind)
        _apply_kind(target, data, kind)
        kind.prepare(target)
        errors = _check_dates(target, data.related)
        if errors:  # nothing else computes with a date out of range
            raise ValidationError(errors)
        _apply_days(target, data.related)
        errors = _check_text(target)
        errors.update({k: v for k, v in _check_related(target, data.related, kind).items() if k not in errors})
        errors.update({k: v for k, v in kind.clean(target, data.related).items() if k not in errors})
        if data.translation_of is not KEEP and data.translation_of is not None:
            data.translation_of = Item.objects.select_related("translation_group").get(pk=data.translation_of.pk)
            problem = _translation_problem(target, data.translation_of)
            if problem:
                errors.setdefault("translation_of", problem)
        if target.partner_id is not None:
            if not errors:
                target.compute_derived()
            try:
                target.full_clean(exclude=["slug"])
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    errors.setdefault(name, messages[0])
        if errors:
            raise ValidationError(errors)
        if creating:
            saved = create_item(user, target, data.related)
        else:
            saved = update_item(user, target, data.related, changed=_changes(stored, target, data.related))
        if data.translation_of is not KEEP:
            _link_versions(user, saved, data.translation_of)
        if submit:
            saved = submit_item(user, saved)
        return saved


@transaction.atomic
def create_item(user: User, item: Item, related: Related | None = None) -> Item:
    """Save a new draft item for its partner."""
    if not can(user, "create", partner=item.partner):
        raise PermissionDenied(_("You may not add items for %(partner)s.") % {"partner": item.partner})
    related = related or Related()
    item.state = ItemState.DRAFT
    item.created_by = user if getattr(user, "pk", None) else None  # None: the operator (a command, a task)
    _apply_days(item, related)
    item.slug = _unique_slug(item)
    item.compute_derived()
    item.full_clean(exclude=["slug"])
    item.save()
    _save_related(item, related)
    _audit(item, user, AuditAction.CREATE, "", ItemState.DRAFT)
    _changed(item)
    return item


@transaction.atomic
def update_item(user: User, item: Item, related: Related | None = None, changed: list[str] | None = None) -> Item:
    """Save edits to an existing item. The state does not change."""
    current = Item.objects.select_for_update().get(pk=item.pk)
    if not can(user, "edit", current):
        raise PermissionDenied(_("You may not edit this item in its current state."))
    related = related or Related()
    _apply_days(item, related)
    item.state = current.state
    item.revision = current.revision + 1
    item.compute_derived()
    item.full_clean()
    item.save()
    _save_related(item, related)
    names = sorted(set((changed or []) + related.changed))
    _audit(item, user, AuditAction.EDIT, current.state, current.state, ", ".join(names))
    _changed(item)
    return item


def note_item(user: User, item: Item, note: str) -> Item:
    """Add a note to an item's history (where it came from, what an import filled in).

    Changes nothing else; anyone who may see the item in the workspace and edit items of its
    partner, or a secretariat editor, may note."""
    if not (is_editor(user) or can(user, "edit", item)):
        raise PermissionDenied(_("You may not add notes to this item."))
    _audit(item, user, AuditAction.NOTE, item.state, item.state, note.strip())
    return item


def _transition(user, item, action, to_state, *, note="", audit_action=None, extra=None) -> Item:
    with transaction.atomic():
        current = Item.objects.select_for_update().get(pk=item.pk)
        if not can(user, action, current):
            if allows_state(action, current.state) is False and can(user, "view", current):
                raise WorkflowError(
                    _("This item is %(state)s, so it cannot be %(action)s now.")
                    % {"state": current.get_state_display().lower(), "action": _past(action)}
                )
            raise PermissionDenied(_("You may not do this."))
        from_state = current.state
        fields = {"state": to_state, **(extra or {})}
        for name, value in fields.items():
            setattr(item, name, value)
        item.revision = current.revision + 1
        item.save(update_fields=[*fields, "revision", "updated_at"])
        _audit(item, user, audit_action or action, from_state, to_state, note)
        transaction.on_commit(lambda: notifications.state_changed(item, user, audit_action or action, note))
        _changed(item)
    return item


def _past(action):
    return {
        "submit": _("submitted"), "approve": _("approved"), "reject": _("returned"),
        "publish": _("published"), "withdraw": _("withdrawn"), "redraft": _("reopened"),
    }[action]


def submit_item(user: User, item: Item) -> Item:
    return _transition(
        user, item, "submit", ItemState.SUBMITTED, extra={"submitted_at": timezone.now(), "rejection_reason": ""}
    )


def approve_item(user: User, item: Item, note: str = "") -> Item:
    return _transition(user, item, "approve", ItemState.APPROVED, note=note)


def reject_item(user: User, item: Item, reason: str) -> Item:
    """Return the item to its partner as a draft, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for returning the item, so the partner can fix it."))
    return _transition(user, item, "reject", ItemState.DRAFT, note=reason, extra={"rejection_reason": reason})


def publish_item(user: User, item: Item, go_live_at: dt.datetime | None = None) -> Item:
    """Publish now, or at go_live_at if that lies in the future."""
    if go_live_at is not None and not datebounds.in_range(go_live_at):
        from django.core.exceptions import ValidationError

        raise ValidationError({"go_live_at": _date_error(go_live_at)})
    now = timezone.now()
    scheduled = go_live_at is not None and go_live_at > now
    live_at = go_live_at if scheduled else now
    extra = {
        "go_live_at": go_live_at if scheduled else None,
        "first_published_at": item.first_published_at or live_at,
        "last_published_at": live_at,
    }
    note = _("Goes live at %(when)s UTC") % {"when": f"{live_at:%Y-%m-%d %H:%M}"} if scheduled else ""
    return _transition(
        user, item, "publish", ItemState.PUBLISHED, note=note,
        audit_action=AuditAction.SCHEDULE if scheduled else AuditAction.PUBLISH, extra=extra,
    )


def withdraw_item(user: User, item: Item, reason: str = "") -> Item:
    return _transition(user, item, "withdraw", ItemState.WITHDRAWN, note=(reason or "").strip())


def redraft_item(user: User, item: Item) -> Item:
    return _transition(user, item, "redraft", ItemState.DRAFT)
