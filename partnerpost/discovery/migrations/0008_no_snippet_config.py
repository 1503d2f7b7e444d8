"""PostgreSQL: the items' search table no longer keeps each item's text search configuration.

It told ts_headline() how to cut an item's snippet in its own language. Snippets are now cut in Python, the
same way on both engines (discovery/search/snippets.py), so the column is dropped: at once, as PostgreSQL
only marks it gone. Nothing changes on SQLite. Going back adds it again as 'simple' for every row.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ALTER TABLE discovery_search DROP COLUMN IF EXISTS config")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ALTER TABLE discovery_search ADD COLUMN IF NOT EXISTS config text NOT NULL DEFAULT 'simple'")


class Migration(migrations.Migration):
    dependencies = [("discovery", "0007_facets_in_row")]
    operations = [migrations.RunPython(forwards, backwards)]
