from django.contrib.sitemaps import GenericSitemap
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import path, reverse
from django.views.decorators.cache import cache_page

from partnerpost.content.models import Item
from partnerpost.editions.models import Edition
from partnerpost.network.models import Partner

from . import feeds, ical, views


def robots(request):
    # The month calendar's own page is for crawlers; its ?month=... pages (endless for a crawler) are not.
    calendar = reverse("portal:calendar_month")
    lines = ["User-agent: *", "Disallow: /workspace/", "Disallow: /admin/", "Disallow: /accounts/",
             "Disallow: /subscription/", "Disallow: /unsubscribe/", f"Disallow: {calendar}?", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class _LiveItems(GenericSitemap):
    def items(self):
        return Item.objects.published().order_by("id")


SITEMAPS = {
    "items": _LiveItems({"queryset": Item.objects.none(), "date_field": "updated_at"}),
    "partners": GenericSitemap({"queryset": Partner.objects.active().order_by("id")}),
    "editions": GenericSitemap({"queryset": Edition.objects.published().order_by("id"), "date_field": "updated_at"}),
}

urlpatterns = [
    path("search/", views.search, name="search"),
    path("feeds/items.rss", feeds.ItemFeed(), name="feed-items-rss"),
    path("feeds/items.atom", feeds.ItemAtomFeed(), name="feed-items-atom"),
    path("feeds/<str:scope>/<str:value>.rss", feeds.ItemFeed(), name="feed-rss"),
    path("feeds/<str:scope>/<str:value>.atom", feeds.ItemAtomFeed(), name="feed-atom"),
    path("feeds/editions.rss", feeds.EditionFeed(), name="feed-editions-rss"),
    path("feeds/editions.atom", feeds.EditionAtomFeed(), name="feed-editions-atom"),
    path("calendar/events.ics", ical.calendar_view, name="calendar"),
    path("calendar/search.ics", ical.search_calendar, name="calendar-search"),
    path("calendar/<str:scope>/<str:value>.ics", ical.calendar_view, name="calendar-scoped"),
    path("items/<slug:slug>/event.ics", ical.event_ics, name="event-ics"),
]

#: Addresses that exist once, outside the language prefixes.
root_patterns = [
    path("sitemap.xml", cache_page(600)(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots, name="robots"),
]
