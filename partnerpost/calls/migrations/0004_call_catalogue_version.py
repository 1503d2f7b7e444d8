from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("calls", "0003_catalogue_text_index")]

    operations = [
        migrations.AddField(model_name="call", name="catalogue_version",
                            field=models.PositiveIntegerField(default=0, editable=False)),
    ]
