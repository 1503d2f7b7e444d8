"""Writes through the API: the same ItemForm validates, the same workflow functions save.

The JSON fields are turned into the form's data (lists become the form's one-per-line
text), the form checks them exactly as it checks the web form, and the content
workflow saves, writes the audit row and notifies. Errors come back keyed by the
API's field names.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partnerpost.content import workflows
from partnerpost.content.forms import ItemForm
from partnerpost.content.models import AwardCategory, AwardProgramme, Item, Theme
from partnerpost.network.permissions import can_by_token

from .errors import Conflict, InvalidInput, NotAuthenticated, NotFound

#: API field -> ItemForm field, where the names differ.
FORM_NAMES = {
    "organizers": "organizers_text", "co_organizers": "co_organizers_text", "supporters": "supporters_text",
    "links": "links_text", "days": "days_text", "people": "people_text", "winners": "winners_text",
    "series": "series_name",
}
API_NAMES = {form: api for api, form in FORM_NAMES.items()}
_LINE = re.compile(r"^Line (\d+): ")

_PLAIN = ("kind", "title", "summary", "body", "language", "time_zone", "venue", "city", "online_url",
          "registration_url", "fee_currency", "document_url", "eligibility")
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


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _bar_free(errors, field, position, value, what):
    """Values that are joined into one-per-line text must not carry the separators."""
    if value and ("\n" in value or "\r" in value or "|" in value):
        errors.setdefault(field, []).append(
            _("Position %(n)d: the %(what)s may not contain a line break or a | bar.") % {"n": position, "what": what}
        )
        return False
    return True


def form_data(values: dict, partner, image_alt: str = "") -> tuple[dict, dict[str, list[str]]]:
    """ItemForm data for these API values, and errors for references that name nothing."""
    errors: dict[str, list[str]] = {}
    data = {name: _text(values.get(name)) for name in (*_PLAIN, *_CHOICES, *_DATES, *_NUMBERS)}
    data["partner"] = str(partner.pk)
    data["image_alt"] = image_alt
    data["series_name"] = values.get("series") or ""
    data["venue_country"] = (values.get("venue_country") or "").upper()
    data["countries"] = [code.upper() for code in values.get("countries") or []]
    data["regions"] = list(values.get("regions") or [])

    slugs = list(dict.fromkeys(values.get("themes") or []))
    themes = dict(Theme.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    for slug in slugs:
        if slug not in themes:
            errors.setdefault("themes", []).append(
                _("%(slug)s is not a theme; GET /api/v1/themes lists them.") % {"slug": slug})
    data["themes"] = [str(themes[slug]) for slug in slugs if slug in themes]

    for field in ("organizers", "co_organizers", "supporters"):
        names = values.get(field) or []
        for n, name in enumerate(names, start=1):
            _bar_free(errors, field, n, name.replace("|", ""), _("name"))
        data[FORM_NAMES[field]] = "\n".join(names)

    lines = []
    for n, link in enumerate(values.get("links") or [], start=1):
        if _bar_free(errors, "links", n, link["url"], _("address")) and _bar_free(errors, "links", n, link["label"].replace("|", ""), _("label")):
            lines.append(f"{link['label']} | {link['url']}")
    data["links_text"] = "\n".join(lines)

    days = values.get("days") or []
    data["days_text"] = ", ".join(day.isoformat() for day in days)

    lines = []
    for n, person in enumerate(values.get("people") or [], start=1):
        if _bar_free(errors, "people", n, person["name"], _("name")) and _bar_free(errors, "people", n, person["affiliation"], _("affiliation")):
            lines.append(" | ".join([person["name"], person["role"], person["affiliation"]]).rstrip(" |"))
    data["people_text"] = "\n".join(lines)

    programme = None
    if values.get("award_programme"):
        programme = AwardProgramme.objects.filter(slug=values["award_programme"]).first()
        if programme is None:
            errors.setdefault("award_programme", []).append(
                _("%(slug)s is not an award programme.") % {"slug": values["award_programme"]})
    data["award_programme"] = str(programme.pk) if programme else ""
    categories = []
    for name in values.get("award_categories") or []:
        category = AwardCategory.objects.filter(programme=programme, name__iexact=name).first() if programme else None
        if category is None:
            errors.setdefault("award_categories", []).append(
                _("%(name)s is not a category of the award programme.") % {"name": name})
        else:
            categories.append(str(category.pk))
    data["award_categories"] = categories

    lines = []
    for n, winner in enumerate(values.get("winners") or [], start=1):
        if _bar_free(errors, "winners", n, winner["name"], _("name")) and _bar_free(errors, "winners", n, winner.get("category") or "", _("category")):
            lines.append(" | ".join([winner["name"], winner.get("category") or "", winner.get("country") or ""]).rstrip(" |"))
    data["winners_text"] = "\n".join(lines)
    return data, errors


def _form_errors(form) -> dict[str, list[str]]:
    errors = {}
    for name, messages in form.errors.items():
        key = "non_field_errors" if name == "__all__" else API_NAMES.get(name, name)
        if name in API_NAMES.values() or key in FORM_NAMES:
            messages = [_LINE.sub(r"Position \1: ", str(m)) for m in messages]
        errors.setdefault(key, []).extend(str(m) for m in messages)
    return errors


def _check(form, errors):
    valid = form.is_valid()
    if errors or not valid:
        merged = {k: list(v) for k, v in errors.items()}
        for key, messages in _form_errors(form).items():
            merged.setdefault(key, []).extend(m for m in messages if m not in merged[key])
        raise InvalidInput(merged)


def _model_errors(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        return InvalidInput({API_NAMES.get(k, k): [str(m) for m in v] for k, v in exc.message_dict.items()})
    return InvalidInput({"non_field_errors": [str(m) for m in exc.messages]})


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
    data, errors = form_data(payload, partner)
    form = ItemForm(data, user=user)
    _check(form, errors)
    try:
        with transaction.atomic():
            item = workflows.create_item(user, form.build_item(), form.related())
            if submit:
                workflows.submit_item(user, item)
    except ValidationError as exc:
        raise _model_errors(exc) from None
    except PermissionDenied:
        # authenticate() already checked this; only a membership ended mid-request lands here.
        raise NotAuthenticated("The API token is not valid: it may be mistyped, expired or revoked.") from None
    return item


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
            data, errors = form_data(values, partner, image_alt=item.image_alt)
            form = ItemForm(data, user=user, instance=item)
            _check(form, errors)
            return workflows.update_item(user, form.build_item(), form.related(), changed=form.changed_data)
    except ValidationError as exc:
        raise _model_errors(exc) from None


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

