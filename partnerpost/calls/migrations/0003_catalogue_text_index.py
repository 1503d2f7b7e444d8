from django.db import migrations


def create(apps, schema_editor):
    from partnerpost.calls import textindex

    textindex.ensure(schema_editor.connection)


def drop(apps, schema_editor):
    from partnerpost.calls import textindex

    textindex.drop(schema_editor.connection)


class Migration(migrations.Migration):
    # CREATE INDEX on PostgreSQL and the FTS5 table on SQLite; no model changes.
    atomic = True

    dependencies = [("calls", "0002_review_panels")]

    operations = [migrations.RunPython(create, drop)]
