from django.db import migrations


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TABLE discovery_search_edition (edition_id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL, "
                "document tsvector NOT NULL)"
            )
            cursor.execute("CREATE INDEX discovery_search_edition_document ON discovery_search_edition USING GIN (document)")
        else:
            cursor.execute(
                "CREATE VIRTUAL TABLE discovery_fts_edition USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
            )


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS " + ("discovery_search_edition" if connection.vendor == "postgresql" else "discovery_fts_edition"))


class Migration(migrations.Migration):
    dependencies = [("discovery", "0001_search_index"), ("editions", "0002_edition_sent_at_edition_translation_of_and_more")]
    operations = [migrations.RunPython(create, drop)]
