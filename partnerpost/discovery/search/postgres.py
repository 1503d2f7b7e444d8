"""The PostgreSQL engine.

``discovery_search``, one row per item with the facet values (as columns, and as the one string
``Entry.facets`` that queries read and count) and a tsvector
under one GIN index: the unaccented text through the 'english' and 'simple' configurations,
the same Snowball stems as on SQLite, and the facet tags as lexemes beginning with "_" (which
no query word can produce); beside it a small tsvector of the title alone, kept in the row.
Long columns are kept out of line (toast_tuple_target) and the two short ones every candidate reads,
the facet string and the title's tsvector, in the row (STORAGE MAIN), so reading the matches' rows
stays cheap. Items' snippets are cut in Python (snippets.py); editions' by ts_headline().

The recent slice. A GIN index answers a query with the list of every matching row before any LIMIT
applies: for a word in a fifth of a million items, building that list is most of the query. So large
indexes (RECENT_FROM items and more) get a second, partial GIN index over the RECENT_ITEMS newest rows
(``discovery_search_recent``, ``WHERE item_id > N``). A query the planner expects to find more than
CANDIDATES times in the slice asks the slice first, and takes its matches when there are enough to
fill the candidates; otherwise, and for every other query, the whole index answers. Items added later
have higher ids, so they fall in the slice without it being made again; `partnerpost search recent`
moves it to the newest items again (after a large import, say).
"""

from __future__ import annotations

import json
import re
import time

from django.db import connection, transaction

from .analysis import _query_stems
from .engine import _PRESENT_LANGUAGES, HIT_CLOSE, HIT_OPEN, Entry, Matches, _fetch

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
_PG_COLUMNS = ("item_id, kind, partner_id, language, year, go_live_at, expire_at, themes, countries, regions, title, body, "
               "facets")


#: The newest rows the recent slice covers, and the size of index from which `search rebuild` makes one.
RECENT_ITEMS = 200_000
RECENT_FROM = 500_000
#: How long a process keeps the slice's first id before reading it again.
RECENT_SECONDS = 60
_kept_starts = {}


class PostgresBackend:
    def __init__(self, table, key, entries=False):
        self.table, self.key, self.entries = table, key, entries
        self._queries = {}

    def create(self):
        with connection.cursor() as cursor:
            if self.entries:
                # No foreign key: Django's test flush truncates only the tables it knows, and rows of
                # deleted items are removed by the post_delete receiver in indexing.py.
                cursor.execute(
                    f"CREATE TABLE {self.table} (item_id bigint PRIMARY KEY, kind text NOT NULL, partner_id bigint, "
                    "language text NOT NULL, year integer, go_live_at timestamptz, expire_at timestamptz, "
                    "themes text NOT NULL, countries text NOT NULL, regions text NOT NULL, title text NOT NULL, body text NOT NULL, "
                    "document tsvector NOT NULL, title_document tsvector NOT NULL, facets text NOT NULL DEFAULT '') "
                    "WITH (toast_tuple_target = 128)"
                )
                # Every candidate row reads them: compressed if need be, but kept in the row, not in TOAST.
                cursor.execute(f"ALTER TABLE {self.table} ALTER COLUMN title_document SET STORAGE MAIN, "
                               "ALTER COLUMN facets SET STORAGE MAIN")
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
            with cursor.cursor.copy(f"COPY discovery_staging ({_PG_COLUMNS}, stems, tags) FROM STDIN") as copy:
                for e in rows:
                    copy.write_row((e.pk, e.kind, e.partner_id, e.language, e.year, e.go_live_at, e.expire_at,
                                    " ".join(str(pk) for pk in e.themes), " ".join(e.countries), " ".join(e.regions),
                                    e.title, e.body, e.facets(), e.stemmed(), " ".join("_" + tag for tag in e.tags())))
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
            cursor.execute(f"DROP INDEX IF EXISTS {self.table}_recent")
        _kept_starts.clear()

    def finish(self):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            self.create_text_index(cursor)
            cursor.execute(f"ANALYZE {self.table}")
            if self.entries:
                cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [self.table])
                if cursor.fetchone()[0] >= RECENT_FROM:
                    self.make_recent()

    def recent_start(self) -> int | None:
        """The id the recent slice starts after, or None when there is none. Read from the index's own
        definition, and kept in the process while the content version stands, for RECENT_SECONDS at most (a
        slice moved meanwhile is still correct to ask with the old id: the planner then uses the whole index)."""
        from partnerpost.network.paging import current_version

        key = (connection.alias, connection.settings_dict["NAME"], current_version())
        kept = _kept_starts.get(self.table)
        if kept and kept[0] == key and time.monotonic() - kept[1] < RECENT_SECONDS:
            return kept[2]
        rows = _fetch("SELECT pg_get_expr(indpred, indrelid) FROM pg_index WHERE indexrelid = to_regclass(%s)", [f"{self.table}_recent"])
        found = re.search(r"item_id > '?(\d+)", rows[0][0] or "") if rows else None
        start = int(found.group(1)) if found else None
        _kept_starts[self.table] = (key, time.monotonic(), start)
        return start

    def make_recent(self, items: int = None, concurrently: bool = False) -> int | None:
        """Build the recent slice over the `items` newest rows (RECENT_ITEMS by default), replacing the one there
        is; `concurrently`: without blocking writes (outside a transaction). Returns the id it starts after, or
        None when the table holds no more than `items` rows (then a slice would be the whole index: none is kept)."""
        items = RECENT_ITEMS if items is None else items
        name, later = f"{self.table}_recent", " CONCURRENTLY" if concurrently else ""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT item_id FROM {self.table} ORDER BY item_id DESC OFFSET %s LIMIT 1", [items])
            row = cursor.fetchone()
            if row is None:
                cursor.execute(f"DROP INDEX{later} IF EXISTS {name}")
                _kept_starts.clear()
                return None
            start = row[0]
            if not concurrently:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute(f"DROP INDEX{later} IF EXISTS {name}_next")  # left by an interrupted run
            cursor.execute(f"CREATE INDEX{later} {name}_next ON {self.table} USING GIN (document) WHERE item_id > {int(start)}")
            cursor.execute(f"DROP INDEX{later} IF EXISTS {name}")
            cursor.execute(f"ALTER INDEX {name}_next RENAME TO {name}")
        _kept_starts.clear()
        return start

    def _expected_in(self, query: str, start: int) -> float:
        """How many rows of the recent slice the planner expects to match (from the column's statistics)."""
        (plan,) = _fetch(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {self.table} WHERE document @@ %s::tsquery AND item_id > {int(start)}",
                         [query])[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return plan[0]["Plan"]["Plan Rows"]

    def languages(self):
        return [row[0] for row in _fetch(_PRESENT_LANGUAGES.format(table=self.table), [])]

    @staticmethod
    def tsquery(words, languages, exact=False) -> tuple[str, list]:
        """Each word, in English (or exactly, when English drops it as a stop word) or as one of its stems in the
        languages present; all words required. To find texts the exact word is not asked for beside its English
        form: every text holding it holds its English form too (both are indexed from the same words), and one
        list fewer is one fewer for the index to read and merge (a tenth of a broad word's match). `exact`:
        ask for it anyway, to mark it in the editions' snippets (ts_headline with 'simple' knows the exact word alone)."""
        parts, params = [], []
        for word in words:
            stems = _query_stems(word, languages)
            if exact:
                english, english_params = "plainto_tsquery('english', unaccent(%s)) || plainto_tsquery('simple', unaccent(%s))", [word, word]
            else:
                english = ("CASE WHEN numnode(plainto_tsquery('english', unaccent(%s))) > 0 THEN plainto_tsquery('english', unaccent(%s)) "
                           "ELSE plainto_tsquery('simple', unaccent(%s)) END")
                english_params = [word, word, word]
            parts.append("(" + english + " || plainto_tsquery('simple', %s)" * len(stems) + ")")
            params += [*english_params, *stems]
        return " && ".join(parts), params

    def queries(self, words, languages) -> tuple[str, str, str]:
        """The tsqueries, worked out once (as text): to find the texts, for the title alone, and to mark the
        words in the editions' snippets. Passed on as constants, they are not worked out again for every row."""
        key = (tuple(words), tuple(languages))
        if key not in self._queries:
            parts = [self.tsquery(words, languages), self.tsquery(words, ()), self.tsquery(words, languages, exact=True)]
            self._queries[key] = _fetch("SELECT " + ", ".join(f"({sql})::text" for sql, _ in parts),
                                        [param for _, params in parts for param in params])[0]
        return self._queries[key]

    def matches(self, words, tags, languages, now, limit) -> Matches:
        """One statement, one row: how many rows match (up to `limit` and one; filters are in the tsquery), and
        for the live ones among the first `limit` found, their ids, those whose title holds every word and their
        facet strings (counted by ``count_facets``). A broad query on a large index asks the recent slice first
        (see the module's docstring): one statement more when the slice holds too few."""
        query, title, _ = self.queries(words, languages)
        if not query.strip():
            # Every word reduced to nothing (punctuation, stop words such as "_" or "the"): PostgreSQL's
            # tsquery is empty, which matches nothing, and combined with a filter it would not even parse.
            return Matches(0, [], set(), {})
        if tags:
            query = f"({query}) & " + " & ".join(f"'_{tag}'" for tag in tags)
        start = self.recent_start() if self.entries else None
        if start is not None and self._expected_in(query, start) > limit:
            row = self._candidates(query, title, limit, now, start)
            if row[0] > limit:  # enough to fill the candidates: the rest of the index is not read
                return Matches.from_row(*row)
        return Matches.from_row(*self._candidates(query, title, limit, now))

    def _candidates(self, query, title, limit, now, after=None):
        """The statement of matches(), over the whole index or (`after` an id) over the recent slice."""
        where = "document @@ %s::tsquery" + ("" if after is None else f" AND item_id > {int(after)}")
        found = f"SELECT item_id, facets, go_live_at, expire_at, title_document FROM {self.table} WHERE {where} LIMIT %s"
        with transaction.atomic(), connection.cursor() as cursor:
            # The planner prices a sequential scan with LIMIT as cheap, not counting that every row's
            # document must be read back from TOAST; the GIN index is always faster here (and for the
            # slice, walking the primary key from its first id and reading each document is far slower
            # than the slice's index). One process per query on a small machine: no parallel workers.
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL max_parallel_workers_per_gather = 0")
            cursor.execute(
                f"WITH found AS MATERIALIZED ({found}) SELECT (SELECT count(*) FROM found), string_agg(item_id::text, ','), "
                "string_agg(CASE WHEN title_document @@ %s::tsquery THEN item_id::text END, ','), string_agg(facets, ' ') "
                "FROM (SELECT * FROM found LIMIT %s) f "
                "WHERE (go_live_at IS NULL OR go_live_at <= %s) AND (expire_at IS NULL OR expire_at > %s)",
                [query, limit + 1, title, limit, now, now],
            )
            row = cursor.fetchone()
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan; RESET max_parallel_workers_per_gather")
        return row

    def texts(self, ids) -> dict:
        if not ids:
            return {}
        rows = _fetch(f"SELECT item_id, title, body FROM {self.table} WHERE item_id = ANY(%s)", [list(ids)])
        return {pk: (title, body) for pk, title, body in rows}

    _HEADLINE = f"StartSel={HIT_OPEN}, StopSel={HIT_CLOSE}, MaxWords=30, MinWords=12, ShortWord=2"

    def search_live(self, words, languages, live_sql, live_params, limit):
        query, _, marks = self.queries(words, languages)
        if not query.strip():
            return []
        return _fetch(
            f"SELECT {self.key}, ts_headline('simple', body, %s::tsquery, %s) FROM {self.table} "
            f"WHERE document @@ %s::tsquery AND {self.key} IN ({live_sql}) ORDER BY ts_rank(document, %s::tsquery) DESC, {self.key} LIMIT %s",
            [marks, self._HEADLINE, query, *live_params, query, limit],
        )
