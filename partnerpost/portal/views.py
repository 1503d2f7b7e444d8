import datetime as dt
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.conf.locale import LANG_INFO
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partnerpost.content.enums import ItemKind
from partnerpost.portal.context_processors import language_name
from partnerpost.content.models import Item
from partnerpost.editions.models import Edition
from partnerpost.lib import datebounds
from partnerpost.network.models import Partner
from partnerpost.registration.views import box_context as registration_box
from partnerpost.content.permissions import can

from .forms import ArchiveFilterForm
from partnerpost.network.pagecache import for_anonymous
from partnerpost.network.paging import CachedCountPaginator, KnownCountPaginator
from .structured import as_script, item_jsonld

logger = logging.getLogger(__name__)


def _page(request, queryset, form=None, size=None):
    """The requested page; the total is kept per list, which is the page's path and the form's valid filters.
    Nothing else in the address counts: a new unknown parameter (a crawler's, a tracking tag) or an invalid
    value does not make the total be counted again."""
    filters = sorted((name, str(value)) for name, value in (form.filters() if form is not None else {}).items())
    paginator = CachedCountPaginator(queryset, size or settings.ARCHIVE_PAGE_SIZE, key=f"{request.path}?{urlencode(filters)}")
    return paginator.get_page(request.GET.get("page"))


@for_anonymous
def home(request):
    published = Item.objects.published().for_listing()
    today = timezone.localdate()
    upcoming = list(published.upcoming(today)[:6])
    recent_events = [] if upcoming else list(published.past(today)[:6])
    context = {
        "upcoming": upcoming,
        "recent_events": recent_events,
        "publications": list(published.filter(kind=ItemKind.PUBLICATION)[:4]),
        "news": list(published.exclude(kind__in=[ItemKind.EVENT, ItemKind.PUBLICATION])[:6]),
        "partners": list(Partner.objects.active().select_related("country")),
        "latest_edition": Edition.objects.latest_for(get_language() or settings.LANGUAGE_CODE),
    }
    return render(request, "portal/home.html", context)


#: How far the archive counts when its kept total is missing (an emptied table), until the recount is done.
MISSING_TOTAL_LIMIT = 10_000


def _live_total(items) -> int:
    """The whole archive's total, as content.livetotal keeps it: a request never counts the live items.
    Should the kept figure be missing, the recount is queued (once a minute at most) and the page counts at most
    MISSING_TOTAL_LIMIT + 1 rows meanwhile."""
    from django.core.cache import cache

    from partnerpost.content import livetotal
    from partnerpost.content.tasks import recount_live_total

    total = livetotal.current()
    if total is not None:
        return total
    if cache.add("live-total-recount-queued", 1, 60):
        logger.warning("The archive's kept total is missing; queued recount_live_total")
        recount_live_total.enqueue()
    return items.order_by()[:MISSING_TOTAL_LIMIT + 1].count()


@for_anonymous
def archive(request):
    form = ArchiveFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    items = form.apply(Item.objects.published()).for_listing().order_by("-sort_date", "-id")
    if form.filters():
        page = _page(request, items, form)  # a filtered total: counted once per content version (network.paging)
    else:
        page = KnownCountPaginator(items, settings.ARCHIVE_PAGE_SIZE, count=_live_total(items)).get_page(
            request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "portal/archive.html",
        {"form": form, "page": page, "items": page.object_list, "query": query.urlencode()},
    )


@for_anonymous
def events(request, past=False):
    form = ArchiveFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    published = form.apply(Item.objects.published()).for_listing()
    items = published.past() if past else published.upcoming()
    page = _page(request, items, form)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "portal/events.html",
        {"form": form, "page": page, "items": page.object_list, "past": past, "query": query.urlencode()},
    )


#: How far the month calendar's previous and next links lead beyond today and beyond the events there are.
CALENDAR_REACH_YEARS = 5


def _month(value: str):
    """(the first day of the month written YYYY-MM, "") or (None, why not): not a month, or one outside
    the dates Partnerpost accepts (lib.datebounds)."""

    parts = value.split("-")
    shown = value[:40]
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        return None, _("Month: %(value)s is not a month; write it as YYYY-MM.") % {"value": shown}
    year = int(parts[0]) if len(parts[0]) <= 6 else 0
    if not datebounds.EARLIEST.year <= year <= datebounds.LATEST.year:
        return None, _("Month: %(value)s is outside the calendar, which shows %(earliest)d to %(latest)d.") % {
            "value": shown, "earliest": datebounds.EARLIEST.year, "latest": datebounds.LATEST.year}
    return dt.date(year, int(parts[1]), 1), ""


def _calendar_reach(today):
    """The first and last month the calendar links to: five years before the earlier of today and the first
    published event, five years after the later of today and the last one, within the accepted dates
    (lib.datebounds). So a crawler following "next" stops somewhere."""
    from django.db.models import Max, Min

    span = Item.objects.published().events().aggregate(first=Min("start_date"), last=Max("end_date"))
    first = max(min(today, span["first"] or today), datebounds.EARLIEST)
    last = min(max(today, span["last"] or today), datebounds.LATEST)
    earliest = max(dt.date(first.year - CALENDAR_REACH_YEARS, first.month, 1), datebounds.EARLIEST)
    latest = min(dt.date(last.year + CALENDAR_REACH_YEARS, last.month, 1), datebounds.LATEST.replace(day=1))
    return earliest, latest


@for_anonymous
def calendar_month(request):
    """A month of events as a grid, filterable like the archive; ?month=2020-11.

    A month that is not one, or lies outside the dates Partnerpost accepts (lib.datebounds), shows this
    month with a message saying why. The previous and next links stop at `_calendar_reach`."""
    import calendar as pycalendar

    form = ArchiveFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    today = timezone.localdate()
    asked = request.GET.get("month", "")
    first, error = _month(asked) if asked else (None, "")
    if first is None:
        first = today.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    events = list(
        form.apply(Item.objects.published()).events().for_listing()
        .filter(start_date__lte=last, end_date__gte=first).order_by("start_date", "starts_at", "title")
    )
    by_day = {}
    for item in events:
        if item.days.all():
            days = [d.date for d in item.days.all()]
        else:  # only the days of this month: an event may run for years
            begin, end = max(item.start_date, first), min(item.end_date, last)
            days = [begin + dt.timedelta(days=n) for n in range((end - begin).days + 1)]
        for day in days:
            if first <= day <= last:
                by_day.setdefault(day, []).append(item)
    weeks = [
        [{"date": day, "in_month": day.month == first.month, "events": by_day.get(day, []), "today": day == today} for day in week]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    earliest, latest = _calendar_reach(today)
    previous = (first - dt.timedelta(days=1)).replace(day=1) if first > earliest else None
    following = last + dt.timedelta(days=1) if first < latest else None
    query = request.GET.copy()
    query.pop("month", None)
    return render(request, "portal/calendar.html", {
        "form": form, "weeks": weeks, "first": first, "events": events, "error": error,
        "previous": previous, "next": following, "query": query.urlencode(),
        "weekdays": [dt.date(2024, 1, day) for day in range(1, 8)],  # 1 January 2024 was a Monday
    })


def _language_name(item) -> str:
    """A version's language in its own words ("Español"), for the "also in" links."""
    if item.language in LANG_INFO:
        return language_name(item.language)
    return item.get_language_display()


def item_detail(request, slug):
    item = get_object_or_404(
        Item.objects.select_related("partner", "venue_country", "series", "award_programme").prefetch_related(
            "themes", "countries", "regions", "links", "people", "days", "organizations__partner",
            "winners__category", "winners__country", "award_categories", "translation_group__items",
        ),
        slug=slug,
    )
    if not can(request.user, "view", item):
        raise Http404(_("No such item."))
    versions = [v for v in item.other_versions() if can(request.user, "view", v)]
    url = request.build_absolute_uri(item.get_absolute_url())
    orgs = list(item.organizations.all())
    context = {
        "item": item,
        "absolute_url": url,
        "jsonld": as_script(item_jsonld(item, url)),
        "organizers": [o for o in orgs if o.role == "organizer"],
        "co_organizers": [o for o in orgs if o.role == "co_organizer"],
        "supporters": [o for o in orgs if o.role == "supporter"],
        "preview": not item.is_live,
        "versions": [{"item": v, "name": _language_name(v)} for v in versions],
        "box": registration_box(item) if item.is_live else None,
    }
    return render(request, "portal/item.html", context)


@for_anonymous
def partners(request):
    rows = Partner.objects.active().select_related("country", "region")
    return render(request, "portal/partners.html", {"partners": rows})


@for_anonymous
def partner_detail(request, slug):
    partner = get_object_or_404(Partner.objects.active().select_related("country", "region"), slug=slug)
    published = Item.objects.published().filter(partner=partner).for_listing()
    page = _page(request, published.order_by("-sort_date", "-id"))
    upcoming = list(published.upcoming()[:5])
    return render(
        request, "portal/partner.html",
        {"partner": partner, "page": page, "items": page.object_list, "upcoming": upcoming, "query": ""},
    )


def after_sign_in(request):
    """Where a sign-in lands: the workspace for partners' members and editors, the review page for a
    call's reviewers, otherwise the home page (nobody lands on a page that refuses them)."""
    from django.shortcuts import redirect

    from partnerpost.calls.review_models import StageReviewer
    from partnerpost.network.permissions import can_use_workspace

    user = request.user
    if not user.is_authenticated:
        return redirect("portal:home")
    if can_use_workspace(user):
        return redirect("workspace:dashboard")
    if StageReviewer.objects.filter(user=user).exists():
        return redirect("calls_review:mine")
    return redirect("portal:home")
