"""Facet counts from one short string per item, and (SQLite) an index of the titles alone.

Counting facets by grouping each facet's values over up to 10,000 matches in SQL cost more than the
match itself; each indexed item now carries its facet values as one string ("kevent len p3 y2019 t5 cPH"),
counted in Python (search.engine.count_facets).
SQLite: discovery_entry is made again with the language, the publishing window and that string;
discovery_fts_title indexes the titles alone. PostgreSQL: discovery_search gains a `facets` column.
Both are filled from what the index already holds, in SQL (a million items in minutes, with no
text analysed again); 0005, which indexed everything again, now does nothing.
"""

from django.db import migrations

TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"

# The facet string from the old columns: kind, language, partner, year, then the JSON lists, each value
# with its facet letter (as search.engine.Entry.facets writes it; the words are split on any run of spaces).
_SQLITE_LIST = "coalesce((SELECT group_concat('{letter}' || value, ' ') FROM json_each({column})), '')"
_SQLITE_FACETS = ("trim('k' || kind || ' l' || language || coalesce(' p' || partner_id, '') || coalesce(' y' || year, '') || ' ' || "
                  + " || ' ' || ".join(_SQLITE_LIST.format(letter=letter, column=column)
                                       for letter, column in (("t", "themes"), ("c", "countries"), ("r", "regions")))
                  + ")")
SQLITE_UP = [
    "CREATE TABLE discovery_entry_new (item_id integer PRIMARY KEY, language text NOT NULL, go_live_at datetime, "
    "expire_at datetime, facets text NOT NULL)",
    "INSERT INTO discovery_entry_new (item_id, language, go_live_at, expire_at, facets) "
    f"SELECT item_id, language, go_live_at, expire_at, {_SQLITE_FACETS} "
    "FROM discovery_entry",
    "DROP TABLE discovery_entry",
    "ALTER TABLE discovery_entry_new RENAME TO discovery_entry",
    "CREATE INDEX discovery_entry_language ON discovery_entry (language)",
    "DROP TABLE IF EXISTS discovery_fts_title",
    f"CREATE VIRTUAL TABLE discovery_fts_title USING fts5(title, {TOKENIZE})",
    "INSERT INTO discovery_fts_title (rowid, title) SELECT rowid, title FROM discovery_fts",
    "INSERT INTO discovery_fts_title (discovery_fts_title) VALUES ('optimize')",
]
SQLITE_DOWN = [
    "DROP TABLE IF EXISTS discovery_fts_title",
    "DROP TABLE IF EXISTS discovery_entry",
    "CREATE TABLE discovery_entry (item_id integer PRIMARY KEY, kind text NOT NULL, partner_id integer, "
    "language text NOT NULL, year integer, go_live_at datetime, expire_at datetime, "
    "themes text NOT NULL, countries text NOT NULL, regions text NOT NULL)",
    "CREATE INDEX discovery_entry_language ON discovery_entry (language)",
]
_PG_LIST = "nullif(regexp_replace({column}, '(\\S+)', '{letter}\\1', 'g'), '')"
POSTGRES_UP = [
    "ALTER TABLE discovery_search ADD COLUMN facets text NOT NULL DEFAULT ''",
    # Every row is written again: without the text index, which is made again afterwards at once.
    "DROP INDEX IF EXISTS discovery_search_document",
    "UPDATE discovery_search SET facets = concat_ws(' ', 'k' || kind, 'l' || language, 'p' || partner_id, 'y' || year, "
    + ", ".join(_PG_LIST.format(column=column, letter=letter) for letter, column in (("t", "themes"), ("c", "countries"), ("r", "regions")))
    + ")",
    "SET LOCAL maintenance_work_mem = '256MB'",
    "CREATE INDEX discovery_search_document ON discovery_search USING GIN (document)",
    "ANALYZE discovery_search",
]
POSTGRES_DOWN = ["ALTER TABLE discovery_search DROP COLUMN IF EXISTS facets"]


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        for sql in POSTGRES_UP if postgres else SQLITE_UP:
            cursor.execute(sql)


def backwards(apps, schema_editor):
    # The previous release's code fills the old tables again: run `partnerpost search rebuild` with it.
    postgres = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        for sql in POSTGRES_DOWN if postgres else SQLITE_DOWN:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0005_refill_index")]
    operations = [migrations.RunPython(forwards, backwards)]
