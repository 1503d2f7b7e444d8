"""The demo edition: October–December 2020, composed from the demo items and published."""

import datetime as dt

from django.db import transaction

from partnerpost.content.models import Item
from partnerpost.network.models import User

from . import workflows
from .models import Edition

TITLE = "UNPAN Partners' Newsletter"


@transaction.atomic
def load(log=print) -> Edition:
    existing = Edition.objects.filter(title=TITLE, period_start=dt.date(2020, 10, 1)).first()
    if existing:
        log(f"Demo edition: already there ({existing.get_state_display().lower()}).")
        return existing
    editor = User.objects.get(username="editor")
    edition = workflows.create_edition(editor, Edition(
        title=TITLE, period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31),
        period_label="October – November – December 2020", language="en",
        introduction=(
            "This quarter the network's partners met almost entirely online: webinars on digital "
            "transformation and poverty eradication, training in Central America, and symposia for Asia "
            "and the Pacific. It also brought new publications, award programmes and anniversaries."
        ),
        contact_email="unpan@un.org", contact_text="Write to the UNPAN team:",
        social_links="UNPAN on the web | https://publicadministration.un.org",
    ))
    # The 2021 NISPAcee conference was announced in this edition although it falls later.
    conference = Item.objects.get(title="The 29th NISPAcee Annual Conference 2021")
    workflows.add_entry(editor, edition, conference)
    edition = workflows.publish_edition(editor, edition)
    count = edition.snapshot["entry_count"]
    log(f"Demo edition: “{edition.title}, {edition.snapshot['period']}” published with {count} entries.")
    return edition
