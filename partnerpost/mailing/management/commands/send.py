import sys

from django.core.management.base import BaseCommand, CommandError

from partnerpost.editions.models import Edition
from partnerpost.mailing.outbox import SendError, progress, send_edition
from partnerpost.mailing.worker import Worker
from partnerpost.network.permissions import OPERATOR


def progress_bar(done, total, sent, failed, width=30):
    filled = int(width * done / total) if total else width
    return f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  sent {sent}  failed {failed}"


class Command(BaseCommand):
    help = "Send an edition to every confirmed subscriber. Without --wait a running `partnerpost worker` does the sending."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("slug", nargs="?", help="The edition's slug (see `partnerpost edition list`).")
        target.add_argument("--latest", action="store_true", help="The most recent published edition.")
        parser.add_argument("--wait", action="store_true", help="Send now, in this process, with a progress bar, until done.")
        parser.add_argument("--connections", type=int, help="SMTP connections (default MAILING_CONNECTIONS).")

    def handle(self, *args, **options):
        try:
            # --latest means the latest original; a translation named by slug gets send_edition's explanation.
            originals = Edition.objects.filter(translation_of=None) if options["latest"] else Edition.objects.all()
            edition = originals.pick(options["slug"], latest=options["latest"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        try:
            added = send_edition(OPERATOR, edition)
        except SendError as exc:
            raise CommandError(str(exc)) from None
        counts = progress(edition)
        self.stdout.write(f"{edition.title}: {added} deliveries queued ({counts['total']} in all, {counts['sent']} already sent).")
        if not options["wait"]:
            self.stdout.write("A running `partnerpost worker` will send them.")
            return

        def show(worker):
            c = progress(edition)
            sys.stderr.write(progress_bar(c["done"], c["total"], c["sent"], c["failed"]))
            sys.stderr.flush()

        worker = Worker(connections=options["connections"])
        worker.run(until_idle=True, on_progress=show)
        show(worker)
        sys.stderr.write("\n")
        c = progress(edition)
        self.stdout.write(f"Done: {c['sent']} sent, {c['failed']} failed, {c['pending'] + c['sending']} still waiting (retries).")
