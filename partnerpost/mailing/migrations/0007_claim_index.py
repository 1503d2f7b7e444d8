"""The claim walks (status, next_attempt_at, id) in order instead of sorting every pending row.

The outbox can hold millions of rows: on PostgreSQL the indexes change CONCURRENTLY, so sends go on while
this runs (lib.indexes).
"""

from django.db import migrations, models

from partnerpost.lib.indexes import swap_index

NEW = models.Index(fields=["status", "next_attempt_at", "id"], name="mailing_delivery_claim_idx")
OLD = models.Index(fields=["status", "next_attempt_at"], name="mailing_del_status_a4571b_idx")


def forwards(apps, schema_editor):
    swap_index(schema_editor, apps.get_model("mailing", "Delivery"), add=NEW, drop=OLD)


def backwards(apps, schema_editor):
    swap_index(schema_editor, apps.get_model("mailing", "Delivery"), add=OLD, drop=NEW)


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
