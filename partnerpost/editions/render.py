"""One render context per edition; every rendering (web, email, text, PDF, Markdown) reads only this.

The context is plain data — strings, lists and dicts with absolute URLs — so a
published edition can freeze it as JSON and render exactly what was sent.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnerpost.content.enums import ItemKind
from partnerpost.lib.markup import render_markdown
from partnerpost.content.display import event_dates, event_time, item_date, place

from .models import Edition, Entry


def period_label(edition: Edition) -> str:
    if edition.period_label:
        return edition.period_label
    start, end = edition.period_start, edition.period_end
    if (start.year, start.month) == (end.year, end.month):
        return date_format(start, "F Y")
    if start.year == end.year:
        return f"{date_format(start, 'F')} – {date_format(end, 'F Y')}"
    return f"{date_format(start, 'F Y')} – {date_format(end, 'F Y')}"


def _links(text: str) -> list[dict]:
    links = []
    for line in (text or "").splitlines():
        label, sep, url = line.rpartition("|")
        if sep and url.strip():
            links.append({"label": label.strip(), "url": url.strip()})
    return links


def _entry(entry: Entry, site: str, language: str) -> dict:
    item = entry.item
    url = site + item.get_absolute_url()
    organizers = [o.display_name for o in item.organizations.all() if o.role != "supporter"]
    data = {
        "id": entry.pk,
        "item_id": item.pk,
        "title": item.title,
        "kind": item.kind,
        "kind_label": str(item.get_event_type_display() if item.event_type else item.get_kind_display()),
        "summary": entry.summary_override.strip() or item.summary,
        "url": url,
        "language": item.language,
        # A summary written for this edition is in the edition's language; the item's own is in the item's.
        "summary_language": language if entry.summary_override.strip() else item.language,
        "when": "",
        "time": "",
        "where": "",
        "organizers": organizers,
        "facts": [],
        "links": [{"label": link.label, "url": link.url} for link in item.links.all()],
    }
    kind = item.kind_def
    if item.kind == ItemKind.EVENT:
        data["when"] = event_dates(item)
        data["time"] = event_time(item)
        data["where"] = place(item) or (str(item.get_event_format_display()) if item.event_format else "")
        if item.event_format == "online" and data["where"] != str(item.get_event_format_display()):
            data["where"] = f"{item.get_event_format_display()} · {data['where']}"
    else:
        data["when"] = item_date(item)
    data["facts"] = [str(line) for line in kind.facts(item)]
    data["links"][:0] = [{"label": str(link["label"]), "url": link["url"]} for link in kind.edition_links(item)]
    if not data["links"]:
        data["links"] = [{"label": _("Read more on the portal"), "url": url}]
    return data


def sections_queryset(edition: Edition):
    from partnerpost.content.models import Item

    items = Item.objects.select_related("partner", "venue_country").prefetch_related("links", "days", "organizations__partner")
    entries = Entry.objects.prefetch_related(Prefetch("item", queryset=items))
    return edition.sections.select_related("partner").prefetch_related(Prefetch("entries", queryset=entries.order_by("position", "id")))


def build_context(edition: Edition) -> dict:
    """The live context, read from the database."""
    site = settings.SITE_URL
    with translation.override(edition.language):
        sections = []
        for section in sections_queryset(edition):
            entries = [_entry(entry, site, edition.language) for entry in section.entries.all()]
            if entries:
                sections.append({
                    "id": section.pk,
                    "title": section.title,
                    "anchor": slugify(section.title) or f"section-{section.pk}",
                    "partner": section.partner.acronym if section.partner_id else "",
                    "partner_url": site + section.partner.get_absolute_url() if section.partner_id else "",
                    "entries": entries,
                })
        return {
            "title": edition.title,
            "slug": edition.slug,
            "network": settings.SITE_NAME,
            "period": period_label(edition),
            "volume": edition.volume,
            "number": edition.number,
            "language": edition.language,
            "introduction_html": render_markdown(edition.introduction),
            "disclaimer": edition.disclaimer,
            "contact_email": edition.contact_email,
            "contact_text": edition.contact_text,
            "social_links": _links(edition.social_links),
            "url": site + edition.get_absolute_url(),
            "pdf_url": site + edition.get_absolute_url() + "newsletter.pdf",
            "archive_url": site + "/editions/",
            "site_url": site,
            "entry_count": sum(len(s["entries"]) for s in sections),
            "sections": sections,
        }


def rebase(context: dict, site: str | None = None) -> dict:
    """The context with the site's own links moved to `site` (the current SITE_URL by default).

    A snapshot keeps the site address it was frozen with (`site_url`). The text readers received
    never changes, but the address it is served from may (`PORT=8080 make run`, a new domain): every
    link into the site is rewritten at render time, so the page, the email, the PDF and the calendar
    all point where the site is now. Links to other sites are left alone."""
    site = (site or settings.SITE_URL).rstrip("/")
    old = (context.get("site_url") or "").rstrip("/")
    if not old or old == site:
        return context

    def move(value):
        if isinstance(value, str):
            if value == old:
                return site
            return value.replace(old + "/", site + "/") if old + "/" in value else value
        if isinstance(value, list):
            return [move(v) for v in value]
        if isinstance(value, dict):
            return {k: move(v) for k, v in value.items()}
        return value

    return move(context)


def context_for(edition: Edition) -> dict:
    """What to render: the frozen snapshot once published (its links moved to the current site), the live data before."""
    return rebase(edition.snapshot) if edition.is_published and edition.snapshot else build_context(edition)
