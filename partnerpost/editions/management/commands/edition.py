import sys
import time

from django.core.management.base import BaseCommand, CommandError

from partnerpost.editions.enums import FORMATS
from partnerpost.editions.models import Edition
from partnerpost.editions.render import context_for
from partnerpost.editions.renderers import render


class Command(BaseCommand):
    help = "Newsletter editions: list them, or build one rendering (web, email, text, pdf, md) to a file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("list", help="List every edition with its slug and state.")
        build = sub.add_parser("build", help="Write one rendering of an edition.")
        target = build.add_mutually_exclusive_group(required=True)
        target.add_argument("slug", nargs="?", help="The edition's slug (see `partnerpost edition list`).")
        target.add_argument("--latest", action="store_true", help="The most recent published edition.")
        build.add_argument("--format", required=True, choices=FORMATS, help="Which rendering.")
        build.add_argument("-o", "--output", required=True, help="File to write; - for standard output.")

    def handle(self, *args, action, **options):
        if action == "list":
            rows = Edition.objects.order_by("-period_start", "-id")
            if not rows:
                self.stdout.write("No editions yet.")
            for edition in rows:
                self.stdout.write(f"{edition.slug:<55} {edition.get_state_display():<10} {edition.period_start} – {edition.period_end}  {edition.title}")
            return
        try:
            edition = Edition.objects.pick(options["slug"], latest=options["latest"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        started = time.perf_counter()
        data = render(context_for(edition), options["format"])
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
            return
        try:
            with open(options["output"], "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {options['output']}: {exc.strerror}") from None
        self.stderr.write(f"Wrote {options['output']} ({len(data) / 1024:.0f} KB, {options['format']}) in {time.perf_counter() - started:.2f} s")
