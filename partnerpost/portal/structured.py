"""schema.org JSON-LD and Open Graph data for an item page."""

from __future__ import annotations

import json

from django.utils.safestring import mark_safe

from partnerpost.content.enums import ItemKind
from partnerpost.lib.markup import plain_text

def _organization(name, url=None):
    data = {"@type": "Organization", "name": name}
    if url:
        data["url"] = url
    return data


def item_jsonld(item, absolute_url: str) -> dict:
    organizers = [o for o in item.organizations.all() if o.role == "organizer"] or None
    org_list = (
        [_organization(o.display_name, o.partner.website if o.partner_id else None) for o in organizers]
        if organizers
        else [_organization(item.partner.name, item.partner.website or None)]
    )
    data = {
        "@context": "https://schema.org",
        "name": item.title,
        "description": item.summary,
        "url": absolute_url,
        "inLanguage": item.language,
    }
    if item.image:
        data["image"] = absolute_url.split("/items/")[0] + item.image.url
    kind = item.kind_def
    data["@type"] = kind.schema_type
    data["author"] = org_list
    if item.kind != ItemKind.EVENT:
        data["publisher"] = _organization(item.partner.name, item.partner.website or None)
        if item.published_on:
            data["datePublished"] = item.published_on.isoformat()
        elif item.first_published_at:
            data["datePublished"] = item.first_published_at.date().isoformat()
        if item.document_url:
            data["encoding"] = {"@type": "MediaObject", "contentUrl": item.document_url}
        if item.body_html:
            data["abstract"] = plain_text(item.body_html)[:500]
    # The kind's own properties (an event's dates, place and offers; a news story's headline...).
    kind.jsonld(item, data, absolute_url)
    return data


def as_script(data: dict) -> str:
    """The JSON-LD, safe inside a <script type="application/ld+json"> element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)
