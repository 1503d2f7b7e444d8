import sys
import time

from django.core.management.base import BaseCommand

from partnerpost.discovery import search


class Command(BaseCommand):
    help = "The search index. `partnerpost search rebuild` indexes every published item again, with a progress bar."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("rebuild", help="Rebuild the whole index.")

    def handle(self, *args, action, **options):
        started = time.perf_counter()

        def bar(done, total, width=30):
            filled = int(width * done / total) if total else width
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            sys.stderr.flush()

        count = search.rebuild(progress=bar)
        sys.stderr.write("\n")
        self.stdout.write(f"Indexed {count} published items in {time.perf_counter() - started:.1f} s.")
