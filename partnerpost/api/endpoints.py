"""The JSON API: public reads for everyone, token-authenticated writes for partners.

Reads show exactly what the public portal shows (live items, published editions),
whoever asks. A token sees its own partner's items in every state under /partner/,
and writes them through the same ItemForm and workflow functions as the web forms.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from functools import wraps
from typing import Optional

from django.conf import settings
from django.db.models import DateField, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from ninja import NinjaAPI, Path, Query, Router
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import Status
from ninja.security import HttpBearer

from partnerpost.content.enums import EventFormat, ItemKind, ItemState
from partnerpost.content.models import Item, Theme
from partnerpost.discovery import search as engine
from partnerpost.editions.models import Edition
from partnerpost.network.models import Partner

from . import output, pagination, ratelimit, writes
from . import workflows as tokens
from .docs import CspSwagger
from .errors import ApiError, BadRequest, InvalidInput, NotAuthenticated, NotFound, RateLimited
from .schemas import (
    NO_NUL,
    CountryCode,
    EditionOut,
    EditionPage,
    Error,
    IsoDate,
    IsoDateTime,
    ItemCreate,
    ItemOut,
    ItemPage,
    ItemPatch,
    LanguageCode,
    PartnerItemOut,
    PartnerItemPage,
    PartnerOut,
    PartnerPage,
    RegionCode,
    SearchResults,
    Slug,
    ThemeList,
    TokenPartnerOut,
)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MISSING_TOKEN = "Send an API token in the Authorization header: `Authorization: Bearer pp_…`."
INVALID_TOKEN = "The API token is not valid: it may be mistyped, expired or revoked."

DESCRIPTION = """
Published news, events, publications, calls, awards and newsletter editions of the network's
partner institutions, and a write interface for partners' own systems.

**Reads** are public, show only what the public portal shows, and may be called from any web
page (CORS). Lists are paged with an opaque `cursor`: follow the `next` URL (also sent as a
`Link: <…>; rel="next"` header) until it is null. Every read sends an `ETag`; send it back as
`If-None-Match` and an unchanged answer costs a `304 Not Modified` with no body.

**Writes** need a partner's API token, made by a partner editor on the workspace page
*API tokens* (`/workspace/tokens/`): `Authorization: Bearer pp_<prefix>_<secret>`. A token
creates and updates its own partner's items, as drafts, and submits them for review; it
acts with the rights of the person who made it, and never beyond a contributor's. Another
partner's items answer `404`, exactly like items that do not exist. Session cookies are never
accepted here. Fields are checked by the same rules as the web form; failures answer `422`
with `{"errors": {"field": ["message"]}}` and change nothing.

**Limits**: reads are counted per client address, writes per token, in fixed windows;
over the limit the answer is `429` with `Retry-After` (seconds). Every answer carries
`X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`.
""".strip()


class BearerToken(HttpBearer):
    """`Authorization: Bearer pp_<prefix>_<secret>`. Every failure is a 401 that does not say which tokens exist."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise NotAuthenticated(MISSING_TOKEN)
        token = tokens.authenticate(raw.strip())
        if token is None:
            raise NotAuthenticated(INVALID_TOKEN)
        request.api_token = token
        if request.method not in SAFE_METHODS:
            verdict = ratelimit.for_write(token)
            request.api_rate = verdict
            if not verdict.allowed:
                raise RateLimited(_too_many(verdict), headers=verdict.headers())
        return token

    def authenticate(self, request, token):  # pragma: no cover - __call__ does the work
        return None


def _too_many(verdict) -> str:
    return f"Too many requests: the limit is {verdict.limit} per {settings.API_RATE_WINDOW} seconds. Retry after {verdict.reset} seconds."


class PartnerpostApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return _finish_schema(schema)


api = PartnerpostApi(
    title="Partnerpost API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=CspSwagger(),
)

auth = BearerToken()


# Cross-cutting: read limits, ETag, Cache-Control --------------------------------

def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    bare = etag.strip('"')
    return any(tag.removeprefix("W/").strip('"') == bare for tag in parse_etags(header))


def guarded(run):
    """Around every operation: count reads per client address, then make GET answers cacheable and conditional."""

    @wraps(run)
    def wrapped(request, *args, **kwargs):
        verdict = None
        if request.method in SAFE_METHODS:
            verdict = ratelimit.for_read(request)
            if not verdict.allowed:
                return _error_response(request, RateLimited(_too_many(verdict), headers=verdict.headers()))
        response = run(request, *args, **kwargs)
        verdict = getattr(request, "api_rate", None) or verdict
        if verdict is not None:
            for name, value in verdict.headers().items():
                response.headers.setdefault(name, value)
        if request.method == "GET" and response.status_code == 200:
            response = _conditional(request, response)
        return response

    return wrapped


def _conditional(request, response):
    etag = _etag(response.content)
    response["ETag"] = etag
    if getattr(request, "api_token", None) is not None:
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Authorization"])
    else:
        response["Cache-Control"] = f"public, max-age={settings.API_CACHE_SECONDS}"
    if _matches(request.headers.get("If-None-Match", ""), etag):
        not_modified = HttpResponse(status=304)
        for name in ("ETag", "Cache-Control", "Vary", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
            if name in response:
                not_modified[name] = response[name]
        return not_modified
    return response


api.add_decorator(guarded, mode="view")


# Errors -------------------------------------------------------------------------

def _error_response(request, exc: ApiError):
    response = api.create_response(request, exc.body(), status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="partnerpost", error="invalid_token"'
    return response


@api.exception_handler(ApiError)
def _api_error(request, exc):
    return _error_response(request, exc)


@api.exception_handler(pagination.CursorError)
def _cursor_error(request, exc):
    return _error_response(request, BadRequest(str(exc), {"cursor": [str(exc).removeprefix("cursor: ")]}))


def _error_key(loc) -> str:
    parts = list(loc[1:])
    if loc and loc[0] == "body" and parts[:1] == ["payload"]:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or str(loc[0] if loc else "body")


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        message = str(error.get("msg", "Not valid.")).removeprefix("Value error, ")
        errors.setdefault(_error_key(error.get("loc", ())), []).append(message)
    return _error_response(request, InvalidInput(errors))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = "The request body is not valid JSON."
    return _error_response(request, ApiError(detail, status=exc.status_code))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error_response(request, NotFound("Not found."))


# Shared parameters ----------------------------------------------------------------

def _limit(value: Optional[int]) -> int:
    return value or settings.API_PAGE_SIZE


LIMIT = Query(None, ge=1, le=100, description="Rows per page (default 20, at most 100).")
CURSOR = Query(None, max_length=1000, pattern=NO_NUL, description="From the `next` URL of the previous page.")


def _next_url(request, cursor: str | None, limit: int) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    params["limit"] = str(limit)
    return request.build_absolute_uri(request.path + "?" + params.urlencode())


def _page(request, rows: list, cursor: str | None, limit: int) -> dict:
    next_url = _next_url(request, cursor, limit)
    if next_url:
        request._api_link = next_url
    return {"results": rows, "next": next_url, "limit": limit}


def _with_link(run):
    """Send the next page's URL as a Link header too."""

    @wraps(run)
    def wrapped(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        link = getattr(request, "_api_link", None)
        if link and response.status_code == 200:
            response["Link"] = f'<{link}>; rel="next"'
        return response

    return wrapped


api.add_decorator(_with_link, mode="view")

READ = {304: None, 400: Error, 422: Error, 429: Error}
ONE = {304: None, 404: Error, 422: Error, 429: Error}
TOKEN = {401: Error, 422: Error, 429: Error}


# Public reads ---------------------------------------------------------------------

v1 = Router()
PUBLIC_TAGS = ["Public reads"]
TOKEN_TAGS = ["Partner (token)"]


def _live_items():
    return output.with_details(Item.objects.published())


ITEM_ORDER = pagination.Keyset("items", (("key_date", True), ("id", True)))
EVENT_ORDER = pagination.Keyset("events", (("key_date", False), ("id", False)))
PARTNER_ORDER = pagination.Keyset("partners", (("display_order", False), ("id", False)))
EDITION_ORDER = pagination.Keyset("editions", (("period_start", True), ("id", True)))
OWN_ORDER = pagination.Keyset("partner-items", (("id", True),))
NO_DATE = dt.date(1, 1, 1)


def _filter_items(queryset, *, kind=None, partner=None, theme=None, country=None, region=None, language=None):
    if kind:
        queryset = queryset.filter(kind=kind)
    if partner:
        queryset = queryset.filter(partner__slug=partner)
    if theme:
        queryset = queryset.filter(themes__slug=theme)
    if country:
        queryset = queryset.filter(countries__code=country.upper())
    if region:
        queryset = queryset.in_region(region)
    if language:
        queryset = queryset.filter(language=language)
    return queryset


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
    queryset = _filter_items(_live_items(), kind=kind, partner=partner, theme=theme, country=country, region=region, language=language)
    if updated_since is not None:
        queryset = queryset.filter(updated_at__gte=_aware(updated_since, "updated_since"))
    queryset = queryset.annotate(key_date=Coalesce("sort_date", Value(NO_DATE), output_field=DateField()))
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
    limit: int = LIMIT,
    cursor: str = CURSOR,
):
    """Published events that overlap the range, earliest first. Without a range: every event."""
    if start and end and end < start:
        raise InvalidInput({"end": ["The end of the range is before its start."]})
    queryset = _filter_items(_live_items().events(), partner=partner, theme=theme, country=country, region=region)
    if start:
        queryset = queryset.filter(end_date__gte=start)
    if end:
        queryset = queryset.filter(start_date__lte=end)
    if format:
        queryset = queryset.filter(event_format=format)
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
    filters = {"kind": kind or "", "partner": partner or "", "theme": theme or "", "region": region or "",
               "country": country or "", "language": language or "", "year": str(year) if year else ""}
    size = _limit(limit)
    number = 1
    if cursor:
        number, size = pagination.decode("search", cursor, 2)
    results = engine.search(q, filters, page=number, size=size)
    following = None
    if number * size < results.total:
        following = pagination.encode("search", [number + 1, size])
    facets = {
        name: [{"value": str(value), "label": str(label), "count": count} for value, label, count in results.facets.get(name, [])]
        for name in engine.FACETS
    }
    editions = []
    if number == 1 and not any(filters.values()):
        editions = [
            {"slug": e.slug, "title": e.title, "url": settings.SITE_URL + e.get_absolute_url(), "snippet": snippet}
            for e, snippet in engine.search_editions(q)
        ]
    hits = [{"item": output.item_data(request, hit.item), "snippet": hit.snippet} for hit in results.hits]
    return {**_page(request, hits, following, size), "query": q, "total": results.total, "facets": facets, "editions": editions}


# The token's own partner ----------------------------------------------------------



@v1.get("/partner", response={200: TokenPartnerOut, 304: None, **TOKEN}, summary="The token's partner", auth=auth, tags=TOKEN_TAGS)
def token_partner(request):
    """Which partner this token writes for: a cheap way to check a token works."""
    token = request.auth
    partner = Partner.objects.select_related("country", "region").get(pk=token.partner_id)
    return {"partner": output.partner_data(request, partner), "token_name": token.name,
            "token_prefix": token.display, "expires_at": token.expires_at}


@v1.get("/partner/items", response={200: PartnerItemPage, 304: None, 400: Error, **TOKEN}, summary="The partner's own items, in every state", auth=auth, tags=TOKEN_TAGS)
def list_own_items(
    request,
    state: ItemState = Query(None),
    kind: ItemKind = Query(None),
    limit: int = LIMIT,
    cursor: str = CURSOR,
):
    """Newest first (by creation)."""
    queryset = output.with_details(Item.objects.filter(partner_id=request.auth.partner_id))
    if state:
        queryset = queryset.filter(state=state)
    if kind:
        queryset = queryset.filter(kind=kind)
    limit = _limit(limit)
    rows, following = OWN_ORDER.page(queryset, cursor, limit)
    return _page(request, [output.partner_item_data(request, item) for item in rows], following, limit)


def _own_item_data(request, item):
    fresh = output.with_details(Item.objects.filter(pk=item.pk)).get()
    return output.partner_item_data(request, fresh)


@v1.get("/partner/items/{slug}", response={200: PartnerItemOut, 304: None, 404: Error, **TOKEN}, summary="One of the partner's own items", auth=auth, tags=TOKEN_TAGS)
def get_own_item(request, slug: Slug = Path(...)):
    return _own_item_data(request, writes.own_item(request.auth, slug))


WRITE = {400: Error, 401: Error, 404: Error, 409: Error, 422: Error, 429: Error}


@v1.post("/items", response={201: PartnerItemOut, 400: Error, 401: Error, 422: Error, 429: Error}, summary="Create an item (a draft)", auth=auth, tags=TOKEN_TAGS)
def create_item(request, response: HttpResponse, payload: ItemCreate):
    """A new draft of the token's partner; with `"submit": true` it goes straight to review.
    The `Location` header names the new item's address."""
    item = writes.create(request.auth, payload.model_dump())
    response["Location"] = request.build_absolute_uri(reverse("api:get_own_item", args=[item.slug]))
    return Status(201, _own_item_data(request, item))


@v1.patch("/items/{slug}", response={200: PartnerItemOut, **WRITE}, summary="Change a draft", auth=auth, tags=TOKEN_TAGS)
def update_item(request, payload: ItemPatch, slug: Slug = Path(...)):
    """Only the fields sent change. Drafts only, including drafts the secretariat returned; 409 otherwise."""
    values = payload.model_dump()
    item = writes.update(request.auth, slug, {name: values[name] for name in payload.model_fields_set})
    return _own_item_data(request, item)


@v1.post("/items/{slug}/submit", response={200: PartnerItemOut, **WRITE}, summary="Submit a draft for review", auth=auth, tags=TOKEN_TAGS)
def submit_item(request, slug: Slug = Path(...)):
    """The secretariat is told, exactly as when the item is submitted from the workspace."""
    item = writes.submit(request.auth, slug)
    return _own_item_data(request, item)


api.add_router("/v1", v1)


# The OpenAPI document's finishing touches --------------------------------------------

def _finish_schema(schema: dict) -> dict:
    schema = copy.deepcopy(schema)  # ninja may share one response object between operations
    schema["info"]["contact"] = {"name": settings.SITE_NAME, "url": settings.SITE_URL}
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    if "BearerToken" in schemes:
        schemes["BearerToken"]["bearerFormat"] = "pp_<prefix>_<secret>"
        schemes["BearerToken"]["description"] = "A partner's API token, made on the workspace page API tokens."
    headers = {
        "X-RateLimit-Limit": {"description": "Requests allowed in the window.", "schema": {"type": "integer"}},
        "X-RateLimit-Remaining": {"description": "Requests left in the window.", "schema": {"type": "integer"}},
        "X-RateLimit-Reset": {"description": "Seconds until the window starts again.", "schema": {"type": "integer"}},
    }
    for path in schema.get("paths", {}).values():
        for method, operation in path.items():
            responses = {str(code): response for code, response in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for code, response in responses.items():
                response["description"] = _DESCRIPTIONS.get(code, response.get("description", ""))
                response.setdefault("headers", {}).update(headers)
                if code == "429":
                    response["headers"]["Retry-After"] = {"description": "Seconds to wait.", "schema": {"type": "integer"}, "required": True}
                if code == "401":
                    response["headers"]["WWW-Authenticate"] = {"description": "Bearer challenge.", "schema": {"type": "string"}}
                if code in {"200", "304"} and method == "get":
                    response["headers"]["ETag"] = {"description": "Send it back as If-None-Match.", "schema": {"type": "string"}}
                if code == "304":
                    response.pop("content", None)
            if method == "get":
                operation.setdefault("parameters", []).append({
                    "name": "If-None-Match", "in": "header", "required": False,
                    "description": "The ETag of an earlier answer: 304 if nothing changed.", "schema": {"type": "string"},
                })
    return schema


_DESCRIPTIONS = {
    "200": "OK",
    "201": "Created",
    "304": "Not modified since the ETag sent in If-None-Match; no body.",
    "400": "The request cannot be read (a cursor this list did not give out, a body that is not JSON).",
    "401": "No token, or a token that is not valid (mistyped, expired or revoked).",
    "404": "Not found; for a token, also another partner's item.",
    "409": "The item's state does not allow this (for example, it is already submitted).",
    "422": "Some parameters or fields are not valid; `errors` names each.",
    "429": "Too many requests; wait `Retry-After` seconds.",
}
