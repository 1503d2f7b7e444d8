"""PostgreSQL: every item's facet string is kept in its row, not in TOAST.

The table keeps long columns out of line (toast_tuple_target = 128), and the short facet string went with
them: a broad search read ten thousand facet strings back from TOAST, three pages each (about 15 ms of a
50 ms query at a million items). With STORAGE MAIN it stays in the row. Each row is written again so
that the strings already stored come back in: without the text index, made again afterwards at once
(searches wait for this migration; minutes at a million items). Nothing changes on SQLite.
"""

from django.db import migrations

POSTGRES_UP = [
    "ALTER TABLE discovery_search ALTER COLUMN facets SET STORAGE MAIN",
    "DROP INDEX IF EXISTS discovery_search_document",
    # A new value (not the stored one unchanged), so that it is written under the new storage.
    "UPDATE discovery_search SET facets = facets || ''",
    "SET LOCAL maintenance_work_mem = '256MB'",
    "CREATE INDEX discovery_search_document ON discovery_search USING GIN (document)",
    "ANALYZE discovery_search",
]
POSTGRES_DOWN = ["ALTER TABLE discovery_search ALTER COLUMN facets SET STORAGE EXTENDED"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for sql in POSTGRES_UP:
                cursor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for sql in POSTGRES_DOWN:
                cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0006_facet_strings")]
    operations = [migrations.RunPython(forwards, backwards)]
