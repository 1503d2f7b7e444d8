"""RSS 2.0 and Atom feeds: all items, per partner, per kind, per theme, and editions.
Only published, live items ever appear (Item.objects.published()).

Summaries are plain text, and the feeds say so: Atom's <summary type="text">, and in RSS (whose
<description> readers take as HTML) the text escaped, so "<img onerror=...>" typed in a summary is
shown as those characters by every feed reader, never run as markup. No HTML body is emitted.
"""

import html

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from partnerpost.content.enums import ItemKind
from partnerpost.content.filters import ItemFilters
from partnerpost.content.models import Item, Theme
from partnerpost.editions.models import Edition
from partnerpost.network.models import Partner

FEED_SIZE = 50


class PlainTextRss(Rss201rev2Feed):
    """RSS 2.0 whose item descriptions are plain text: escaped, so a reader shows them as written."""

    def add_item_elements(self, handler, item):
        if item["description"] is not None:
            item = {**item, "description": html.escape(item["description"], quote=False)}
        super().add_item_elements(handler, item)


class PlainTextAtom(Atom1Feed):
    """Atom whose entry summaries are declared as text (type="text"), not HTML."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ItemFeed(Feed):
    feed_type = PlainTextRss

    def get_object(self, request, scope=None, value=None):
        if scope is None:
            return None
        if scope == "partner":
            return get_object_or_404(Partner.objects.active(), slug=value)
        if scope == "theme":
            return get_object_or_404(Theme, slug=value)
        if scope == "kind":
            if value not in ItemKind.values:
                raise Http404
            return ItemKind(value)
        raise Http404

    def title(self, obj):
        if obj is None:
            return settings.SITE_NAME
        return f"{settings.SITE_NAME}: {obj.label if isinstance(obj, ItemKind) else obj}"

    def link(self, obj):
        return "/items/" if obj is None else f"/items/?{self._filters(obj).query_string()}"

    def description(self, obj):
        return settings.SITE_TAGLINE

    def _filters(self, obj) -> ItemFilters:
        """The feed's scope in the archive's filter vocabulary: its link opens the same list."""
        if obj is None:
            return ItemFilters()
        if isinstance(obj, Partner):
            return ItemFilters(partner=obj.slug)
        if isinstance(obj, Theme):
            return ItemFilters(theme=obj.slug)
        return ItemFilters(kind=obj.value)

    def items(self, obj):
        rows = Item.objects.published().select_related("partner").order_by("-first_published_at", "-id")
        return self._filters(obj).apply(rows)[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"{settings.SITE_URL}/items/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.partner.name

    def item_categories(self, item):
        return [item.get_kind_display(), item.partner.acronym]


class ItemAtomFeed(ItemFeed):
    feed_type = PlainTextAtom
    subtitle = ItemFeed.description


class EditionFeed(Feed):
    feed_type = PlainTextRss
    link = "/editions/"

    def title(self):
        return _("%(site)s: newsletter editions") % {"site": settings.SITE_NAME}

    def description(self):
        return _("Every published edition of the partners' newsletter.")

    def items(self):
        return Edition.objects.published().order_by("-published_at")[:FEED_SIZE]

    def item_title(self, edition):
        period = (edition.snapshot or {}).get("period", "")
        return f"{edition.title}, {period}" if period else edition.title

    def item_description(self, edition):
        return _("%(n)d items. Print edition: %(pdf)s") % {
            "n": (edition.snapshot or {}).get("entry_count", 0),
            "pdf": settings.SITE_URL + reverse("editions:pdf", args=[edition.slug]),
        }

    def item_pubdate(self, edition):
        return edition.published_at or timezone.now()


class EditionAtomFeed(EditionFeed):
    feed_type = PlainTextAtom
