import sys
import time

from django.core.management.base import BaseCommand, CommandError

from partnerpost.discovery import search


def _recent_items():
    from partnerpost.discovery.search.postgres import RECENT_ITEMS

    return RECENT_ITEMS


class Command(BaseCommand):
    help = ("The search index. `partnerpost search rebuild` indexes every published item again, with a progress bar; "
            "`partnerpost search recent` moves PostgreSQL's recent slice to the newest items.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        rebuild = sub.add_parser("rebuild", help="Rebuild the whole index.")
        rebuild.add_argument("--background", action="store_true",
                             help="Queue the rebuild for the task worker (`partnerpost tasks worker`) instead of waiting for it.")
        recent = sub.add_parser("recent", help="PostgreSQL: build the second text index over the newest items again, "
                                               "without blocking searches or writes (broad queries ask it first).")
        recent.add_argument("--items", type=int, default=None, metavar="N",
                            help="How many of the newest items it covers (default: %d)." % _recent_items())

    def handle(self, *args, action, background=False, **options):
        if action == "recent":
            return self.recent(options["items"])
        if background:
            from partnerpost.discovery.tasks import rebuild_search_index

            result = rebuild_search_index.enqueue()
            if not result.is_finished:
                self.stdout.write(f"Queued the rebuild as task {result.id}; `partnerpost tasks list` shows when it is done.")
            elif result.errors:  # TASKS_BACKEND=immediate ran it here, and it failed
                raise CommandError(f"The rebuild failed:\n{result.errors[0].traceback}")
            else:
                self.stdout.write(f"Indexed {result.return_value} published items (TASKS_BACKEND=immediate: run here).")
            return
        started = time.perf_counter()

        def bar(done, total, width=30):
            filled = int(width * done / total) if total else width
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            sys.stderr.flush()

        count = search.rebuild(progress=bar)
        sys.stderr.write("\n")
        self.stdout.write(f"Indexed {count} published items in {time.perf_counter() - started:.1f} s.")

    def recent(self, items):
        from django.db import connection

        if items is not None and items < 1:
            raise CommandError(f"--items: give a number of items of at least 1, not {items}.")
        if connection.vendor != "postgresql":
            self.stdout.write("Nothing to do: SQLite reads its text index newest first already; the recent slice is for PostgreSQL.")
            return
        engine = search.backend()
        self.stdout.write(f"Building the recent slice over the {items or _recent_items():,} newest items; searches and writes go on "
                          "meanwhile (about half a minute per 200,000 items)...")
        started = time.perf_counter()
        start = engine.make_recent(items, concurrently=not connection.in_atomic_block)  # inside a transaction: the plain way
        if start is None:
            self.stdout.write("The index holds no more items than that: one index answers every query, so no slice is kept.")
        else:
            self.stdout.write(f"The recent slice covers items after id {start}, made in {time.perf_counter() - started:.1f} s.")
