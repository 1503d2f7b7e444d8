from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format

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
        "q": query, "results": results, "page": page, "editions": editions, "facets": facets, "query": params.urlencode(),
        # Beyond CANDIDATES matches the engine stops counting: say "10,000+", not the partial count.
        "capped_total": number_format(engine.query.CANDIDATES, force_grouping=True) if results.capped else "",
    })
