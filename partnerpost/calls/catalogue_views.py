"""The public catalogue of a compendium call: faceted listing with search, entry pages, SVG charts and
a map, CSV and JSON exports, and the print PDF (made by the editions renderer)."""

from __future__ import annotations

import datetime as dt
import hashlib
from html import escape
from urllib.parse import quote_plus, urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerpost.editions.renderers import render_print
from partnerpost.lib import csvcells, m49, svgcharts, worldshapes

from . import catalogue as entries_of
from .catalogue import country_names
from .models import Call, SubmissionArea

PAGE_SIZE = 50


def _catalogue_call(slug) -> Call:
    call = Call.objects.select_related("item__partner").filter(item__slug=slug, is_catalogue=True).first()
    if call is None or not call.item.is_live:
        raise Http404
    return call


def _charts(counts, months, names) -> dict:
    by_month = [(dt.date(int(m[:4]), int(m[5:7]), 1), n) for m, n in months]
    by_country = {c: n for c, _l, n in counts["country"]}
    return {
        "areas": mark_safe(svgcharts.bar_chart([(label, n) for _v, label, n in counts["area"]], _("Entries by action area"))),
        "regions": mark_safe(svgcharts.bar_chart([(label, n) for _v, label, n in counts["region"]], _("Entries by region"))),
        "time": mark_safe(svgcharts.column_chart([(date_format(m, "M Y"), n) for m, n in by_month],
                                                 _("Entries over time (month sent)"))),
        "map": mark_safe(svgcharts.world_map(by_country, names, _("Entries by country"), worldshapes.world(),
                                             legend_title=_("Entries:"), missing_label=_("Not on the map:"))),
        "tiles": mark_safe(svgcharts.tile_cartogram(by_country, names, _("Entries by country, grouped by UN M49 region"),
                                                    region_names={r: entries_of.region_name(r) for r in m49.REGIONS})),
    }


#: How long a catalogue page's counts, facet links and charts are kept. They are keyed on the catalogue's
#: version (catalogue.version_key), so a change shows at once; the time only frees the memory.
KEPT_SECONDS = 3600


def _kept_parts(call, filters, rows, language) -> dict:
    """The parts of a catalogue page that depend only on the entries, the filters and the language: the
    number of matching entries, the facets with their links and the charts. Computed once per catalogue
    version and kept in the cache (every page of one filter set shares them)."""
    wanted = "\x1f".join([filters.area, filters.region, filters.country, str(filters.year or ""), filters.q])
    key = "calls:catalogue:{}:{}:{}".format(entries_of.version_key(call), language,
                                          hashlib.sha256(wanted.encode()).hexdigest()[:32])
    parts = cache.get(key)
    if parts is None:
        summary = entries_of.summarize(call, rows, filters.active())
        counts = summary["counts"]
        parts = {"total": summary["total"], "facets": _facet_links(filters, counts),
                 "charts": _charts(counts, summary["months"], country_names())}
        cache.set(key, parts, KEPT_SECONDS)
    return parts


def catalogue(request, slug):
    call = _catalogue_call(slug)
    filters = entries_of.Filters.from_query(request.GET)
    rows = entries_of.entries(call, filters)
    parts = _kept_parts(call, filters, rows, get_language() or "en")
    page = Paginator(_Ordered(rows, parts["total"]), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "calls/catalogue.html", {
        "call": call, "item": call.item, "filters": filters, "page": page, "facets": parts["facets"],
        "entries": _listed(call, list(page.object_list)),
        "charts": parts["charts"], "query": query.urlencode(), "total": page.paginator.count,
    })


def _listed(call, ids: list[int]) -> list[tuple]:
    """The page's entries as plain rows (title, address, country name, year, areas), in the order of
    `ids`: two small reads of columns, no model instances."""
    names = country_names()
    # one reverse() for the 50 links of the page, not one per entry
    entry_url = reverse("calls:entry", args=[call.slug, 0]).removesuffix("0/")
    areas: dict[int, list[str]] = {pk: [] for pk in ids}
    for pk, area in SubmissionArea.objects.filter(submission_id__in=ids).order_by("id").values_list("submission_id", "area"):
        areas[pk].append(area)
    found = {pk: (title, country, year) for pk, title, country, year in
             entries_of.published(call).filter(pk__in=ids).values_list("pk", "title", "country", "year")}
    return [(found[pk][0], f"{entry_url}{pk}/", names.get(found[pk][1], found[pk][1]), found[pk][2], areas[pk])
            for pk in ids if pk in found]


class _Ordered:
    """The matching entries' ids by title, for the paginator: the count is already known, and a page
    reads only its 50 ids (from the (call, state, title) index)."""

    def __init__(self, rows, total):
        self.rows, self.total = rows, total

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, window):
        return list(self.rows.order_by("title", "id").values_list("pk", flat=True)[window])


FACET_LABELS = {"area": gettext_lazy("Action area"), "region": gettext_lazy("Region"), "country": gettext_lazy("Country"),
                "year": gettext_lazy("Year")}


def _facet_links(filters, counts) -> list[dict]:
    """Each facet with its values: label, count, the link that sets it (keeping the other filters) and
    whether it is the one chosen. Built here as one string per facet rather than in the template: a
    catalogue lists up to 250 countries."""
    current = {"area": filters.area, "region": filters.region, "country": filters.country,
               "year": str(filters.year or ""), "q": filters.q}
    facets = []
    for facet, values in counts.items():
        kept = urlencode({k: v for k, v in current.items() if v and k != facet})
        start = "?" + (escape(kept) + "&amp;" if kept else "") + facet + "="
        chosen = current[facet]
        mark = ' aria-current="true"'
        links = [f'<li><a href="{start}{quote_plus(str(value))}"{mark if chosen == str(value) else ""}>'
                 f'{escape(label)}</a> <span class="count">{n}</span></li>' for value, label, n in values]
        facets.append({"key": facet, "label": str(FACET_LABELS[facet]), "items": mark_safe("".join(links))})
    return facets


def entry(request, slug, pk):
    call = _catalogue_call(slug)
    submission = get_object_or_404(entries_of.published(call), pk=pk)
    names = country_names()
    data = entries_of.entry_data(call, submission, names)
    rows = [(f, _answer_text(f, data["answers"].get(f.name), names)) for f in entries_of.public_fields(call)]
    return render(request, "calls/entry.html", {"call": call, "entry": submission, "data": data, "rows": rows})


def _answer_text(spec, value, names) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if spec.type == "country":
        return names.get(value, value)
    return str(value)


def _export_rows(call, request):
    rows = entries_of.entries(call, entries_of.Filters.from_query(request.GET)).order_by("title", "id").prefetch_related("area_rows")
    names = country_names()
    return [entries_of.entry_data(call, s, names) for s in rows.iterator(chunk_size=500)], names


def export_csv(request, slug):
    """One row per published entry: id, title, country, region, year, areas, then every public answer.
    Cells that a spreadsheet would run as a formula are defused (lib.csvcells)."""
    call = _catalogue_call(slug)
    data, names = _export_rows(call, request)
    # the title, country and areas have their own columns
    fields = [f for f in entries_of.public_fields(call) if f.role not in {"title", "country", "area"}]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-catalogue.csv"'
    writer = csvcells.writer(response)
    writer.writerow(["id", "title", "country", "country_name", "region", "region_name", "year", "areas",
                     *[f.name for f in fields]])
    for d in data:
        answers = [_answer_text(f, d["answers"].get(f.name), names) for f in fields]
        writer.writerow([d["id"], d["title"], d["country"] or "", d["country_name"] or "", d["region"] or "",
                         d["region_name"] or "", d["year"] or "", "; ".join(d["areas"]), *answers])
    return response


def export_json(request, slug):
    call = _catalogue_call(slug)
    data, _names = _export_rows(call, request)
    return JsonResponse({"call": call.slug, "title": call.title, "count": len(data), "entries": data},
                        json_dumps_params={"ensure_ascii": False, "indent": 1})


def export_pdf(request, slug):
    call = _catalogue_call(slug)
    data, names = _export_rows(call, request)
    summary = entries_of.summarize(call, entries_of.published(call), filtered=False)
    counts = summary["counts"]
    area_field_choices = [value for value, _l, _n in counts["area"]]
    parts = []
    for number, area in enumerate(area_field_choices, start=1):
        inside = [d for d in data if area in d["areas"]]
        parts.append({"anchor": f"area-{number}", "title": area, "entries": inside})
    fields = [f for f in entries_of.public_fields(call) if f.role not in {"title", "country", "area"}]
    pdf = render_print("calls/catalogue_print.html", {
        "call": call, "parts": parts, "total": len(data), "fields": fields, "names": names,
        "charts": _charts(counts, summary["months"], names),
    }, language=get_language() or "en")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{call.slug}-catalogue.pdf"'
    return response
