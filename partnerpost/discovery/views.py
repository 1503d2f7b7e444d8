import html
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import localize, number_format
from django.utils.safestring import mark_safe

from partnerpost.content.display import event_dates, item_date
from partnerpost.content.enums import EventType, ItemKind
from partnerpost.content.filters import FACETS, ItemFilters
from partnerpost.network.pagecache import for_anonymous

from . import search as engine

PAGE_SIZE = 20


@for_anonymous
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    filters = ItemFilters.from_query(request.GET, FACETS)
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    results = engine.search(query, filters, page=number, size=PAGE_SIZE, cards=True) if query else engine.Results([], 0, {})
    editions = engine.search_editions(query) if query and number == 1 and not filters else []
    chosen = filters.facets()
    page = Paginator(range(results.total), PAGE_SIZE).get_page(number)  # a range: numbering only
    params = request.GET.copy()
    params.pop("page", None)
    # Each option's link: the other parameters as they are, this facet set to the option (or dropped when
    # chosen already). Built from one list of pairs, not a QueryDict copied per option (deep copies).
    pairs = [(name, value) for name, values in params.lists() for value in values]
    facets = []
    for name in FACETS:
        others = urlencode([(key, value) for key, value in pairs if key != name])
        options = []
        for value, label, count in results.facets.get(name, []):
            active = chosen[name] == str(value)
            link = others if active else "&".join(filter(None, [others, urlencode({name: value})]))
            options.append({"value": value, "label": label, "count": count, "active": active, "query": link})
        if options:
            facets.append({"name": name, "label": engine.FACET_LABELS[name], "options": options})
    # One reverse() for every card: the items' addresses differ by their slug alone (slug characters need no quoting).
    address = reverse("portal:item", args=["__slug__"])
    for hit in results.hits:
        hit.url = address.replace("__slug__", hit.item.slug)
    return render(request, "discovery/search.html", {
        "q": query, "results": results, "page": page, "editions": editions, "query": params.urlencode(),
        "sidebar": _sidebar(facets), "cards": _cards(results.hits),
        # Beyond CANDIDATES matches the engine stops counting: say "10,000+", not the partial count.
        "capped_total": number_format(engine.query.CANDIDATES, force_grouping=True) if results.capped else "",
    })


def escape(value) -> str:
    """HTML-escaped text, as django.utils.html.escape gives (the same five characters), without its checks for
    lazy values on every call: the sidebar and the cards escape several hundred values a page."""
    return html.escape(str(value))


def _sidebar(facets) -> str:
    """The facet lists, written here rather than by the template engine: a broad search has about a hundred
    options of four values each, and rendering them node by node was most of the page's own time."""
    parts = []
    counts = {}  # a count's localized form, once per value
    for facet in facets:
        parts.append(f'<section class="facet"><h2>{escape(facet["label"])}</h2>\n      <ul>')
        for o in facet["options"]:
            current = ' aria-current="true" class="active"' if o["active"] else ""
            if o["count"] not in counts:
                counts[o["count"]] = escape(localize(o["count"]))
            parts.append(f'<li><a href="?{escape(o["query"])}"{current}>{escape(o["label"])}</a> '
                         f'<span class="count">{counts[o["count"]]}</span></li>')
        parts.append("</ul>\n    </section>\n    ")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _cards(hits) -> str:
    """The result cards, written here for the same reason as the sidebar (twenty cards of a dozen values)."""
    parts = []
    # The labels once per page: get_FOO_display() makes its choices hashable again on every call.
    kinds, event_types = dict(ItemKind.choices), dict(EventType.choices)
    for hit in hits:
        item = hit.item
        kind = escape(item.kind)
        tag = event_types.get(item.event_type, item.event_type) if item.event_type else kinds.get(item.kind, item.kind)
        when = event_dates(item) if item.kind == "event" else item_date(item)
        language = escape(item.language)
        parts.append(
            f'<article class="card card-{kind}">\n'
            f'        <p class="card-meta"><span class="tag tag-{kind}">{escape(tag)}</span> '
            f'<span class="card-partner">{escape(item.partner.acronym)}</span> · {escape(when)}</p>\n'
            f'        <h3 class="card-title" lang="{language}" dir="auto"><a href="{escape(hit.url)}">{escape(item.title)}</a></h3>\n'
            # The snippet is the engine's: the item's text escaped, with only its own highlight marks added.
            f'        <p class="card-summary snippet" lang="{language}" dir="auto">{hit.snippet}</p>\n'
            "      </article>\n    "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped; the snippet comes escaped
