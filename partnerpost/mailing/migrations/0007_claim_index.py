"""The claim walks (status, next_attempt_at, id) in order instead of sorting every pending row.

The outbox can hold millions of rows, so on PostgreSQL the index is built and the old one dropped
CONCURRENTLY: sends go on while this runs (hence a non-atomic migration). Elsewhere, plain DDL. The new
index is in place before the old one goes, so claims never run without one.
"""

from django.db import migrations, models

NEW = models.Index(fields=["status", "next_attempt_at", "id"], name="mailing_delivery_claim_idx")
OLD = models.Index(fields=["status", "next_attempt_at"], name="mailing_del_status_a4571b_idx")


def _swap(apps, schema_editor, add, drop):
    model = apps.get_model("mailing", "Delivery")
    table = schema_editor.quote_name(model._meta.db_table)
    if schema_editor.connection.vendor == "postgresql":
        columns = ", ".join(schema_editor.quote_name(model._meta.get_field(f).column) for f in add.fields)
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {schema_editor.quote_name(add.name)} ON {table} ({columns})")
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(drop.name)}")
    else:
        schema_editor.add_index(model, add)
        schema_editor.remove_index(model, drop)


def forwards(apps, schema_editor):
    _swap(apps, schema_editor, NEW, OLD)


def backwards(apps, schema_editor):
    _swap(apps, schema_editor, OLD, NEW)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("mailing", "0006_delivery_of_broadcasts")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AddIndex(model_name="delivery", index=NEW),
                migrations.RemoveIndex(model_name="delivery", name=OLD.name),
            ],
        ),
    ]
