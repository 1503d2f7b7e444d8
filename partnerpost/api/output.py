"""Rows turned into the API's JSON shapes (see schemas.py). One function per shape."""

from __future__ import annotations

from django.urls import reverse

from partnerpost.content import kinds
from partnerpost.content.models import Item

#: Everything item_data reads, fetched in a fixed number of queries per page.
ITEM_RELATED = ("partner", "venue_country", "series", "award_programme")
ITEM_PREFETCH = (
    "themes", "countries", "regions", "links", "people", "days", "organizations__partner",
    "winners__category", "winners__country", "award_categories", "translation_group__items",
)


def with_details(queryset):
    return queryset.select_related(*ITEM_RELATED).prefetch_related(*ITEM_PREFETCH)


_place = kinds.place_ref


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _file_url(request, field):
    if not field:
        return None
    return _absolute(request, field.url)


def partner_ref(partner):
    return {"slug": partner.slug, "acronym": partner.acronym, "name": partner.name}


def partner_data(request, partner):
    return {
        **partner_ref(partner),
        "kind": partner.kind,
        "description": partner.description,
        "website": partner.website,
        "country": _place(partner.country),
        "region": _place(partner.region),
        "logo_url": _file_url(request, partner.logo),
        "url": _absolute(request, partner.get_absolute_url()),
        "items_url": _absolute(request, reverse("api:items") + f"?partner={partner.slug}"),
    }


def theme_data(theme):
    return {"slug": theme.slug, "name": theme.name, "kind": theme.kind, "sdg_number": theme.sdg_number}


def _versions(request, item: Item, public: bool) -> list[dict]:
    return [
        {"slug": v.slug, "language": v.language, "title": v.title, "url": _absolute(request, v.get_absolute_url())}
        for v in item.other_versions(public=public)
    ]


def item_data(request, item: Item, public: bool = True) -> dict:
    """An item as the public sees it (call with_details() on the queryset first)."""
    kind = item.kind
    return {
        "slug": item.slug,
        "url": _absolute(request, item.get_absolute_url()),
        "kind": kind,
        "title": item.title,
        "summary": item.summary,
        "body_html": item.body_html,
        "language": item.language,
        "partner": partner_ref(item.partner),
        "themes": [theme_data(t) for t in item.themes.all()],
        "countries": [_place(c) for c in item.countries.all()],
        "regions": [_place(r) for r in item.regions.all()],
        "organizations": [
            {"role": o.role, "name": o.display_name, "partner": o.partner.slug if o.partner_id else None}
            for o in item.organizations.all()
        ],
        "links": [{"label": link.label, "url": link.url} for link in item.links.all()],
        "image": {"url": _file_url(request, item.image), "alt": item.image_alt} if item.image else None,
        "published_on": item.published_on,
        "date": item.sort_date,
        "first_published_at": item.first_published_at,
        "updated_at": item.updated_at,
        "translations": _versions(request, item, public),
        # One object per kind, filled for the item's own (see content.kinds).
        **{
            other.api_key: other.api_data(item, request.build_absolute_uri) if other.value == kind else None
            for other in kinds.all() if other.api_key
        },
    }


def partner_item_data(request, item: Item) -> dict:
    """An item as its own partner's token sees it: with its place in the workflow."""
    return {
        **item_data(request, item, public=False),
        "state": item.state,
        "rejection_reason": item.rejection_reason,
        "revision": item.revision,
        "created_at": item.created_at,
        "submitted_at": item.submitted_at,
        "go_live_at": item.go_live_at,
        "expire_at": item.expire_at,
    }


def _edition_summary(edition, context: dict) -> dict:
    return {
        "slug": edition.slug,
        "title": edition.title,
        "url": context.get("url", ""),
        "pdf_url": context.get("pdf_url", ""),
        "period": context.get("period", ""),
        "period_start": edition.period_start,
        "period_end": edition.period_end,
        "volume": edition.volume,
        "number": edition.number,
        "language": edition.language,
        "published_at": edition.published_at,
    }


def edition_summary(edition) -> dict:
    from partnerpost.editions.render import period_label

    site = _site()
    path = edition.get_absolute_url()
    return _edition_summary(edition, {
        "url": site + path, "pdf_url": site + path + "newsletter.pdf", "period": period_label(edition),
    })


def edition_data(edition) -> dict:
    """A published edition as readers got it: read from its frozen snapshot."""
    from partnerpost.editions.render import context_for

    context = context_for(edition)
    return {
        **_edition_summary(edition, context),
        "introduction_html": context.get("introduction_html", ""),
        "disclaimer": context.get("disclaimer", ""),
        "sections": [
            {
                "title": section.get("title", ""),
                "partner": section.get("partner", ""),
                "entries": [
                    {
                        "title": e.get("title", ""), "kind": e.get("kind", ""), "kind_label": e.get("kind_label", ""),
                        "summary": e.get("summary", ""), "url": e.get("url", ""), "language": e.get("language", ""),
                        "when": e.get("when", ""), "time": e.get("time", ""), "where": e.get("where", ""),
                        "organizers": list(e.get("organizers", [])), "facts": list(e.get("facts", [])),
                        "links": [{"label": link.get("label", ""), "url": link.get("url", "")} for link in e.get("links", [])],
                    }
                    for e in section.get("entries", [])
                ],
            }
            for section in context.get("sections", [])
        ],
    }


def _site() -> str:
    from django.conf import settings

    return settings.SITE_URL
