"""A compendium call's published entries: filters by facet, counts per facet, rows for exports.

Shared by the catalogue pages, the exports, the PDF and `GET /api/v1/calls/{slug}/entries`, so every
face filters the same way. Facets: action area (the field with the role "area"), UN M49 region (the
continent, from lib.m49), country and year; `q` matches every word in the folded answers
(as a substring, through the text index of textindex.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.db import connection
from django.db.models import Count, F
from django.utils import translation

from partnerpost.lib import m49
from partnerpost.lib.text import fold

from . import textindex
from .enums import FieldRole, SubmissionState
from .models import Call, Submission, SubmissionArea

#: The M49 regions a catalogue groups countries by (the continents under "World").
REGIONS = ["002", "019", "142", "150", "009"]


@dataclass
class Filters:
    area: str = ""
    region: str = ""
    country: str = ""
    year: int | None = None
    q: str = ""

    @classmethod
    def from_query(cls, params) -> "Filters":
        year = params.get("year", "")
        return cls(area=params.get("area", "")[:200], region=params.get("region", "")[:3],
                   country=params.get("country", "")[:2].upper(), year=int(year) if year.isdigit() else None,
                   q=params.get("q", "")[:200].strip())

    def active(self) -> bool:
        return bool(self.area or self.region or self.country or self.year or self.q)


def _language(language: str | None) -> str:
    return language or translation.get_language() or "en"


@lru_cache(maxsize=16)
def _country_names(language: str) -> dict[str, str]:
    from django_countries import countries

    with translation.override(language):
        return {code: str(name) for code, name in countries}


def country_names(language: str | None = None) -> dict[str, str]:
    """ISO code -> the country's name in the language (the active one by default), from django-countries'
    translations (the list the project's countries are seeded from)."""
    return _country_names(_language(language))


@lru_cache(maxsize=16)
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(translation.to_locale(language)).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def region_name(code: str, language: str | None = None) -> str:
    """An M49 region's name in the language: the UN's English name, else the name CLDR (through Babel)
    gives the same numeric code, else the English name."""
    language = _language(language)
    if language == "en" or language.startswith("en-"):
        return m49.REGIONS[code][0]
    return _territories(language).get(code) or m49.REGIONS[code][0]


def bump_version(call_id: int) -> None:
    """An entry joined or left the catalogue: what was kept for the old version is stale from now on.

    Written in the same transaction as the change; a page computed from the old rows is kept under the
    old version, which no request asks for once the change is committed."""
    Call.objects.filter(pk=call_id).update(catalogue_version=F("catalogue_version") + 1)


def version_key(call: Call) -> str:
    """What the kept parts of a catalogue page depend on besides the filters and the language: the
    entries (catalogue_version) and the form, whose area choices and labels are the facets
    (updated_at, moved on by every save of the call)."""
    return f"{call.pk}:{call.catalogue_version}:{call.updated_at.timestamp():.6f}"


def published(call: Call):
    return Submission.objects.filter(call=call, state=SubmissionState.ACCEPTED)


def entries(call: Call, filters: Filters):
    rows = published(call)
    if filters.area:
        rows = rows.filter(pk__in=SubmissionArea.objects.filter(area=filters.area).values("submission_id"))
    if filters.region:
        rows = rows.filter(region=filters.region)
    if filters.country:
        rows = rows.filter(country=filters.country)
    if filters.year:
        rows = rows.filter(year=filters.year)
    words = fold(filters.q).lower().split()[:8]
    for word in words:
        rows = textindex.containing(rows, word)
    # No list of matching ids is read first: the text index finds the matches, the facets are counted
    # over them in one statement (summarize) and a page reads only its ids.
    return rows


def summarize(call: Call, rows, filtered: bool = True) -> dict:
    """Everything the catalogue page counts: the facet counts and the months for the chart over time.

    Filtered: one statement for every facet. The matching entries are read once into a materialized
    set (a word search probes the text index once, not once per facet) and each facet is a GROUP BY
    over that set; the areas are joined to it by the (submission, area) index.
    The whole catalogue: one GROUP BY per facet, each read from an index of (call, state, facet) or
    (call, is_public, area) alone, which is cheaper than reading every row once."""
    if not filtered:
        return _summary(call, *_whole(call, rows))
    matches_sql, params = rows.order_by().values("pk", "region", "country", "year", "month").query.sql_with_params()
    area_table = SubmissionArea._meta.db_table
    sql = (
        f"WITH m (id, region, country, year, month) AS MATERIALIZED ({matches_sql}) "
        "SELECT 'region', region, count(*) FROM m GROUP BY region "
        "UNION ALL SELECT 'country', country, count(*) FROM m GROUP BY country "
        "UNION ALL SELECT 'year', CAST(year AS text), count(*) FROM m WHERE year IS NOT NULL GROUP BY year "
        "UNION ALL SELECT 'month', month, count(*) FROM m GROUP BY month "
        f"UNION ALL SELECT 'area', a.area, count(*) FROM m JOIN {area_table} a ON a.submission_id = m.id GROUP BY a.area"
    )
    found = {"region": {}, "country": {}, "year": {}, "month": {}, "area": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, n in cursor.fetchall():
            found[facet][int(value) if facet == "year" else value] = n
    return _summary(call, *(found[k] for k in ("area", "region", "country", "year", "month")))


def _whole(call: Call, rows):
    def grouped(column):
        return dict(rows.order_by().values_list(column).annotate(n=Count("pk")))

    by_area = dict(SubmissionArea.objects.filter(call=call, is_public=True).order_by().values_list("area").annotate(n=Count("pk")))
    return by_area, grouped("region"), grouped("country"), grouped("year"), grouped("month")


def _summary(call: Call, by_area, by_region, by_country, by_year, by_month) -> dict:
    area_field = call.field_by_role(FieldRole.AREA)
    names = country_names()
    counts = {
        "area": [(a, a, by_area.get(a, 0)) for a in (area_field.choices if area_field else [])],
        "region": [(r, region_name(r), by_region.get(r, 0)) for r in REGIONS],
        "country": sorted(((c, names.get(c, c), n) for c, n in by_country.items() if c), key=lambda t: t[1]),
        "year": sorted(((y, str(y), n) for y, n in by_year.items() if y), reverse=True),
    }
    return {"counts": counts, "months": sorted((m, n) for m, n in by_month.items() if m),
            "total": sum(by_region.values())}


def facet_counts(call: Call, rows, filtered: bool = True) -> dict:
    """{"area": [(value, label, n)], "region": [...], "country": [...], "year": [...]} for the rows."""
    return summarize(call, rows, filtered)["counts"]


def entry_data(call: Call, submission: Submission, names: dict | None = None) -> dict:
    """One entry as the exports and the API give it: its public answers (no contact, no files)."""
    from .enums import FieldType

    names = names if names is not None else country_names()
    answers = {}
    for spec in call.ordered_fields():
        if spec.type in {FieldType.CONTACT, FieldType.FILE}:
            continue
        value = submission.answers.get(spec.name)
        if value is not None:
            answers[spec.name] = value
    return {
        "id": submission.pk, "title": submission.title, "country": submission.country or None,
        "country_name": names.get(submission.country) or None,
        "region": submission.region or None,
        "region_name": region_name(submission.region) if submission.region else None,
        "year": submission.year, "areas": [a.area for a in submission.area_rows.all()], "answers": answers,
    }


def public_fields(call: Call) -> list:
    from .enums import FieldType

    return [f for f in call.ordered_fields() if f.type not in {FieldType.CONTACT, FieldType.FILE}]
