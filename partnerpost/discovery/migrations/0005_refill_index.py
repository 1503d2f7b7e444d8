"""Fill the index again on a site that already has published items or editions: 0003 made the
tables anew, and the facet lists of discovery_entry are now written as JSON (counted in SQL).
It ran the code of the release it came with; 0006 changed the tables since, and fills the index
again itself, so this migration no longer does (the current code would not fit the tables of 0005)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("discovery", "0004_title_document"), ("content", "0005_listing_index")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
