import sys
import time

from django.core.management.base import BaseCommand, CommandError

from partnerpost.discovery import search


class Command(BaseCommand):
    help = "The search index. `partnerpost search rebuild` indexes every published item again, with a progress bar."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        rebuild = sub.add_parser("rebuild", help="Rebuild the whole index.")
        rebuild.add_argument("--background", action="store_true",
                             help="Queue the rebuild for the task worker (`partnerpost tasks worker`) instead of waiting for it.")

    def handle(self, *args, action, background=False, **options):
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
