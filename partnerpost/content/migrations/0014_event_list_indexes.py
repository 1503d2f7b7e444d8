"""The events pages read their lists in index order: past events newest first by their first day, upcoming
ones from those whose last day is today or later. At a million items the past events were sorted at every
request (3 s on SQLite, 0.7 s on PostgreSQL), and SQLite walked every event to find the upcoming ones.
Built CONCURRENTLY on PostgreSQL (lib.indexes)."""

from django.db import migrations, models

from partnerpost.lib.indexes import swap_index

INDEXES = [
    models.Index(fields=["state", "kind", "start_date"], name="content_item_events_idx"),
    models.Index(fields=["state", "kind", "end_date"], name="content_item_upcoming_idx"),
]


def forwards(apps, schema_editor):
    for index in INDEXES:
        swap_index(schema_editor, apps.get_model("content", "Item"), add=index)


def backwards(apps, schema_editor):
    for index in INDEXES:
        swap_index(schema_editor, apps.get_model("content", "Item"), drop=index)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("content", "0013_feed_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[migrations.AddIndex(model_name="item", index=index) for index in INDEXES],
        ),
    ]
