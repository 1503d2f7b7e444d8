import json
import sys

from django.core.management.base import BaseCommand

from partnerpost.importer import services


class Command(BaseCommand):
    help = ("The editors' reviewed import candidates (accepted or merged, or corrected) as labelled examples "
            "for the importer's line model: a JSON list, for `partnerpost import-train --corrections FILE`.")

    def add_arguments(self, parser):
        parser.add_argument("--export", metavar="FILE", default="-", help="Write to this file (default: standard output).")

    def handle(self, *args, export, **options):
        records = services.training_examples()
        text = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
        if export == "-":
            sys.stdout.write(text)
        else:
            with open(export, "w", encoding="utf-8") as out:
                out.write(text)
            self.stderr.write(f"Wrote {len(records)} examples to {export}.")
