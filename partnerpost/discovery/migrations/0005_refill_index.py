"""Fill the index again on a site that already has published items or editions: 0003 made the
tables anew, and the facet lists of discovery_entry are now written as JSON (counted in SQL).
It runs the code of this release, as `partnerpost search rebuild` does at any time."""

from django.db import migrations


def refill(apps, schema_editor):
    Item = apps.get_model("content", "Item")
    Edition = apps.get_model("editions", "Edition")
    if Item.objects.filter(state="published").exists() or Edition.objects.exclude(published_at=None).exists():
        from partnerpost.discovery import search

        search.rebuild()


class Migration(migrations.Migration):
    dependencies = [("discovery", "0004_title_document"), ("content", "0005_listing_index")]
    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
