"""PostgreSQL: the title's own small tsvector beside the document, so the candidates of a query
say cheaply whether every word is in the title (ranking). Nothing changes on SQLite. 0005 fills the
index again."""

from django.db import migrations

TITLE = "to_tsvector('english', unaccent(title)) || to_tsvector('simple', unaccent(title))"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ALTER TABLE discovery_search ADD COLUMN title_document tsvector")
            # every candidate row reads it: kept in the row (compressed if need be), not in TOAST
            cursor.execute("ALTER TABLE discovery_search ALTER COLUMN title_document SET STORAGE MAIN")
            cursor.execute(f"UPDATE discovery_search SET title_document = {TITLE}")
            cursor.execute("ALTER TABLE discovery_search ALTER COLUMN title_document SET NOT NULL")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ALTER TABLE discovery_search DROP COLUMN title_document")


class Migration(migrations.Migration):
    dependencies = [("discovery", "0003_stems_and_facets")]
    operations = [migrations.RunPython(forwards, backwards)]
