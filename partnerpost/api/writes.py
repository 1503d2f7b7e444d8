"""Writes through the API: typed JSON straight to the domain's typed values.

The payload, already typed by the schema, becomes an `ItemInput` (references such as theme
slugs and country codes looked up here, with an error for each that names nothing), and
`content.workflows.save_item` applies the same rules, saves, writes the audit row and
notifies exactly as for the web form. Errors come back keyed by the API's field names.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partnerpost.content import workflows
from partnerpost.content.models import AwardCategory, AwardProgramme, Country, Item, Region, Theme
from partnerpost.network.models import Partner
from partnerpost.content.permissions import can_by_token

from .errors import Conflict, InvalidInput, NotAuthenticated, NotFound

#: The domain's names for lists -> the API's field, where they differ.
API_NAMES = {"organizations": "organizers", "series_name": "series"}
_LINE = re.compile(r"^Line (\d+): ")

_PLAIN = ("kind", "title", "summary", "body", "language", "time_zone", "venue", "city", "online_url",
          "registration_url", "fee_currency", "document_url", "eligibility", "response_url")
_CHOICES = ("event_type", "event_format", "event_status", "date_precision", "publication_type", "call_type")
_DATES = ("start_date", "end_date", "start_time", "end_time", "enrolment_deadline", "published_on", "deadline")
_NUMBERS = ("fee_amount", "total_hours", "capacity", "session_count", "award_year")
_LISTS = ("themes", "countries", "regions", "organizers", "co_organizers", "supporters", "links", "days", "people",
          "award_categories", "winners")


def current_values(item: Item) -> dict:
    """The item in the API's input shape: what a PATCH starts from."""
    by_role = {"organizer": [], "co_organizer": [], "supporter": []}
    for org in item.organizations.select_related("partner"):
        by_role[org.role].append(org.partner.acronym if org.partner_id else org.name)
    values = {name: getattr(item, name) for name in (*_PLAIN, *_CHOICES, *_DATES, *_NUMBERS)}
    values.update({
        "themes": list(item.themes.values_list("slug", flat=True)),
        "countries": list(item.countries.values_list("code", flat=True)),
        "regions": list(item.regions.values_list("code", flat=True)),
        "organizers": by_role["organizer"], "co_organizers": by_role["co_organizer"], "supporters": by_role["supporter"],
        "links": [{"label": link.label, "url": link.url} for link in item.links.all()],
        "days": list(item.days.values_list("date", flat=True)),
        "series": item.series.name if item.series_id else "",
        "people": [{"name": p.name, "role": p.role, "affiliation": p.affiliation} for p in item.people.all()],
        "venue_country": item.venue_country_id,
        "award_programme": item.award_programme.slug if item.award_programme_id else None,
        "award_categories": list(item.award_categories.values_list("name", flat=True)),
        "winners": [
            {"name": w.name, "category": w.category.name if w.category_id else None, "country": w.country_id}
            for w in item.winners.select_related("category")
        ],
    })
    return values


def _lookup(errors, field, model, keys, key_name, message):
    """The rows these keys name, in order; an error for each key that names nothing."""
    keys = list(dict.fromkeys(keys or []))
    found = {getattr(row, key_name): row for row in model.objects.filter(**{f"{key_name}__in": keys})}
    for key in keys:
        if key not in found:
            errors.setdefault(field, []).append(message % {"value": key})
    return [found[key] for key in keys if key in found]


def to_input(values: dict, partner, user=None) -> workflows.ItemInput:
    """The domain's typed values for these API values; InvalidInput for references that name nothing."""
    errors: dict[str, list[str]] = {}
    columns = {name: values.get(name) for name in (*_PLAIN, *_CHOICES, *_DATES, *_NUMBERS)}
    for name in (*_PLAIN, *_CHOICES):
        columns[name] = columns[name] or ""
    columns["event_status"] = columns["event_status"] or "scheduled"
    columns["date_precision"] = columns["date_precision"] or "day"
    columns["partner"] = partner
    code = (values.get("venue_country") or "").upper()
    columns["venue_country"] = None
    if code:
        rows = _lookup(errors, "venue_country", Country, [code], "code", _("%(value)s is not an ISO country code."))
        columns["venue_country"] = rows[0] if rows else None
    programme = None
    if values.get("award_programme"):
        programme = AwardProgramme.objects.filter(slug=values["award_programme"]).first()
        if programme is None:
            errors.setdefault("award_programme", []).append(
                _("%(slug)s is not an award programme.") % {"slug": values["award_programme"]})
    columns["award_programme"] = programme
    categories = []
    for name in values.get("award_categories") or []:
        category = AwardCategory.objects.filter(programme=programme, name__iexact=name).first() if programme else None
        if category is None:
            errors.setdefault("award_categories", []).append(
                _("%(name)s is not a category of the award programme.") % {"name": name})
        else:
            categories.append(category)
    organizations = []
    for field, role in (("organizers", "organizer"), ("co_organizers", "co_organizer"), ("supporters", "supporter")):
        for name in values.get(field) or []:
            found = Partner.objects.named(name)
            organizations.append(workflows.Organization(role=role, partner=found, name="" if found else name))
    related = workflows.Related(
        themes=_lookup(errors, "themes", Theme, values.get("themes"), "slug",
                       _("%(value)s is not a theme; GET /api/v1/themes lists them.")),
        countries=_lookup(errors, "countries", Country, [c.upper() for c in values.get("countries") or []], "code",
                          _("%(value)s is not an ISO country code.")),
        regions=_lookup(errors, "regions", Region, values.get("regions"), "code",
                        _("%(value)s is not an M49 region code.")),
        award_categories=categories,
        organizations=organizations,
        links=[(link["label"], link["url"]) for link in values.get("links") or []],
        people=[workflows.Person(name=p["name"], role=p["role"], affiliation=p.get("affiliation") or "")
                for p in values.get("people") or []],
        days=list(values.get("days") or []) or None,
        winners=[workflows.Winner(name=w["name"], category=w.get("category"), country=w.get("country"))
                 for w in values.get("winners") or []],
    )
    linked = workflows.KEEP
    if "translation_of" in values:
        linked = None
        if values["translation_of"]:
            linked = Item.objects.visible_to(user).filter(slug=values["translation_of"]).first() if user else None
            if linked is None:
                errors.setdefault("translation_of", []).append(
                    _("No item you may see has the slug %(slug)s.") % {"slug": values["translation_of"]})
    if errors:
        raise InvalidInput(errors)
    return workflows.ItemInput(values=columns, related=related, series_name=values.get("series") or "",
                               translation_of=linked)


def _domain_errors(exc: ValidationError) -> InvalidInput:
    if not hasattr(exc, "error_dict"):
        return InvalidInput({"non_field_errors": [str(m) for m in exc.messages]})
    errors = {}
    for name, messages in exc.message_dict.items():
        errors[API_NAMES.get(name, name)] = [_LINE.sub(r"Position \1: ", str(m)) for m in messages]
    return InvalidInput(errors)


def _refuse(item: Item, action: str):
    """Why the token may not do this to its own partner's item: only ever its state."""
    state = item.get_state_display().lower()
    if action == "edit":
        raise Conflict(_("This item is %(state)s, so it can no longer be changed through the API. "
                         "Ask the secretariat to return it if it needs changes.") % {"state": state})
    raise Conflict(_("This item is %(state)s, so it cannot be submitted now.") % {"state": state})


def own_item(token, slug: str, *, lock: bool = False) -> Item:
    """The token's partner's item with this slug. Anyone else's is 'not found', never 'forbidden'."""
    queryset = Item.objects.select_for_update() if lock else Item.objects.all()
    item = queryset.filter(slug=slug, partner_id=token.partner_id).first()
    if item is None or not can_by_token(token.created_by, "view", item, partner=token.partner):
        raise NotFound(_("No item with this slug belongs to your partner."))
    return item


def create(token, payload: dict) -> Item:
    user, partner = token.created_by, token.partner
    submit = payload.pop("submit", False)
    data = to_input(payload, partner, user)
    try:
        return workflows.save_item(user, data, submit=submit)
    except ValidationError as exc:
        raise _domain_errors(exc) from None
    except PermissionDenied:
        # authenticate() already checked this; only a membership ended mid-request lands here.
        raise NotAuthenticated("The API token is not valid: it may be mistyped, expired or revoked.") from None


def update(token, slug: str, changes: dict) -> Item:
    user, partner = token.created_by, token.partner
    try:
        with transaction.atomic():
            item = own_item(token, slug, lock=True)
            if not can_by_token(user, "edit", item, partner=partner):
                _refuse(item, "edit")
            values = current_values(item)
            for name, value in changes.items():
                values[name] = [] if value is None and name in _LISTS else value
            data = to_input(values, partner, user)
            if "days" in changes and not values.get("days"):
                data.related.days = []
            return workflows.save_item(user, data, item=item)
    except ValidationError as exc:
        raise _domain_errors(exc) from None


def submit(token, slug: str) -> Item:
    user, partner = token.created_by, token.partner
    with transaction.atomic():
        item = own_item(token, slug, lock=True)
        if not can_by_token(user, "submit", item, partner=partner):
            _refuse(item, "submit")
        try:
            return workflows.submit_item(user, item)
        except workflows.WorkflowError as exc:
            raise Conflict(str(exc)) from None
