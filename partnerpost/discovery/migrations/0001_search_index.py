from django.db import migrations


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute(
                # No foreign key: Django's test flush truncates only the tables it knows, and rows of
                # deleted items are harmless (every search joins the live items).
                "CREATE TABLE discovery_search (item_id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL, "
                "document tsvector NOT NULL)"
            )
            cursor.execute("CREATE INDEX discovery_search_document ON discovery_search USING GIN (document)")
        else:
            cursor.execute(
                "CREATE VIRTUAL TABLE discovery_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
            )


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS discovery_search" if connection.vendor == "postgresql" else "DROP TABLE IF EXISTS discovery_fts")


class Migration(migrations.Migration):
    dependencies = [("content", "0004_date_precision_quarter")]
    # The index starts empty; the workflow fills it, and `partnerpost search rebuild` refills it.
    operations = [migrations.RunPython(create, drop)]
