"""The index gains language stems (SQLite) and facet values beside the text (both engines).

SQLite: discovery_fts gets a `stems` column (the text stemmed by Snowball in the item's language)
and a `tags` column (one token per facet value); discovery_entry holds the facet values and the
publishing window of each indexed item. discovery_fts_edition gets `stems`.
PostgreSQL: discovery_search gets the facet columns and the language configuration, keeps long
columns out of line, and indexes the language.

FTS5 tables cannot gain columns, so the tables are made again; 0004 indexes an existing site again
(`partnerpost search rebuild` does the same at any time).
"""

from django.db import migrations

TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"

SQLITE_UP = [
    "DROP TABLE IF EXISTS discovery_fts",
    f"CREATE VIRTUAL TABLE discovery_fts USING fts5(title, body, stems, tags, {TOKENIZE})",
    "CREATE TABLE discovery_entry (item_id integer PRIMARY KEY, kind text NOT NULL, partner_id integer, "
    "language text NOT NULL, year integer, go_live_at datetime, expire_at datetime, "
    "themes text NOT NULL, countries text NOT NULL, regions text NOT NULL)",
    "CREATE INDEX discovery_entry_language ON discovery_entry (language)",
    "DROP TABLE IF EXISTS discovery_fts_edition",
    f"CREATE VIRTUAL TABLE discovery_fts_edition USING fts5(title, body, stems, {TOKENIZE})",
]
SQLITE_DOWN = [
    "DROP TABLE IF EXISTS discovery_entry",
    "DROP TABLE IF EXISTS discovery_fts",
    f"CREATE VIRTUAL TABLE discovery_fts USING fts5(title, body, {TOKENIZE})",
    "DROP TABLE IF EXISTS discovery_fts_edition",
    f"CREATE VIRTUAL TABLE discovery_fts_edition USING fts5(title, body, {TOKENIZE})",
]
POSTGRES_UP = [
    "DROP TABLE IF EXISTS discovery_search",
    # No foreign key: Django's test flush truncates only the tables it knows; rows of deleted
    # items are removed by the search module's post_delete receiver.
    "CREATE TABLE discovery_search (item_id bigint PRIMARY KEY, kind text NOT NULL, partner_id bigint, "
    "language text NOT NULL, config text NOT NULL, year integer, go_live_at timestamptz, expire_at timestamptz, "
    "themes text NOT NULL, countries text NOT NULL, regions text NOT NULL, title text NOT NULL, body text NOT NULL, "
    "document tsvector NOT NULL) WITH (toast_tuple_target = 128)",
    "CREATE INDEX discovery_search_language ON discovery_search (language)",
    "CREATE INDEX discovery_search_document ON discovery_search USING GIN (document)",
]
POSTGRES_DOWN = [
    "DROP TABLE IF EXISTS discovery_search",
    "CREATE TABLE discovery_search (item_id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX discovery_search_document ON discovery_search USING GIN (document)",
]


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    _run(schema_editor, POSTGRES_UP if postgres else SQLITE_UP)
    # The tables are filled again by 0004, once their last column exists.


def backwards(apps, schema_editor):
    _run(schema_editor, POSTGRES_DOWN if schema_editor.connection.vendor == "postgresql" else SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0002_edition_index")]
    operations = [migrations.RunPython(forwards, backwards)]
