"""Full-text search behind one interface, with two engines.

- SQLite: an FTS5 table (porter stemming, accents folded by unicode61 remove_diacritics).
- PostgreSQL: a tsvector column with a GIN index; each document is indexed with its own
  language's stemming and with the 'simple' configuration, accents removed by unaccent.

Only published items are in the index; the query also filters on what is live right now,
so scheduled or expired items never show, nor count in facets. The index follows every
change through content.signals.item_changed (sent by the workflow functions), and
`partnerpost search rebuild` rebuilds it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Item
from partnerpost.lib.markup import plain_text

PG_CONFIGS = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese", "ru": "russian", "de": "german", "it": "italian"}
_WORD = re.compile(r"\w+", re.UNICODE)
HIT_OPEN, HIT_CLOSE = "\x02", "\x03"


@dataclass
class Hit:
    item: Item
    snippet: str  # safe HTML with <mark> around matches


@dataclass
class Results:
    hits: list[Hit]
    total: int
    facets: dict = field(default_factory=dict)


def document(item: Item) -> tuple[str, str]:
    """The (title, body) text indexed for an item."""
    organizers = " ".join(o.display_name for o in item.organizations.all())
    body = " ".join(filter(None, [
        item.summary, plain_text(item.body_html), item.partner.name, item.partner.acronym, organizers,
        item.city, item.venue_country.name if item.venue_country_id else "",
    ]))
    return item.title, body


def _marked(snippet: str) -> str:
    return html.escape(snippet).replace(HIT_OPEN, "<mark>").replace(HIT_CLOSE, "</mark>")


class SQLiteBackend:
    def __init__(self, table):
        self.table = table

    def upsert(self, rows):
        """rows: (id, language, title, body)"""
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk, *_ in rows])
            cursor.executemany(f"INSERT INTO {self.table} (rowid, title, body) VALUES (%s, %s, %s)",
                               [(pk, title, body) for pk, _, title, body in rows])

    def remove(self, ids):
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk in ids])

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")

    @staticmethod
    def match_expression(query: str) -> str:
        words = _WORD.findall(query)
        return " ".join(f'"{word}"' for word in words)

    def matching_ids_sql(self, query):
        return f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s", [self.match_expression(query)]

    def ranked(self, query, ids_sql, ids_params, limit, offset):
        sql = (
            f"SELECT rowid, snippet({self.table}, 1, %s, %s, '…', 16) FROM {self.table} "
            f"WHERE {self.table} MATCH %s AND rowid IN ({ids_sql}) ORDER BY bm25({self.table}, 5.0, 1.0), rowid LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [HIT_OPEN, HIT_CLOSE, self.match_expression(query), *ids_params, limit, offset])
            return cursor.fetchall()


class PostgresBackend:
    def __init__(self, table, key):
        self.table, self.key = table, key

    def upsert(self, rows):
        """rows: (id, language, title, body)"""
        rows = [(pk, PG_CONFIGS.get(language, "simple"), title, body) for pk, language, title, body in rows]
        sql = (
            f"INSERT INTO {self.table} ({self.key}, title, body, document) VALUES (%s, %s, %s, "
            "setweight(to_tsvector(%s::regconfig, unaccent(%s)), 'A') || setweight(to_tsvector(%s::regconfig, unaccent(%s)), 'B') || "
            "setweight(to_tsvector('simple', unaccent(%s)), 'A') || setweight(to_tsvector('simple', unaccent(%s)), 'B')) "
            f"ON CONFLICT ({self.key}) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, document = EXCLUDED.document"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(pk, title, body, cfg, title, cfg, body, title, body) for pk, cfg, title, body in rows])

    def remove(self, ids):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE {self.key} = ANY(%s)", [list(ids)])

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {self.table}")

    _TSQUERY = ("(websearch_to_tsquery('english', unaccent(%s)) || websearch_to_tsquery('spanish', unaccent(%s)) || "
                "websearch_to_tsquery('french', unaccent(%s)) || websearch_to_tsquery('simple', unaccent(%s)))")

    def matching_ids_sql(self, query):
        return f"SELECT {self.key} FROM {self.table} WHERE document @@ {self._TSQUERY}", [query] * 4

    def ranked(self, query, ids_sql, ids_params, limit, offset):
        sql = (
            f"SELECT {self.key}, ts_headline('simple', body, {self._TSQUERY}, %s) FROM {self.table} "
            f"WHERE document @@ {self._TSQUERY} AND {self.key} IN ({ids_sql}) "
            f"ORDER BY ts_rank(document, {self._TSQUERY}) DESC, {self.key} LIMIT %s OFFSET %s"
        )
        options = f"StartSel={HIT_OPEN}, StopSel={HIT_CLOSE}, MaxWords=30, MinWords=12, ShortWord=2"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*[query] * 4, options, *[query] * 4, *ids_params, *[query] * 4, limit, offset])
            return cursor.fetchall()


_TABLES = {"item": ("discovery_fts", "discovery_search", "item_id"),
           "edition": ("discovery_fts_edition", "discovery_search_edition", "edition_id")}


def backend(kind: str = "item"):
    fts, pg, key = _TABLES[kind]
    return PostgresBackend(pg, key) if connection.vendor == "postgresql" else SQLiteBackend(fts)


def _item_rows(items):
    return [(item.pk, item.language, *document(item)) for item in items]


def edition_row(edition):
    """An edition is found by its title, period, introduction and the titles and summaries it carried."""
    context = edition.snapshot or {}
    parts = [context.get("period", ""), plain_text(context.get("introduction_html", ""))]
    for section in context.get("sections", []):
        parts.append(section["title"])
        parts += [f"{entry['title']}. {entry['summary']}" for entry in section["entries"]]
    return (edition.pk, edition.language, edition.title, " ".join(p for p in parts if p))


def index_edition(edition) -> None:
    if edition.is_published and edition.snapshot:
        backend("edition").upsert([edition_row(edition)])


def _indexable():
    return (
        Item.objects.filter(state=ItemState.PUBLISHED)
        .select_related("partner", "venue_country")
        .prefetch_related("organizations__partner")
    )


def refresh(item: Item) -> None:
    """Bring one item's index entry in line with its state."""
    engine = backend()
    if item.state == ItemState.PUBLISHED:
        engine.upsert(_item_rows(_indexable().filter(pk=item.pk)))
    else:
        engine.remove([item.pk])


def rebuild(progress=None, chunk=2000) -> int:
    from partnerpost.editions.models import Edition

    engine = backend()
    ids = list(Item.objects.filter(state=ItemState.PUBLISHED).order_by("id").values_list("id", flat=True))
    with transaction.atomic():
        engine.clear()
        for start in range(0, len(ids), chunk):
            engine.upsert(_item_rows(_indexable().filter(pk__in=ids[start:start + chunk])))
            if progress:
                progress(min(start + chunk, len(ids)), len(ids))
        editions = backend("edition")
        editions.clear()
        editions.upsert([edition_row(e) for e in Edition.objects.published()])
    return len(ids)


def search_editions(query: str, limit: int = 5) -> list[tuple]:
    """Published editions that match, best first, each with a snippet: [(edition, snippet), ...]."""
    from partnerpost.editions.models import Edition

    engine = backend("edition")
    ids_sql, ids_params = engine.matching_ids_sql(query)
    if not ids_params[0].strip():
        return []
    live_sql, live_params = Edition.objects.published().order_by().values("pk").query.sql_with_params()
    rows = engine.ranked(query, live_sql, list(live_params), limit, 0)
    by_id = Edition.objects.in_bulk([pk for pk, _ in rows])
    return [(by_id[pk], _marked(snippet or "")) for pk, snippet in rows if pk in by_id]


FACETS = ("kind", "partner", "theme", "region", "country", "language", "year")


def search(query: str, filters=None, *, page: int = 1, size: int = 20) -> Results:
    """Ranked hits with snippets, and facet counts over every live match (filters applied)."""
    engine = backend()
    ids_sql, ids_params = engine.matching_ids_sql(query)
    if not ids_params[0].strip():
        return Results([], 0, {})
    matches = Item.objects.published().filter(pk__in=_raw(ids_sql, ids_params))
    filtered = _apply(matches, filters or {})
    total = filtered.count()
    live_sql, live_params = filtered.order_by().values("pk").query.sql_with_params()
    rows = engine.ranked(query, live_sql, list(live_params), size, (page - 1) * size)
    by_id = {item.pk: item for item in Item.objects.filter(pk__in=[pk for pk, _ in rows]).for_listing()}
    hits = [Hit(by_id[pk], _marked(snippet or "")) for pk, snippet in rows if pk in by_id]
    return Results(hits, total, _facets(filtered))


class _raw:
    """A raw subquery usable in `pk__in`."""

    def __init__(self, sql, params):
        self.sql, self.params = sql, params

    def resolve_expression(self, *args, **kwargs):
        from django.db.models.expressions import RawSQL

        return RawSQL(self.sql, self.params).resolve_expression(*args, **kwargs)


def _apply(queryset, filters):
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("partner"):
        queryset = queryset.filter(partner__slug=filters["partner"])
    if filters.get("theme"):
        queryset = queryset.filter(themes__slug=filters["theme"])
    if filters.get("region"):
        queryset = queryset.in_region(filters["region"])
    if filters.get("country"):
        queryset = queryset.filter(countries__code=filters["country"].upper())
    if filters.get("language"):
        queryset = queryset.filter(language=filters["language"])
    if filters.get("year"):
        queryset = queryset.filter(sort_date__year=filters["year"])
    return queryset


def _facets(queryset) -> dict:
    base = queryset.order_by()
    kinds = dict(ItemKind.choices)
    return {
        "kind": [(value, str(kinds.get(value, value)), n) for value, n in base.values_list("kind").annotate(n=Count("id", distinct=True)).order_by("-n", "kind")],
        "partner": list(base.values_list("partner__slug", "partner__acronym").annotate(n=Count("id", distinct=True)).order_by("-n", "partner__acronym")),
        "theme": [(slug, name, n) for slug, name, n in base.exclude(themes=None).values_list("themes__slug", "themes__name").annotate(n=Count("id", distinct=True)).order_by("-n", "themes__name")[:15]],
        "region": list(base.exclude(regions=None).values_list("regions__code", "regions__name").annotate(n=Count("id", distinct=True)).order_by("-n", "regions__name")[:15]),
        "country": list(base.exclude(countries=None).values_list("countries__code", "countries__name").annotate(n=Count("id", distinct=True)).order_by("-n", "countries__name")[:15]),
        "language": [(code, code, n) for code, n in base.values_list("language").annotate(n=Count("id", distinct=True)).order_by("-n")],
        "year": _years(base),
    }


def _years(base):
    from django.db.models.functions import ExtractYear

    rows = base.exclude(sort_date=None).annotate(y=ExtractYear("sort_date")).values_list("y").annotate(n=Count("id", distinct=True)).order_by("-y")
    return [(str(y), str(y), n) for y, n in rows]


FACET_LABELS = {"kind": _("Kind"), "partner": _("Partner"), "theme": _("Theme"), "region": _("Region"), "country": _("Country"),
                "language": _("Language"), "year": _("Year")}

