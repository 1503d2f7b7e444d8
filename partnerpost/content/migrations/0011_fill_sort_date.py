"""Every item gets a sort date, so the API's item list can walk the listing index (0012 makes it required).

Items saved through the model always had one; only rows written in bulk could lack it. They get the date
the model would have chosen: the event's first day, else the publication date, the deadline, the first
publication, or the day the row was created.
"""

from django.db import migrations
from django.db.models.functions import Coalesce, TruncDate


def fill_missing(apps, schema_editor):
    Item = apps.get_model("content", "Item")
    Item.objects.filter(sort_date__isnull=True).update(
        sort_date=Coalesce("start_date", "published_on", "deadline", TruncDate("first_published_at"), TruncDate("created_at"))
    )


class Migration(migrations.Migration):
    dependencies = [("content", "0010_live_total")]

    operations = [
        migrations.RunPython(fill_missing, migrations.RunPython.noop, elidable=True),
    ]
