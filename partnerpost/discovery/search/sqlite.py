"""The SQLite engine.

An FTS5 table ``discovery_fts(title, body, stems, tags)`` tokenized with porter and
unicode61 remove_diacritics. ``stems`` is the text stemmed in Python by snowballstemmer with
the item's language, accents folded (empty for English, which porter covers). ``tags`` holds
one token per facet value (kind, partner, themes, countries, the regions around them,
language, year), so facet filters are part of the same MATCH and cost an index lookup.
``discovery_entry`` is a narrow table (one row per indexed item) with the language, the
publishing window and the facet values as one short string (``Entry.facets``), joined to the
matches by rowid; the facets of the live matches are counted in Python (``count_facets``).
``discovery_fts_title`` indexes the titles alone: which candidates have every query word in
the title costs a read of the titles' short lists, not of every position of a word in the bodies.
"""

from __future__ import annotations

from django.db import connection

from .analysis import _query_stems
from .engine import _PRESENT_LANGUAGES, HIT_CLOSE, HIT_OPEN, Entry, Matches, _fetch

SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"


class SQLiteBackend:
    """FTS5. `entries` names the facet table (items only)."""

    def __init__(self, table, entries=None):
        self.table, self.entries = table, entries
        self.titles = f"{table}_title" if entries else None
        self.columns = ("title", "body", "stems", "tags") if entries else ("title", "body", "stems")

    def create(self):
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE VIRTUAL TABLE {self.table} USING fts5({', '.join(self.columns)}, tokenize = '{SQLITE_TOKENIZER}')")
            if self.entries:
                cursor.execute(f"CREATE TABLE {self.entries} ({ENTRY_COLUMNS})")
                cursor.execute(f"CREATE INDEX {self.entries}_language ON {self.entries} (language)")
                cursor.execute(f"CREATE VIRTUAL TABLE {self.titles} USING fts5(title, tokenize = '{SQLITE_TOKENIZER}')")

    def drop(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            if self.entries:
                cursor.execute(f"DROP TABLE IF EXISTS {self.entries}")
                cursor.execute(f"DROP TABLE IF EXISTS {self.titles}")

    def upsert(self, rows: list[Entry], fresh=False):
        """Write the rows; `fresh`: the tables are known to be empty (a rebuild)."""
        with connection.cursor() as cursor:
            if not fresh:
                cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(e.pk,) for e in rows])
                if self.entries:
                    cursor.executemany(f"DELETE FROM {self.titles} WHERE rowid = %s", [(e.pk,) for e in rows])
            placeholders = ", ".join(["%s"] * (len(self.columns) + 1))
            cursor.executemany(
                f"INSERT INTO {self.table} (rowid, {', '.join(self.columns)}) VALUES ({placeholders})",
                [(e.pk, e.title, e.body, e.stemmed(), *([" ".join(e.tags())] if self.entries else []))
                 for e in rows],
            )
            if self.entries:
                adapt = connection.ops.adapt_datetimefield_value
                cursor.executemany(
                    f"INSERT OR REPLACE INTO {self.entries} (item_id, language, go_live_at, expire_at, facets) VALUES (%s, %s, %s, %s, %s)",
                    [(e.pk, e.language, adapt(e.go_live_at), adapt(e.expire_at), e.facets()) for e in rows],
                )
                cursor.executemany(f"INSERT INTO {self.titles} (rowid, title) VALUES (%s, %s)", [(e.pk, e.title) for e in rows])

    def remove(self, ids):
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk in ids])
            if self.entries:
                cursor.executemany(f"DELETE FROM {self.entries} WHERE item_id = %s", [(pk,) for pk in ids])
                cursor.executemany(f"DELETE FROM {self.titles} WHERE rowid = %s", [(pk,) for pk in ids])

    def clear(self):
        self.drop()
        self.create()

    def finish(self):
        """After a bulk load: merge the index into one segment, so queries read one b-tree."""
        with connection.cursor() as cursor:
            for table in filter(None, (self.table, self.titles)):
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")

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
        """One statement, one row: how many rows match (up to `limit` and one; filters are in the MATCH), and
        for the live ones among the newest `limit`, their ids, those whose title holds every word (among the
        newest `limit` title matches, filters aside) and their facet strings."""
        found = f"SELECT rowid AS id FROM {self.table} WHERE {self.table} MATCH %s ORDER BY rowid DESC LIMIT %s"
        titled = f"SELECT rowid AS id FROM {self.titles} WHERE {self.titles} MATCH %s ORDER BY rowid DESC LIMIT %s"
        (row,) = _fetch(
            f"WITH found AS MATERIALIZED ({found}), titled AS MATERIALIZED ({titled}) "
            "SELECT (SELECT count(*) FROM found), group_concat(e.item_id), "
            "group_concat(CASE WHEN e.item_id IN titled THEN e.item_id END), group_concat(e.facets, ' ') "
            # `found` holds the ids newest first (its ORDER BY): the LIMIT keeps the newest, with no sort.
            f"FROM (SELECT id FROM found LIMIT %s) f JOIN {self.entries} e ON e.item_id = f.id "
            "WHERE (e.go_live_at IS NULL OR e.go_live_at <= %s) AND (e.expire_at IS NULL OR e.expire_at > %s)",
            [self.expression(words, languages, tags), limit + 1, " AND ".join(f'"{word}"' for word in words), limit, limit, now, now],
        )
        return Matches.from_row(*row)

    def texts(self, ids) -> dict:
        """{id: (title, body)} for a bounded set of ids."""
        if not ids:
            return {}
        rows = _fetch(f"SELECT rowid, title, body FROM {self.table} WHERE rowid IN ({', '.join(['%s'] * len(ids))})", list(ids))
        return {pk: (title, body) for pk, title, body in rows}

    def search_live(self, words, languages, live_sql, live_params, limit):
        """For the small edition index: [(id, snippet)] best first, among ids the subquery returns."""
        return _fetch(
            f"SELECT rowid, snippet({self.table}, 1, %s, %s, '…', 16) FROM {self.table} "
            f"WHERE {self.table} MATCH %s AND rowid IN ({live_sql}) ORDER BY bm25({self.table}, 5.0, 1.0, 1.0), rowid LIMIT %s",
            [HIT_OPEN, HIT_CLOSE, self.expression(words, languages), *live_params, limit],
        )


#: The facet table: the language (which stems a query tries), the publishing window and the facet string.
ENTRY_COLUMNS = ("item_id integer PRIMARY KEY, language text NOT NULL, go_live_at datetime, expire_at datetime, "
                 "facets text NOT NULL")
