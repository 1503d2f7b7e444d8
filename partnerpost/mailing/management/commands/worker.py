from django.core.management.base import BaseCommand

from partnerpost.mailing.worker import Worker


class Command(BaseCommand):
    help = (
        "Send queued deliveries. Run one or more, on one or more machines; at start-up a worker takes up "
        "deliveries that a stopped worker left behind once their lease expires."
    )

    def add_arguments(self, parser):
        parser.add_argument("--connections", type=int, help="SMTP connections (default MAILING_CONNECTIONS).")
        parser.add_argument("--rate", type=float, help="Messages per second for this worker, 0 for no limit (default MAILING_RATE).")
        parser.add_argument("--until-idle", action="store_true", help="Stop when nothing is left to send, instead of waiting for more.")

    def handle(self, *args, **options):
        worker = Worker(connections=options["connections"], rate=options["rate"])
        self.stdout.write(f"Worker {worker.name}: {worker.connections} connections. Ctrl-C stops it.")
        self.stdout.flush()
        try:
            worker.run(until_idle=options["until_idle"])
        except KeyboardInterrupt:
            pass
        recovered = f" Recovered from {worker.db_errors} database errors." if worker.db_errors else ""
        self.stdout.write(f"Worker {worker.name} stopped: {worker.sent} sent, {worker.failed} failed, {worker.retried} to retry."
                          f"{recovered}")
