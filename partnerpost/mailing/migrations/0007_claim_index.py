"""The claim walks (status, next_attempt_at, id) in order instead of sorting every pending row.

The new index is built before the old one goes, so claims never run without one.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("mailing", "0006_delivery_of_broadcasts")]

    operations = [
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(fields=["status", "next_attempt_at", "id"], name="mailing_delivery_claim_idx"),
        ),
        migrations.RemoveIndex(model_name="delivery", name="mailing_del_status_a4571b_idx"),
    ]
