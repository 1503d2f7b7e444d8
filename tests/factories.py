"""Plain factory functions. Each makes exactly what its name says, with values you can see."""

from __future__ import annotations

import datetime as dt
import itertools

from partnerpost.content import workflows
from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Item
from partnerpost.network.models import Membership, Partner, User

_counter = itertools.count(1)


def make_partner(acronym="ICAP", name=None, **fields) -> Partner:
    return Partner.objects.create(
        acronym=acronym, name=name or f"{acronym} institute", slug=acronym.lower().replace(" ", "-"), **fields
    )


def make_user(username, *, partner=None, role="contributor", editor=False, email=None) -> User:
    user = User.objects.create_user(
        username=username, password="test-pass-123", email=email if email is not None else f"{username}@example.org",
        is_secretariat_editor=editor,
    )
    if partner is not None:
        Membership.objects.create(user=user, partner=partner, role=role)
    return user


def make_item(partner, *, state=ItemState.DRAFT, kind=ItemKind.NEWS, title=None, author=None, **fields) -> Item:
    """An item saved straight to the database in the given state (no workflow, no audit)."""
    n = next(_counter)
    defaults = {"summary": f"Summary {n}", "published_on": dt.date(2020, 10, 1)}
    if kind == ItemKind.EVENT:
        defaults = {"summary": f"Summary {n}", "start_date": dt.date(2020, 11, 3)}
    defaults.update(fields)
    item = Item(partner=partner, kind=kind, title=title or f"Item {n}", slug=f"item-{n}", state=state, created_by=author, **defaults)
    item.compute_derived()
    item.save()
    return item


def published(item_or_partner, **fields) -> Item:
    partner = item_or_partner
    return make_item(partner, state=ItemState.PUBLISHED, **fields)


def move_to(item, state, editor):
    """Walk an item through the real workflow to a state."""
    path = {
        ItemState.SUBMITTED: [workflows.submit_item],
        ItemState.APPROVED: [workflows.submit_item, workflows.approve_item],
        ItemState.PUBLISHED: [workflows.submit_item, workflows.approve_item, workflows.publish_item],
        ItemState.WITHDRAWN: [workflows.submit_item, workflows.approve_item, workflows.publish_item, workflows.withdraw_item],
    }[state]
    for step in path:
        step(editor, item)
    item.refresh_from_db()
    return item


def make_call(partner, *, title="Call for inputs", opens=None, closes=None, time_zone="UTC", audience="email",
              fields=None, eligibility=(), invitations=(), is_catalogue=False, languages=("en",), state=None):
    """A call item (published unless `state` says otherwise) with its form, saved through the calls workflow."""
    from partnerpost.calls import workflows as call_workflows
    from partnerpost.network.permissions import OPERATOR

    item = make_item(partner, kind=ItemKind.CALL, title=title, state=state or ItemState.PUBLISHED, call_type="inputs")
    specs = fields if fields is not None else [
        call_workflows.FieldSpec("title", "text", "Name of the initiative", required=True, role="title"),
        call_workflows.FieldSpec("country", "country", "Country", required=True, role="country"),
        call_workflows.FieldSpec("areas", "choices", "Action areas", required=True, role="area",
                                 choices=["Information sharing", "E-participation", "E-health"]),
        call_workflows.FieldSpec("description", "long_text", "Description", step=2),
        call_workflows.FieldSpec("website", "url", "Website", step=2),
        call_workflows.FieldSpec("report", "file", "Report", step=2),
        call_workflows.FieldSpec("contact", "contact", "Contact person", step=2),
        call_workflows.FieldSpec("started", "date", "Started on", step=2),
        call_workflows.FieldSpec("national", "yes_no", "National scale", step=2),
        call_workflows.FieldSpec("level", "choice", "Level of government", step=2, choices=["National", "Local"]),
    ]
    data = call_workflows.CallInput(
        opens=opens or dt.datetime(2020, 1, 1, 0, 0), closes=closes or dt.datetime(2099, 12, 31, 23, 59),
        time_zone=time_zone, languages=list(languages), audience=audience, is_catalogue=is_catalogue,
        fields=specs, eligibility=list(eligibility), invitations=list(invitations))
    return call_workflows.save_call(OPERATOR, item, data)
