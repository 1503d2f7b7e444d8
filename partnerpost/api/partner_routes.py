"""The token's own partner: its items in every state, and writes through the same ItemForm and
workflow functions as the web forms."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from ninja import Path, Query
from ninja.responses import Status

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Item
from partnerpost.network.models import Partner

from . import output, pagination, writes
from .auth import auth
from .routing import CURSOR, LIMIT, TOKEN, TOKEN_TAGS, _limit, _page, v1
from .schemas import Error, ItemCreate, ItemPatch, PartnerItemOut, PartnerItemPage, Slug, TokenPartnerOut

OWN_ORDER = pagination.Keyset("partner-items", (("id", True),))


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


WRITE = {400: Error, 401: Error, 404: Error, 409: Error, 413: Error, 422: Error, 429: Error}


@v1.post("/items", response={201: PartnerItemOut, 400: Error, 401: Error, 413: Error, 422: Error, 429: Error}, summary="Create an item (a draft)", auth=auth, tags=TOKEN_TAGS)
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
