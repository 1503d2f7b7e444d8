from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone


def count_once(apps, schema_editor):
    Item = apps.get_model("content", "Item")
    LiveTotal = apps.get_model("content", "LiveTotal")
    now = timezone.now()
    live = (Q(state="published") & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
            & (Q(expire_at__isnull=True) | Q(expire_at__gt=now)))
    LiveTotal.objects.create(name="archive", count=Item.objects.filter(live).count(), as_of=now, counted_at=now)


class Migration(migrations.Migration):
    dependencies = [("content", "0009_translation_groups")]

    operations = [
        migrations.CreateModel(
            name="LiveTotal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50, unique=True)),
                ("count", models.BigIntegerField(default=0)),
                ("as_of", models.DateTimeField()),
                ("counted_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(count_once, migrations.RunPython.noop),
    ]
