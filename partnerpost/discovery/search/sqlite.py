"""The SQLite engine.

An FTS5 table ``discovery_fts(title, body, stems, tags)`` tokenized with porter and
unicode61 remove_diacritics. ``stems`` is the text stemmed in Python by snowballstemmer with
the item's language, accents folded (empty for English, which porter covers). ``tags`` holds
one token per facet value (kind, partner, themes, countries, the regions around them,
language, year), so facet filters are part of the same MATCH and cost an index lookup.
``discovery_entry`` is a narrow table (one row per indexed item) with the facet values (lists
as JSON) and the publishing window, joined to the matches to count facets in SQL.
"""

from __future__ import annotations

import json

from django.db import connection

from .analysis import _query_stems
from .engine import _PRESENT_LANGUAGES, HIT_CLOSE, HIT_OPEN, Entry, Matches, _facet_sql, _fetch

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


def _entry_values(e: Entry):
    adapt = connection.ops.adapt_datetimefield_value
    return (e.pk, e.kind, e.partner_id, e.language, e.year, adapt(e.go_live_at), adapt(e.expire_at),
            json.dumps(list(e.themes)), json.dumps(list(e.countries)), json.dumps(list(e.regions)))
