"""Public reads: what the public portal shows (live items, published editions), whoever asks."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from django.db.models import DateField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from ninja import Path, Query

from partnerpost.content.enums import EventFormat, ItemKind
from partnerpost.content.filters import ItemFilters
from partnerpost.content.models import Item, Theme
from partnerpost.discovery import search as engine
from partnerpost.editions.models import Edition
from partnerpost.network.models import Partner
from partnerpost.registration.workflows import open_event_ids

from . import output, pagination
from .errors import InvalidInput, NotFound
from .routing import CURSOR, LIMIT, ONE, PUBLIC_TAGS, READ, _limit, _page, v1
from .schemas import (
    NO_NUL,
    CountryCode,
    EditionOut,
    EditionPage,
    Error,
    IsoDate,
    IsoDateTime,
    ItemOut,
    ItemPage,
    LanguageCode,
    PartnerOut,
    PartnerPage,
    RegionCode,
    SearchResults,
    Slug,
    ThemeList,
)


def _live_items():
    return output.with_details(Item.objects.published())


#: sort_date is never empty, so this order walks the listing index (state, sort_date, id) instead of sorting
ITEM_ORDER = pagination.Keyset("items", (("sort_date", True), ("id", True)))
EVENT_ORDER = pagination.Keyset("events", (("key_date", False), ("id", False)))
PARTNER_ORDER = pagination.Keyset("partners", (("display_order", False), ("id", False)))
EDITION_ORDER = pagination.Keyset("editions", (("period_start", True), ("id", True)))
NO_DATE = dt.date(1, 1, 1)


@v1.get("/partners", response={200: PartnerPage, **READ}, summary="List partner institutions", tags=PUBLIC_TAGS)
def list_partners(request, limit: int = LIMIT, cursor: str = CURSOR):
    """Active partners, in the order the portal lists them."""
    limit = _limit(limit)
    rows, following = PARTNER_ORDER.page(Partner.objects.active().select_related("country", "region"), cursor, limit)
    return _page(request, [output.partner_data(request, p) for p in rows], following, limit)


@v1.get("/partners/{slug}", response={200: PartnerOut, **ONE}, summary="One partner institution", tags=PUBLIC_TAGS)
def get_partner(request, slug: Slug = Path(...)):
    partner = Partner.objects.active().select_related("country", "region").filter(slug=slug).first()
    if partner is None:
        raise NotFound("No active partner has this slug.")
    return output.partner_data(request, partner)


@v1.get("/themes", response={200: ThemeList, 304: None, 429: Error}, summary="List themes", tags=PUBLIC_TAGS)
def list_themes(request):
    """The 17 SDGs and the network's topics: the values of the `theme` filters."""
    return {"results": [output.theme_data(t) for t in Theme.objects.all()]}


@v1.get("/items", response={200: ItemPage, **READ}, summary="List published items", url_name="items", tags=PUBLIC_TAGS)
def list_items(
    request,
    kind: ItemKind = Query(None),
    partner: Slug = Query(None, description="A partner's slug."),
    theme: Slug = Query(None, description="A theme's slug."),
    country: CountryCode = Query(None),
    region: RegionCode = Query(None, description="Includes the region's sub-regions and countries."),
    language: LanguageCode = Query(None),
    updated_since: IsoDateTime = Query(None, description="Only items changed at or after this time (ISO 8601)."),
    limit: int = LIMIT,
    cursor: str = CURSOR,
):
    """Live items, newest first: by event day or publication date, then by id."""
    filters = ItemFilters(kind=kind, partner=partner, theme=theme, country=country, region=region, language=language)
    queryset = filters.apply(_live_items())
    if updated_since is not None:
        queryset = queryset.filter(updated_at__gte=_aware(updated_since, "updated_since"))
    limit = _limit(limit)
    rows, following = ITEM_ORDER.page(queryset, cursor, limit)
    return _page(request, [output.item_data(request, item) for item in rows], following, limit)


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise InvalidInput({field: ["This time is out of range."]}) from None


@v1.get("/items/{slug}", response={200: ItemOut, **ONE}, summary="One published item", tags=PUBLIC_TAGS)
def get_item(request, slug: Slug = Path(...)):
    item = _live_items().filter(slug=slug).first()
    if item is None:
        raise NotFound("No published item has this slug.")
    return output.item_data(request, item)


@v1.get("/events", response={200: ItemPage, **READ}, summary="Events in a date range", tags=PUBLIC_TAGS)
def list_events(
    request,
    start: IsoDate = Query(None, description="Events that end on or after this day."),
    end: IsoDate = Query(None, description="Events that begin on or before this day."),
    partner: Slug = Query(None),
    theme: Slug = Query(None),
    country: CountryCode = Query(None),
    region: RegionCode = Query(None),
    format: EventFormat = Query(None, description="online, in_person or hybrid."),  # noqa: A002
    registration: Literal["open"] = Query(None, description="`open`: only events that take registrations now."),
    limit: int = LIMIT,
    cursor: str = CURSOR,
):
    """Published events that overlap the range, earliest first. Without a range: every event."""
    if start and end and end < start:
        raise InvalidInput({"end": ["The end of the range is before its start."]})
    queryset = ItemFilters(partner=partner, theme=theme, country=country, region=region).apply(_live_items().events())
    if start:
        queryset = queryset.filter(end_date__gte=start)
    if end:
        queryset = queryset.filter(start_date__lte=end)
    if format:
        queryset = queryset.filter(event_format=format)
    if registration == "open":
        queryset = queryset.filter(pk__in=open_event_ids(queryset))
    queryset = queryset.annotate(key_date=Coalesce("start_date", Value(NO_DATE), output_field=DateField()))
    limit = _limit(limit)
    rows, following = EVENT_ORDER.page(queryset, cursor, limit)
    return _page(request, [output.item_data(request, item) for item in rows], following, limit)


@v1.get("/editions", response={200: EditionPage, **READ}, summary="List published newsletter editions", tags=PUBLIC_TAGS)
def list_editions(request, limit: int = LIMIT, cursor: str = CURSOR):
    """Published editions, newest period first."""
    limit = _limit(limit)
    rows, following = EDITION_ORDER.page(Edition.objects.published(), cursor, limit)
    return _page(request, [output.edition_summary(e) for e in rows], following, limit)


@v1.get("/editions/{slug}", response={200: EditionOut, **ONE}, summary="One published edition, as sent", tags=PUBLIC_TAGS)
def get_edition(request, slug: Slug = Path(...)):
    edition = Edition.objects.published().filter(slug=slug).first()
    if edition is None:
        raise NotFound("No published edition has this slug.")
    return output.edition_data(edition)


@v1.get("/search", response={200: SearchResults, **READ}, summary="Search published items, with facets", tags=PUBLIC_TAGS)
def search(
    request,
    q: str = Query(..., min_length=1, max_length=200, pattern=NO_NUL, description="Words to find."),
    kind: ItemKind = Query(None),
    partner: Slug = Query(None),
    theme: Slug = Query(None),
    region: RegionCode = Query(None),
    country: CountryCode = Query(None),
    language: LanguageCode = Query(None),
    year: int = Query(None, ge=1, le=9999),
    limit: int = LIMIT,
    cursor: str = CURSOR,
):
    """The portal's search: ranked, stemmed, accent-insensitive; facet counts cover every match."""
    filters = ItemFilters(kind=kind, partner=partner, theme=theme, region=region, country=country, language=language, year=year)
    size = _limit(limit)
    number = 1
    if cursor:
        number, size = pagination.decode("search", cursor, 2)
    results = engine.search(q, filters, page=number, size=size, prepare=output.with_details)
    following = None
    if number * size < results.total:
        following = pagination.encode("search", [number + 1, size])
    facets = {
        name: [{"value": str(value), "label": str(label), "count": count} for value, label, count in results.facets.get(name, [])]
        for name in engine.FACETS
    }
    editions = []
    if number == 1 and not filters:
        editions = [
            {"slug": e.slug, "title": e.title, "url": settings.SITE_URL + e.get_absolute_url(), "snippet": snippet}
            for e, snippet in engine.search_editions(q)
        ]
    hits = [{"item": output.item_data(request, hit.item), "snippet": hit.snippet} for hit in results.hits]
    return {**_page(request, hits, following, size), "query": q, "total": results.total, "total_capped": results.capped,
            "facets": facets, "editions": editions}
