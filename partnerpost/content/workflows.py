"""Every change to an item goes through one function here.

Each function checks permission and state, saves with update_fields, writes an
audit row and sends the notifications. Web views, the admin actions and the CLI
call these, so each rule is written once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnerpost.network.models import Partner, User
from partnerpost.network.permissions import allows_state, can

from . import notifications
from .signals import item_changed
from .enums import AuditAction, ItemState
from .models import (
    AuditEntry,
    AwardWinner,
    EventDay,
    Item,
    ItemLink,
    ItemOrganization,
    ItemPerson,
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


def _unique_slug(item: Item) -> str:
    base = slugify(item.title)[:100].strip("-") or "item"
    slug, n = base, 2
    while Item.objects.filter(slug=slug).exclude(pk=item.pk).exists():
        slug = f"{base}-{n}"
        n += 1
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
    if related.days:
        item.start_date, item.end_date = min(related.days), max(related.days)


@transaction.atomic
def create_item(user: User, item: Item, related: Related | None = None) -> Item:
    """Save a new draft item for its partner."""
    if not can(user, "create", partner=item.partner):
        raise PermissionDenied(_("You may not add items for %(partner)s.") % {"partner": item.partner})
    related = related or Related()
    item.state = ItemState.DRAFT
    item.created_by = user
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
