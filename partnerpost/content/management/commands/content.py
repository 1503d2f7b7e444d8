from django.core.management.base import BaseCommand

from partnerpost.content import livetotal


class Command(BaseCommand):
    help = ("Content upkeep. `partnerpost content recount` counts the live items from scratch and keeps that figure "
            "as the archive's total (run it after writing items in bulk outside Partnerpost).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("recount", help="Count the live items again and keep the figure the archive shows.")

    def handle(self, *args, action, **options):
        result = livetotal.recount()
        if result.drift:
            self.stdout.write(f"Live items: {result.counted} (the kept total said {result.kept}; corrected by "
                              f"{result.drift:+d}).")
        else:
            self.stdout.write(f"Live items: {result.counted} (the kept total was right).")
