"""The sort date is required from now on (0011 filled the rows that lacked one)."""

from django.db import migrations, models
from django.utils import timezone


class Migration(migrations.Migration):
    dependencies = [("content", "0011_fill_sort_date")]

    operations = [
        migrations.AlterField(
            model_name="item",
            name="sort_date",
            field=models.DateField(db_index=True, default=timezone.localdate, editable=False),
        ),
    ]
