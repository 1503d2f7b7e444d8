"""The feeds read published items newest first by publication time: an index gives that order, where a
million items were sorted at every feed request. Built CONCURRENTLY on PostgreSQL (lib.indexes)."""

from django.db import migrations, models

from partnerpost.lib.indexes import swap_index

FEED = models.Index(fields=["state", "first_published_at", "id"], name="content_item_feed_idx")


def forwards(apps, schema_editor):
    swap_index(schema_editor, apps.get_model("content", "Item"), add=FEED)


def backwards(apps, schema_editor):
    swap_index(schema_editor, apps.get_model("content", "Item"), drop=FEED)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("content", "0012_sort_date_required")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[migrations.AddIndex(model_name="item", index=FEED)],
        ),
    ]
