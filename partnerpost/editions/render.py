"""One render context per edition; every rendering (web, email, text, PDF, Markdown) reads only this.

The context is plain data — strings, lists and dicts with absolute URLs — so a
published edition can freeze it as JSON and render exactly what was sent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
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


#: The largest box each picture is shown in, in CSS pixels (the email is 600 wide with 32 on each side).
MASTHEAD_BOX = (600, 300)
IMAGE_BOX = (536, 360)
LOGO_BOX = (144, 48)


_SIZES: dict[tuple, tuple[int, int]] = {}


def _pixels(name: str) -> tuple[int, int] | None:
    """An uploaded picture's size, read from its header with Pillow, and kept by name, byte size and
    modification time (a partner's logo may be replaced under the same name). None for a file that is
    missing, unreadable, or of a type the media view would not show as a picture."""
    from PIL import Image, UnidentifiedImageError

    try:
        key = (name, default_storage.size(name), default_storage.get_modified_time(name))
    except (OSError, NotImplementedError, ValueError, SuspiciousFileOperation):
        return None
    if key in _SIZES:
        return _SIZES[key]
    try:
        with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
            size, kind = image.size, image.format
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    if kind not in {"PNG", "JPEG", "WEBP"}:  # the only pictures the media view shows (a GIF logo would not load)
        return None
    if len(_SIZES) > 10000:
        _SIZES.clear()
    _SIZES[key] = size
    return size


def picture(field_file, alt: str, site: str, box: tuple[int, int]) -> dict | None:
    """An image as the renderings need it: its hosted absolute URL, its description, and the width and
    height (in CSS pixels) it is shown at, fitted into `box` without enlarging it. None without a
    readable picture, or without a description (a picture nobody can describe is not printed)."""
    if not field_file or not (alt or "").strip():
        return None
    size = _pixels(field_file.name)
    if size is None or not all(size):
        return None
    width, height = size
    scale = min(1.0, box[0] / width, box[1] / height)
    return {"url": site + field_file.url, "alt": alt.strip(),
            "width": max(1, round(width * scale)), "height": max(1, round(height * scale))}


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
        "image": picture(item.image, item.image_alt, site, IMAGE_BOX),
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
                    "logo": picture(section.partner.logo, _("%(name)s logo") % {"name": section.partner.name}, site, LOGO_BOX)
                    if section.partner_id else None,
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
            "masthead": picture(edition.masthead, edition.masthead_alt, site, MASTHEAD_BOX),
            # The editor's preview line; without one, the renderers write it from the sections (renderers.furnish).
            "preheader": edition.preheader.strip(),
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
