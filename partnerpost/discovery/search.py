"""Full-text search behind one interface, with two engines.

What matches
- Every word of the query must match, in any order, in the title or the text of an item.
- Accents never matter. English stemming always applies, and so does the stemming of the
  item's own language when Snowball has one (Spanish, French, Portuguese, Russian, German...):
  each query word is also tried in the stemmed form of every language present in the index,
  so "capacitación" finds "capacitados" in a Spanish item.

Engines
- SQLite: an FTS5 table ``discovery_fts(title, body, stems, tags)`` tokenized with porter and
  unicode61 remove_diacritics. ``stems`` is the text stemmed in Python by snowballstemmer with
  the item's language, accents folded (empty for English, which porter covers). ``tags`` holds
  one token per facet value (kind, partner, themes, countries, the regions around them,
  language, year), so facet filters are part of the same MATCH and cost an index lookup.
  ``discovery_entry`` is a narrow table (one row per indexed item) with the facet values (lists
  as JSON) and the publishing window, joined to the matches to count facets in SQL.
- PostgreSQL: ``discovery_search``, one row per item with the same facet columns and a tsvector
  under one GIN index: the unaccented text through the 'english' and 'simple' configurations,
  the same Snowball stems as on SQLite, and the facet tags as lexemes beginning with "_" (which
  no query word can produce); beside it a small tsvector of the title alone, kept in the row.
  Snippets are cut with the item's language's configuration. Long columns are kept out of line
  (toast_tuple_target) so reading the facet columns of the matches stays cheap.

Bounded work for broad queries
At most CANDIDATES matches are collected per query (SQLite: the most recent, by id; PostgreSQL:
the first found in table order). Below that number everything is exact. Above it
``Results.capped`` is true, ``total`` is a lower bound (show it as "10,000+") and facet counts
are counted over those candidates. One SQL statement returns the candidates' ids and every
facet's counts (GROUP BY over the candidates only). (PostgreSQL's GIN index still reads the
whole list of a word's documents before the LIMIT applies: tens of milliseconds for a word in
most items.) Ranking (see `_ranked`) scores a bounded pool, the newest matches and those with
every word in the title, in Python from their stored text, the same way on both engines: FTS5's
bm25() and PostgreSQL's ts_rank() read every match of every query word (bm25 counts each word's
documents before it scores a row), so a common word costs them tens or hundreds of milliseconds
however few rows are ranked.

Only published items are in the index. The workflow signal, changes to an item's themes,
countries and regions, and deletions keep it in line, and the publishing window
(go_live_at, expire_at) is checked at query time, so scheduled or expired items neither show
nor count. Each hit's item is checked again (``Item.is_live``) when it is loaded.

A rebuild runs in one transaction: on SQLite searches go on with the old index until it commits;
on PostgreSQL they wait for it (TRUNCATE locks the table), minutes for a million items.
"""

from __future__ import annotations

import functools
import html
import json
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import snowballstemmer
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Item
from partnerpost.lib import m49
from partnerpost.lib.markup import plain_text

#: How many matches a query collects at most; beyond it counts are lower bounds.
CANDIDATES = 10_000
#: Query words beyond this many are ignored.
MAX_WORDS = 12

#: Content language (its base code) -> Snowball algorithm. English is left to porter / 'english'.
SNOWBALL = {
    code: name for code, name in {
        "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
        "nl": "dutch", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french", "de": "german",
        "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
        "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "nn": "norwegian", "no": "norwegian",
        "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
        "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
    }.items() if name in snowballstemmer.algorithms()
}
#: Content language (its base code) -> PostgreSQL text search configuration (those the server has are used).
PG_CONFIGS = {
    "en": "english", "es": "spanish", "fr": "french", "pt": "portuguese", "ru": "russian", "de": "german",
    "it": "italian", "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
    "nl": "dutch", "fi": "finnish", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian",
    "ga": "irish", "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "nn": "norwegian", "no": "norwegian",
    "ro": "romanian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
_WORD = re.compile(r"\w+", re.UNICODE)
_VALUE = re.compile(r"[0-9A-Za-z_-]{1,60}")
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
    #: True when there were more than CANDIDATES matches: total and facet counts are lower bounds.
    capped: bool = False


@dataclass
class Entry:
    """What the index holds about one item (or one edition: text only)."""

    pk: int
    language: str
    title: str
    body: str
    kind: str = ""
    partner_id: int | None = None
    year: int | None = None
    go_live_at: object = None
    expire_at: object = None
    themes: tuple = ()
    countries: tuple = ()
    regions: tuple = ()
    stems: str | None = None  # worked out on first use

    def stemmed(self) -> str:
        if self.stems is None:
            self.stems = stemmed(f"{self.title} {self.body}", self.language)
        return self.stems

    def tags(self) -> list[str]:
        """One token per facet value; a region filter matches the regions around a tagged region or country."""
        tags = [_token("k", self.kind), _token("l", self.language)]
        if self.partner_id:
            tags.append(f"p{self.partner_id}")
        if self.year:
            tags.append(f"y{self.year}")
        tags += [f"t{pk}" for pk in self.themes]
        tags += [_token("c", code) for code in self.countries]
        tags += [_token("r", code) for code in sorted(_regions_around(self.regions, self.countries))]
        return list(dict.fromkeys(tags))


def _token(prefix: str, value) -> str:
    return prefix + re.sub(r"[^0-9a-z]", "", str(value).lower())


def _regions_around(regions, countries) -> set[str]:
    codes = set()
    for code in regions:
        codes.update(m49.ancestors(code) if code in m49.REGIONS else [code])
    for country in countries:
        if country in m49.COUNTRY_REGION:
            codes.update(m49.ancestors(m49.COUNTRY_REGION[country]))
    return codes


# Stemming ------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """The text without accents (é -> e, ñ -> n, й -> и)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_local = threading.local()  # Snowball stemmers keep state while they work: one per thread


def _stemmer(algorithm: str):
    stemmers = _local.__dict__.setdefault("stemmers", {})
    if algorithm not in stemmers:
        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm]


@functools.lru_cache(maxsize=300_000)
def _stems(algorithm: str, word: str) -> tuple[str, ...]:
    """The stems of a lower-case word, accents folded: of the word as written and of the word
    without its accents (which a reader may type), when these differ."""
    stem = _stemmer(algorithm).stemWord
    first = fold(stem(word))
    bare = fold(word)
    if bare == word:
        return (first,)
    second = fold(stem(bare))
    return (first,) if second == first else (first, second)


def _algorithm(language: str) -> str | None:
    return SNOWBALL.get((language or "").split("-")[0].lower())


def stemmed(text: str, language: str) -> str:
    """The text as stems of its language, for the index ('' when porter is enough or there is no stemmer)."""
    algorithm = _algorithm(language)
    if not algorithm:
        return ""
    return " ".join(s for word in _WORD.findall(text.lower()) if not word.isdigit() for s in _stems(algorithm, word))


def terms(query: str) -> list[str]:
    """The words of a query, lower case, each once."""
    return list(dict.fromkeys(_WORD.findall(query.lower())))[:MAX_WORDS]


def _query_stems(word: str, languages) -> list[str]:
    found = set()
    for language in languages:
        algorithm = _algorithm(language)
        if algorithm and not word.isdigit():
            found.update(_stems(algorithm, word))
    return sorted(found)


def _marked(snippet: str) -> str:
    return html.escape(snippet).replace(HIT_OPEN, "<mark>").replace(HIT_CLOSE, "</mark>")


_PRESENT_LANGUAGES = (
    # A loose index scan: one index probe per language present, however many rows.
    "WITH RECURSIVE present(language) AS (SELECT min(language) FROM {table} UNION ALL "
    "SELECT (SELECT min(language) FROM {table} WHERE language > present.language) FROM present "
    "WHERE present.language IS NOT NULL) SELECT language FROM present WHERE language IS NOT NULL"
)


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# SQLite ---------------------------------------------------------------------------------------

SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"


class SQLiteBackend:
    """FTS5. `entries` names the facet table (items only)."""

    def __init__(self, table, entries=None):
        self.table, self.entries = table, entries
        self.columns = ("title", "body", "stems", "tags") if entries else ("title", "body", "stems")

    def create(self):
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE VIRTUAL TABLE {self.table} USING fts5({', '.join(self.columns)}, tokenize = '{SQLITE_TOKENIZER}')")
            if self.entries:
                cursor.execute(
                    f"CREATE TABLE {self.entries} (item_id integer PRIMARY KEY, kind text NOT NULL, partner_id integer, "
                    "language text NOT NULL, year integer, go_live_at datetime, expire_at datetime, "
                    "themes text NOT NULL, countries text NOT NULL, regions text NOT NULL)"
                )
                cursor.execute(f"CREATE INDEX {self.entries}_language ON {self.entries} (language)")

    def drop(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            if self.entries:
                cursor.execute(f"DROP TABLE IF EXISTS {self.entries}")

    def upsert(self, rows: list[Entry], fresh=False):
        """Write the rows; `fresh`: the tables are known to be empty (a rebuild)."""
        with connection.cursor() as cursor:
            if not fresh:
                cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(e.pk,) for e in rows])
            placeholders = ", ".join(["%s"] * (len(self.columns) + 1))
            cursor.executemany(
                f"INSERT INTO {self.table} (rowid, {', '.join(self.columns)}) VALUES ({placeholders})",
                [(e.pk, e.title, e.body, e.stemmed(), *([" ".join(e.tags())] if self.entries else []))
                 for e in rows],
            )
            if self.entries:
                cursor.executemany(
                    f"INSERT OR REPLACE INTO {self.entries} (item_id, kind, partner_id, language, year, go_live_at, expire_at, "
                    "themes, countries, regions) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [_entry_values(e) for e in rows],
                )

    def remove(self, ids):
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk in ids])
            if self.entries:
                cursor.executemany(f"DELETE FROM {self.entries} WHERE item_id = %s", [(pk,) for pk in ids])

    def clear(self):
        self.drop()
        self.create()

    def finish(self):
        """After a bulk load: merge the index into one segment, so queries read one b-tree."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.table} ({self.table}) VALUES ('optimize')")

    def languages(self):
        return [row[0] for row in _fetch(_PRESENT_LANGUAGES.format(table=self.entries), [])]

    def expression(self, words, languages, tags=()) -> str:
        """Each word in the text, or one of its stems in the stems column; and every tag."""
        parts = []
        for word in words:
            options = [f'{{title body}} : "{word}"'] + [f'stems : "{stem}"' for stem in _query_stems(word, languages)]
            parts.append("(" + " OR ".join(options) + ")")
        parts += [f'tags : "{tag}"' for tag in tags]
        return " AND ".join(parts)

    def matches(self, words, tags, languages, now, limit) -> Matches:
        """The newest `limit` matches (filters in the MATCH), the live ones' ids and facet counts in one statement."""
        found = (f"SELECT rowid AS id FROM {self.table} WHERE {self.table} MATCH %s ORDER BY rowid DESC LIMIT %s")
        live = ("SELECT e.item_id, e.kind, e.partner_id, e.language, e.year, e.themes, e.countries, e.regions "
                f"FROM (SELECT id FROM found ORDER BY id DESC LIMIT %s) f JOIN {self.entries} e ON e.item_id = f.id "
                "WHERE (e.go_live_at IS NULL OR e.go_live_at <= %s) AND (e.expire_at IS NULL OR e.expire_at > %s)")
        rows = _fetch(
            f"WITH found AS MATERIALIZED ({found}), live AS MATERIALIZED ({live}) "
            "SELECT 'found', NULL, count(*) FROM found "
            "UNION ALL SELECT 'ids', group_concat(item_id), count(*) FROM live "
            + _facet_sql("json_each({column}) AS l"),
            [self.expression(words, languages, tags), limit + 1, limit, now, now],
        )
        result = Matches.from_rows(rows, limit)
        # Title matches: every word in the title (filters aside, then kept only if among the live matches).
        title = " AND ".join(f'title : "{word}"' for word in words)
        titled = _fetch(f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s ORDER BY rowid DESC LIMIT %s", [title, limit])
        live_ids = set(result.ids)
        result.in_title = {pk for (pk,) in titled if pk in live_ids}
        return result

    def texts(self, ids) -> dict:
        """{id: (title, body)} for a bounded set of ids."""
        if not ids:
            return {}
        rows = _fetch(f"SELECT rowid, title, body FROM {self.table} WHERE rowid IN ({', '.join(['%s'] * len(ids))})", list(ids))
        return {pk: (title, body) for pk, title, body in rows}

    def snippets(self, words, languages, ids) -> dict:
        if not ids:
            return {}
        rows = _fetch(
            f"SELECT rowid, snippet({self.table}, 1, %s, %s, '…', 16) FROM {self.table} "
            f"WHERE {self.table} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})",
            [HIT_OPEN, HIT_CLOSE, self.expression(words, languages), *ids],
        )
        return dict(rows)

    def search_live(self, words, languages, live_sql, live_params, limit):
        """For the small edition index: [(id, snippet)] best first, among ids the subquery returns."""
        return _fetch(
            f"SELECT rowid, snippet({self.table}, 1, %s, %s, '…', 16) FROM {self.table} "
            f"WHERE {self.table} MATCH %s AND rowid IN ({live_sql}) ORDER BY bm25({self.table}, 5.0, 1.0, 1.0), rowid LIMIT %s",
            [HIT_OPEN, HIT_CLOSE, self.expression(words, languages), *live_params, limit],
        )


# Facet counts over the live matches, one statement for every facet: (facet, value, count) rows.
# `each` turns a list column into rows (json_each on SQLite, unnest on PostgreSQL) named `value`.
_SQL_FACETS = (
    "UNION ALL SELECT 'kind', kind, count(*) FROM live GROUP BY kind "
    "UNION ALL SELECT 'partner', partner_id, count(*) FROM live WHERE partner_id IS NOT NULL GROUP BY partner_id "
    "UNION ALL SELECT 'language', language, count(*) FROM live GROUP BY language "
    "UNION ALL SELECT 'year', year, count(*) FROM live WHERE year IS NOT NULL GROUP BY year "
    "UNION ALL SELECT 'theme', l.value, count(*) FROM live, {themes} GROUP BY l.value "
    "UNION ALL SELECT 'country', l.value, count(*) FROM live, {countries} GROUP BY l.value "
    "UNION ALL SELECT 'region', l.value, count(*) FROM live, {regions} GROUP BY l.value"
)


def _facet_sql(each: str) -> str:
    """`each`: how a list column becomes rows of l.value, with {column} for the column."""
    return _SQL_FACETS.format(**{name: each.format(column=f"live.{name}") for name in ("themes", "countries", "regions")})


@dataclass
class Matches:
    """What a query found: how many rows (up to the limit and one), the live ones' ids newest first,
    those with every word in the title, and the facet counts {facet: {value: count}} of the live ones."""

    found: int
    ids: list
    in_title: set
    counts: dict

    @classmethod
    def from_rows(cls, rows, limit) -> Matches:
        found, ids, titled, counts = 0, [], set(), {}
        for facet, value, n in rows:
            if facet == "found":
                found = n
            elif facet == "ids":
                ids = sorted(map(int, value.split(",")), reverse=True) if value else []
            elif facet == "titled":
                titled = set(map(int, value.split(","))) if value else set()
            else:
                counts.setdefault(facet, {})[str(value)] = n
        return cls(found, ids[:limit], titled, counts)


def _entry_values(e: Entry):
    adapt = connection.ops.adapt_datetimefield_value
    return (e.pk, e.kind, e.partner_id, e.language, e.year, adapt(e.go_live_at), adapt(e.expire_at),
            json.dumps(list(e.themes)), json.dumps(list(e.countries)), json.dumps(list(e.regions)))


# PostgreSQL -----------------------------------------------------------------------------------

# English stemming and exact words, accents removed, as on SQLite (porter + unicode61); plus the
# item's own language through the same Python Snowball stems as on SQLite (weight C). The stems
# are not stored, only indexed. PostgreSQL's own Spanish and French stemmers, given unaccented
# text, no longer recognise accented suffixes (capacitación); Snowball in Python stems the word
# both as written and without accents.
_PG_DOCUMENT = (
    "setweight(to_tsvector('english', unaccent({v}title)), 'A') || setweight(to_tsvector('english', unaccent({v}body)), 'B') || "
    "setweight(to_tsvector('simple', unaccent({v}title)), 'A') || setweight(to_tsvector('simple', unaccent({v}body)), 'B') || "
    "setweight(to_tsvector('simple', {v}stems), 'C')"
)
#: The title alone, small enough to stay in the row: tells the candidates whose title holds every word.
_PG_TITLE_DOCUMENT = "to_tsvector('english', unaccent(s.title)) || to_tsvector('simple', unaccent(s.title))"
_PG_COLUMNS = "item_id, kind, partner_id, language, config, year, go_live_at, expire_at, themes, countries, regions, title, body"


@functools.lru_cache(maxsize=None)
def _pg_configs(alias: str) -> frozenset:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        return frozenset(name for (name,) in cursor.fetchall())


def _pg_config(language: str) -> str:
    """The configuration snippets are cut with: the item's language's, so stemmed matches are highlighted."""
    name = PG_CONFIGS.get((language or "").split("-")[0].lower(), "simple")
    return name if name in _pg_configs(connection.alias) else "simple"


class PostgresBackend:
    def __init__(self, table, key, entries=False):
        self.table, self.key, self.entries = table, key, entries
        self._queries = {}

    def create(self):
        with connection.cursor() as cursor:
            if self.entries:
                # No foreign key: Django's test flush truncates only the tables it knows, and rows of
                # deleted items are removed by the post_delete receiver below.
                cursor.execute(
                    f"CREATE TABLE {self.table} (item_id bigint PRIMARY KEY, kind text NOT NULL, partner_id bigint, "
                    "language text NOT NULL, config text NOT NULL, year integer, go_live_at timestamptz, expire_at timestamptz, "
                    "themes text NOT NULL, countries text NOT NULL, regions text NOT NULL, title text NOT NULL, body text NOT NULL, "
                    "document tsvector NOT NULL, title_document tsvector NOT NULL) WITH (toast_tuple_target = 128)"
                )
                # Every candidate row reads it: compressed if need be, but kept in the row, not in TOAST.
                cursor.execute(f"ALTER TABLE {self.table} ALTER COLUMN title_document SET STORAGE MAIN")
                cursor.execute(f"CREATE INDEX {self.table}_language ON {self.table} (language)")
            else:
                cursor.execute(f"CREATE TABLE {self.table} ({self.key} bigint PRIMARY KEY, title text NOT NULL, "
                               "body text NOT NULL, document tsvector NOT NULL)")
            self.create_text_index(cursor)

    def create_text_index(self, cursor):
        cursor.execute(f"CREATE INDEX {self.table}_document ON {self.table} USING GIN (document)")

    def drop(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def upsert(self, rows: list[Entry], fresh=False):
        if not rows:
            return
        if not self.entries:
            sql = (f"INSERT INTO {self.table} ({self.key}, title, body, document) SELECT v.pk, v.title, v.body, "
                   + _PG_DOCUMENT.format(v="v.") + " FROM (VALUES (%s::bigint, %s::text, %s::text, %s::text)) v(pk, title, body, stems) "
                   f"ON CONFLICT ({self.key}) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, document = EXCLUDED.document")
            with connection.cursor() as cursor:
                cursor.executemany(sql, [(e.pk, e.title, e.body, e.stemmed()) for e in rows])
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS discovery_staging ON COMMIT DROP AS SELECT {_PG_COLUMNS}, "
                           f"''::text AS stems, ''::text AS tags FROM {self.table} WITH NO DATA")
            configs = {language: _pg_config(language) for language in {e.language for e in rows}}  # no query during COPY
            with cursor.cursor.copy(f"COPY discovery_staging ({_PG_COLUMNS}, stems, tags) FROM STDIN") as copy:
                for e in rows:
                    copy.write_row((e.pk, e.kind, e.partner_id, e.language, configs[e.language], e.year, e.go_live_at, e.expire_at,
                                    " ".join(str(pk) for pk in e.themes), " ".join(e.countries), " ".join(e.regions),
                                    e.title, e.body, e.stemmed(), " ".join("_" + tag for tag in e.tags())))
            document = _PG_DOCUMENT.format(v="s.") + " || array_to_tsvector(string_to_array(s.tags, ' '))"
            updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in [*_PG_COLUMNS.split(", ")[1:], "document", "title_document"])
            cursor.execute(
                f"INSERT INTO {self.table} ({_PG_COLUMNS}, document, title_document) "
                f"SELECT {', '.join('s.' + c for c in _PG_COLUMNS.split(', '))}, {document}, {_PG_TITLE_DOCUMENT} FROM discovery_staging s"
                + ("" if fresh else f" ON CONFLICT (item_id) DO UPDATE SET {updates}")
            )
            cursor.execute("TRUNCATE discovery_staging")

    def remove(self, ids):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE {self.key} = ANY(%s)", [list(ids)])

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {self.table}")

    def start_bulk(self):
        """Before a bulk load into an empty table: building the GIN index once afterwards is much faster."""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {self.table}_document")

    def finish(self):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            self.create_text_index(cursor)
            cursor.execute(f"ANALYZE {self.table}")

    def languages(self):
        return [row[0] for row in _fetch(_PRESENT_LANGUAGES.format(table=self.table), [])]

    @staticmethod
    def tsquery(words, languages) -> tuple[str, list]:
        """Each word, in English or exactly or as one of its stems in the languages present; all words required."""
        parts, params = [], []
        for word in words:
            stems = _query_stems(word, languages)
            parts.append("(plainto_tsquery('english', unaccent(%s)) || plainto_tsquery('simple', unaccent(%s))"
                         + " || plainto_tsquery('simple', %s)" * len(stems) + ")")
            params += [word, word, *stems]
        return " && ".join(parts), params

    def queries(self, words, languages) -> tuple[str, str]:
        """The tsqueries, worked out once (as text): for the whole text, and for the title alone.
        Passed on as constants, they are not worked out again for every row."""
        key = (tuple(words), tuple(languages))
        if key not in self._queries:
            query, params = self.tsquery(words, languages)
            title, title_params = self.tsquery(words, ())
            self._queries[key] = _fetch(f"SELECT ({query})::text, ({title})::text", [*params, *title_params])[0]
        return self._queries[key]

    def matches(self, words, tags, languages, now, limit) -> Matches:
        """The first `limit` matches found (filters in the tsquery), the live ones' ids and facet counts in one statement."""
        query, title = self.queries(words, languages)
        if tags:
            query = f"({query}) & " + " & ".join(f"'_{tag}'" for tag in tags)
        found = (f"SELECT item_id, kind, partner_id, language, year, themes, countries, regions, go_live_at, expire_at, title_document "
                 f"FROM {self.table} WHERE document @@ %s::tsquery LIMIT %s")
        live = ("SELECT item_id, kind, partner_id::text, language, year::text, themes, countries, regions, "
                "title_document @@ %s::tsquery AS in_title FROM (SELECT * FROM found LIMIT %s) f "
                "WHERE (go_live_at IS NULL OR go_live_at <= %s) AND (expire_at IS NULL OR expire_at > %s)")
        with transaction.atomic(), connection.cursor() as cursor:
            # The planner prices a sequential scan with LIMIT as cheap, not counting that every row's
            # document must be read back from TOAST; the GIN index is always faster here. One process
            # per query on a small machine: no parallel workers.
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0")
            cursor.execute(
                f"WITH found AS MATERIALIZED ({found}), live AS MATERIALIZED ({live}) "
                "SELECT 'found', NULL, count(*) FROM found "
                "UNION ALL SELECT 'ids', string_agg(item_id::text, ','), count(*) FROM live "
                "UNION ALL SELECT 'titled', string_agg(item_id::text, ','), count(*) FROM live WHERE in_title "
                + _facet_sql("unnest(string_to_array(nullif({column}, ''), ' ')) AS l(value)"),
                [query, limit + 1, title, limit, now, now],
            )
            rows = cursor.fetchall()
            cursor.execute("RESET enable_seqscan; RESET max_parallel_workers_per_gather")
        return Matches.from_rows(rows, limit)

    def texts(self, ids) -> dict:
        if not ids:
            return {}
        rows = _fetch(f"SELECT item_id, title, body FROM {self.table} WHERE item_id = ANY(%s)", [list(ids)])
        return {pk: (title, body) for pk, title, body in rows}

    _HEADLINE = f"StartSel={HIT_OPEN}, StopSel={HIT_CLOSE}, MaxWords=30, MinWords=12, ShortWord=2"

    def snippets(self, words, languages, ids) -> dict:
        if not ids:
            return {}
        query, _ = self.queries(words, languages)
        return dict(_fetch(
            f"SELECT item_id, ts_headline(config::regconfig, body, %s::tsquery, %s) FROM {self.table} WHERE item_id = ANY(%s)",
            [query, self._HEADLINE, list(ids)],
        ))

    def search_live(self, words, languages, live_sql, live_params, limit):
        query, _ = self.queries(words, languages)
        return _fetch(
            f"SELECT {self.key}, ts_headline('simple', body, %s::tsquery, %s) FROM {self.table} "
            f"WHERE document @@ %s::tsquery AND {self.key} IN ({live_sql}) ORDER BY ts_rank(document, %s::tsquery) DESC, {self.key} LIMIT %s",
            [query, self._HEADLINE, query, *live_params, query, limit],
        )


_TABLES = {"item": ("discovery_fts", "discovery_entry", "discovery_search", "item_id"),
           "edition": ("discovery_fts_edition", None, "discovery_search_edition", "edition_id")}


def backend(kind: str = "item"):
    fts, entries, pg, key = _TABLES[kind]
    if connection.vendor == "postgresql":
        return PostgresBackend(pg, key, entries=bool(entries))
    return SQLiteBackend(fts, entries)


# Filling the index ------------------------------------------------------------------------------


class _Names:
    """Partner and country names, loaded once per batch of entries."""

    def __init__(self):
        from partnerpost.content.models import Country
        from partnerpost.network.models import Partner

        self.partners = {pk: (name, acronym) for pk, name, acronym in Partner.objects.values_list("pk", "name", "acronym")}
        self.countries = dict(Country.objects.values_list("code", "name"))


def _entries(ids, names: _Names | None = None) -> list[Entry]:
    """Index entries for the published items among `ids`, in a fixed number of queries."""
    from partnerpost.content.models import ItemOrganization

    names = names or _Names()
    ids = list(ids)
    organizers, themes, countries, regions = {}, {}, {}, {}
    for item_id, partner_id, name in (ItemOrganization.objects.filter(item_id__in=ids)
                                      .order_by("item_id", "position", "id").values_list("item_id", "partner_id", "name")):
        organizers.setdefault(item_id, []).append(names.partners[partner_id][0] if partner_id else name)
    for through, column, target in ((Item.themes.through, "theme_id", themes), (Item.countries.through, "country_id", countries),
                                    (Item.regions.through, "region_id", regions)):
        for item_id, value in through.objects.filter(item_id__in=ids).order_by("item_id", column).values_list("item_id", column):
            target.setdefault(item_id, []).append(value)
    rows = Item.objects.filter(pk__in=ids, state=ItemState.PUBLISHED).order_by("pk").values_list(
        "pk", "language", "title", "summary", "body_html", "partner_id", "venue_country_id", "city", "kind", "sort_date",
        "go_live_at", "expire_at",
    )
    entries = []
    for pk, language, title, summary, body_html, partner_id, country, city, kind, sort_date, go_live_at, expire_at in rows:
        partner_name, acronym = names.partners.get(partner_id, ("", ""))
        body = " ".join(filter(None, [summary, plain_text(body_html), partner_name, acronym, " ".join(organizers.get(pk, [])),
                                      city, names.countries.get(country, "") if country else ""]))
        entries.append(Entry(pk, language, title, body, kind, partner_id, sort_date.year if sort_date else None, go_live_at, expire_at,
                             tuple(themes.get(pk, ())), tuple(countries.get(pk, ())), tuple(regions.get(pk, ()))))
    return entries


def edition_row(edition) -> Entry:
    """An edition is found by its title, period, introduction and the titles and summaries it carried."""
    context = edition.snapshot or {}
    parts = [context.get("period", ""), plain_text(context.get("introduction_html", ""))]
    for section in context.get("sections", []):
        parts.append(section["title"])
        parts += [f"{entry['title']}. {entry['summary']}" for entry in section["entries"]]
    return Entry(edition.pk, edition.language, edition.title, " ".join(p for p in parts if p))


def index_edition(edition) -> None:
    if edition.is_published and edition.snapshot:
        backend("edition").upsert([edition_row(edition)])


def refresh(item: Item) -> None:
    """Bring one item's index entry in line with its state."""
    refresh_ids([item.pk])


def refresh_ids(ids) -> None:
    engine = backend()
    ids = list(ids)
    entries = _entries(ids)
    found = {e.pk for e in entries}
    engine.remove([pk for pk in ids if pk not in found])
    engine.upsert(entries)


def rebuild(progress=None, chunk=2000) -> int:
    """Index every published item and edition again, from empty tables, in one transaction."""
    from partnerpost.editions.models import Edition

    engine = backend()
    ids = list(Item.objects.filter(state=ItemState.PUBLISHED).order_by("id").values_list("id", flat=True))
    with transaction.atomic():
        engine.clear()
        if hasattr(engine, "start_bulk"):
            engine.start_bulk()
        names = _Names()
        for start in range(0, len(ids), chunk):
            entries = _entries(ids[start:start + chunk], names)
            engine.upsert(entries, fresh=True)
            if progress:
                progress(min(start + chunk, len(ids)), len(ids))
        engine.finish()
        editions = backend("edition")
        editions.clear()
        editions.upsert([edition_row(e) for e in Edition.objects.published()], fresh=True)
    return len(ids)


# Keeping the index in line with changes made outside the workflow functions ------------------------


def _item_deleted(sender, instance, **kwargs):
    backend().remove([instance.pk])


def _relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:  # theme.items.add(...): pk_set holds items
        if action == "pre_clear":
            instance._search_item_ids = list(instance.items.values_list("pk", flat=True))
        ids = instance.__dict__.pop("_search_item_ids", []) if action == "post_clear" else pk_set or []
    else:
        ids = [instance.pk]
    if action in {"post_add", "post_remove", "post_clear"} and ids:
        refresh_ids(ids)


post_delete.connect(_item_deleted, sender=Item, dispatch_uid="search-index-delete")
for _through in (Item.themes.through, Item.countries.through, Item.regions.through):
    m2m_changed.connect(_relations_changed, sender=_through, dispatch_uid=f"search-index-{_through._meta.model_name}")


# Querying -------------------------------------------------------------------------------------


def search_editions(query: str, limit: int = 5) -> list[tuple]:
    """Published editions that match, best first, each with a snippet: [(edition, snippet), ...]."""
    from partnerpost.editions.models import Edition

    words = terms(query)
    if not words:
        return []
    engine = backend("edition")
    languages = set(Edition.objects.order_by().values_list("language", flat=True).distinct())
    live_sql, live_params = Edition.objects.published().order_by().values("pk").query.sql_with_params()
    rows = engine.search_live(words, languages, live_sql, list(live_params), limit)
    by_id = Edition.objects.in_bulk([pk for pk, _ in rows])
    return [(by_id[pk], _marked(snippet or "")) for pk, snippet in rows if pk in by_id]


FACETS = ("kind", "partner", "theme", "region", "country", "language", "year")


def _filter_tags(filters) -> list[str] | None:
    """The index tags the filters require, or None when a filter can match nothing."""
    from partnerpost.content.models import Theme
    from partnerpost.network.models import Partner

    values = {name: str(filters.get(name) or "").strip() for name in FACETS}
    if any(value and not _VALUE.fullmatch(value) for value in values.values()):
        return None
    tags = []
    if values["kind"]:
        tags.append(_token("k", values["kind"]))
    if values["partner"]:
        pk = Partner.objects.filter(slug=values["partner"]).values_list("pk", flat=True).first()
        if pk is None:
            return None
        tags.append(f"p{pk}")
    if values["theme"]:
        pk = Theme.objects.filter(slug=values["theme"]).values_list("pk", flat=True).first()
        if pk is None:
            return None
        tags.append(f"t{pk}")
    if values["region"]:
        tags.append(_token("r", values["region"]))
    if values["country"]:
        tags.append(_token("c", values["country"]))
    if values["language"]:
        tags.append(_token("l", values["language"]))
    if values["year"]:
        if not values["year"].isdigit():
            return None
        tags.append(f"y{int(values['year'])}")
    return tags


def search(query: str, filters=None, *, page: int = 1, size: int = 20) -> Results:
    """Hits ranked by relevance, with snippets, and facet counts over the live matches (filters applied).

    Exact up to CANDIDATES matches; beyond, see the module's docstring. Ranking: see `_ranked`."""
    words = terms(query)
    tags = _filter_tags(filters or {})
    if not words or tags is None:
        return Results([], 0, {})
    engine = backend()
    languages = engine.languages()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    found = engine.matches(words, tags, languages, now, CANDIDATES)
    hits = []
    offset = (page - 1) * size
    if offset < len(found.ids):
        ids = _ranked(engine, words, languages, found.ids, found.in_title)[offset:offset + size]
        snippets = engine.snippets(words, languages, ids)
        # By primary key alone, live checked here: with state in the query, SQLite may walk a state index instead.
        by_id = {item.pk: item for item in Item.objects.filter(pk__in=ids).for_listing() if item.is_live}
        hits = [Hit(by_id[pk], _marked(snippets.get(pk) or "")) for pk in ids if pk in by_id]
    return Results(hits, len(found.ids), _facets(found.counts), found.found > CANDIDATES)


def _ranked(engine, words, languages, newest, in_title) -> list[int]:
    """Every live match, best first: a pool of the RANK_POOL newest matches and the TITLE_POOL newest
    with every word in the title is ordered by a BM25-like score computed here from the stored text (title
    words count five times, repeated words count with saturation, long texts count less); the
    other matches follow, newest first. Scoring a bounded pool keeps a broad word as cheap as a
    rare one, which neither FTS5's bm25() nor ts_rank() does: both read every match of every word."""
    pool = list(dict.fromkeys([*newest[:RANK_POOL], *sorted(in_title, reverse=True)[:TITLE_POOL]]))
    texts = engine.texts(pool)
    forms = [_forms(word, languages) for word in words]
    measured = {pk: _measure(texts[pk], forms) for pk in pool if pk in texts}
    if measured:
        mean_title = sum(m[0] for m in measured.values()) / len(measured) or 1
        mean_body = sum(m[1] for m in measured.values()) / len(measured) or 1
    scores = {}
    for pk, (title_length, body_length, counts) in measured.items():
        title_norm = _K1 * (1 - _B + _B * title_length / mean_title)
        body_norm = _K1 * (1 - _B + _B * body_length / mean_body)
        score = sum(5 * t * (_K1 + 1) / (t + title_norm) + b * (_K1 + 1) / (b + body_norm) for t, b in counts)
        scores[pk] = score + (10 if pk in in_title else 0)
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -pk))
    chosen = set(ranked)
    return ranked + [pk for pk in newest if pk not in chosen]


#: How many of the newest matches (and, beside them, title matches) are ranked by relevance.
RANK_POOL = 200
#: ... and how many of the newest title matches join them.
TITLE_POOL = 100
_K1, _B = 1.2, 0.75
_PUNCTUATION = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»“”‘’…–—·\n\t\r"})


def _forms(word: str, languages) -> list[str]:
    """How a query word may begin in a text that matched it: the word, its English stem and its
    stems in the languages present, each as a prefix (accents folded)."""
    english = _stems("porter", word)[0]
    english = english[:-1] if english.endswith("i") else english  # policy -> polici: count "polic..."
    found = {fold(word), english, *_query_stems(word, languages)}
    return sorted(" " + form for form in found if len(form) >= 3 or form == fold(word))


_MARKS = re.compile("[\u0300-\u036f]")  # the combining accents of Latin, Greek and Cyrillic letters


def _normal(text: str) -> str:
    """Lower case, accents off (quickly: ranking needs no more), punctuation as spaces."""
    text = text.lower()
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return " " + text.translate(_PUNCTUATION)


def _measure(text, forms):
    """(title length, body length, [(title count, body count) per query word]). A word is counted
    where a word of the text begins with one of its forms, so the stems of every language count."""
    title, body = _normal(text[0]), _normal(text[1])
    counts = [(max(title.count(f) for f in word_forms), max(body.count(f) for f in word_forms)) for word_forms in forms]
    return title.count(" "), body.count(" "), counts


def _facets(counts) -> dict:
    """Options with labels, from {facet: {value (text): count}}."""
    from partnerpost.content.models import Country, Region, Theme
    from partnerpost.network.models import Partner

    # The labels: four small tables read whole, so the number of queries never depends on the results.
    partner_names = {str(pk): (slug, acronym) for pk, slug, acronym in Partner.objects.values_list("pk", "slug", "acronym")}
    theme_names = {str(pk): (slug, name) for pk, slug, name in Theme.objects.values_list("pk", "slug", "name")}
    country_names = dict(Country.objects.values_list("code", "name"))
    region_names = dict(Region.objects.values_list("code", "name"))
    kinds = dict(ItemKind.choices)

    def options(facet, label, order, top=None):
        found = [(*label(value), n) for value, n in counts.get(facet, {}).items() if label(value)]
        return sorted(found, key=order)[:top]

    by_count = lambda o: (-o[2], o[1])  # noqa: E731
    return {
        "kind": options("kind", lambda v: (v, str(kinds.get(v, v))), lambda o: (-o[2], o[0])),
        "partner": options("partner", lambda v: partner_names.get(v), by_count),
        "theme": options("theme", lambda v: theme_names.get(v), by_count, 15),
        "region": options("region", lambda v: (v, region_names[v]) if v in region_names else None, by_count, 15),
        "country": options("country", lambda v: (v, country_names[v]) if v in country_names else None, by_count, 15),
        "language": options("language", lambda v: (v, v), lambda o: (-o[2], o[0])),
        "year": options("year", lambda v: (v, v), lambda o: -int(o[0])),
    }


FACET_LABELS = {"kind": _("Kind"), "partner": _("Partner"), "theme": _("Theme"), "region": _("Region"), "country": _("Country"),
                "language": _("Language"), "year": _("Year")}
