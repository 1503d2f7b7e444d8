from django.db import migrations


def seed(apps, schema_editor):
    from partnerpost.content.taxonomy import seed as seed_taxonomy

    seed_taxonomy(apps)


class Migration(migrations.Migration):
    dependencies = [("content", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
