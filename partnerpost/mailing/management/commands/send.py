import sys

from django.core.management.base import BaseCommand, CommandError

from partnerpost.editions.models import Edition
from partnerpost.mailing.outbox import SendError, check_sendable, paused, progress, resume_send, retry_failed, send_edition
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
        parser.add_argument("--at", metavar="WHEN",
                            help="Queue the deliveries at this time instead of now, e.g. 2026-12-01T09:00 (TIME_ZONE unless "
                                 "the time says its zone, as in 2026-12-01T09:00+01:00). The task worker "
                                 "(`partnerpost tasks worker`) does it then; `partnerpost worker` sends them.")
        parser.add_argument("--retry-failed", action="store_true",
                            help="Queue the edition's failed deliveries again, with fresh attempts, for the subscribers who "
                                 "still receive editions (nobody new is queued).")
        parser.add_argument("--resume", action="store_true",
                            help="Resume a send paused because the relay refused it as a whole (fix the relay first).")

    def handle(self, *args, **options):
        try:
            # --latest means the latest original; a translation named by slug gets send_edition's explanation.
            originals = Edition.objects.filter(translation_of=None) if options["latest"] else Edition.objects.all()
            edition = originals.pick(options["slug"], latest=options["latest"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        repair = [flag for flag in ("retry_failed", "resume") if options[flag]]
        if options["at"] is not None:
            if repair:
                raise CommandError(f"--at and --{repair[0].replace('_', '-')} do not go together: --at queues a new send later.")
            return self.schedule(edition, options["at"], options["wait"])
        if repair:
            self.repair(edition, options)
        else:
            try:
                added = send_edition(OPERATOR, edition)
            except SendError as exc:
                raise CommandError(str(exc)) from None
            counts = progress(edition)
            self.stdout.write(f"{edition.title}: {added} deliveries queued ({counts['total']} in all, {counts['sent']} already sent).")
        pause = paused(edition)
        if pause is not None:
            self.stdout.write(f"Sending is paused since {pause.since:%Y-%m-%d %H:%M} UTC: {pause.reason}\n"
                              f"Fix the relay, then run `partnerpost send {edition.slug} --resume`.")
            return
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
        skipped = f", {c['skipped']} skipped (no longer subscribed)" if c["skipped"] else ""
        self.stdout.write(f"Done: {c['sent']} sent, {c['failed']} failed{skipped}, {c['pending'] + c['sending']} still waiting (retries).")
        pause = paused(edition)
        if pause is not None:
            raise CommandError(f"Sending was paused: {pause.reason}. Fix the relay, then run `partnerpost send {edition.slug} --resume`.")

    def repair(self, edition, options):
        if options["resume"]:
            pause = paused(edition)
            if resume_send(OPERATOR, edition):
                self.stdout.write(f"{edition.title}: sending resumed (it was paused since {pause.since:%Y-%m-%d %H:%M} UTC: {pause.reason}).")
            else:
                self.stdout.write(f"{edition.title}: sending was not paused.")
        if options["retry_failed"]:
            try:
                count = retry_failed(OPERATOR, edition)
            except SendError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{edition.title}: {count} failed deliveries queued again.")

    def schedule(self, edition, when, wait):
        from django.utils import timezone
        from django.utils.dateparse import parse_datetime

        from partnerpost.mailing.tasks import send_edition as send_edition_task

        if wait:
            raise CommandError("--at and --wait do not go together: --wait sends now.")
        if not send_edition_task.get_backend().supports_defer:
            raise CommandError("--at needs TASKS_BACKEND=database: the immediate backend runs tasks at once, it cannot wait.")
        try:
            at = parse_datetime(when.strip())
        except ValueError:
            at = None
        if at is None:
            raise CommandError(f"--at must be a date and time such as 2026-12-01T09:00, not {when!r}.")
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        if at <= timezone.now():
            raise CommandError(f"--at {when} is in the past; leave --at out to send now.")
        try:
            check_sendable(OPERATOR, edition)
        except SendError as exc:
            raise CommandError(str(exc)) from None
        result = send_edition_task.using(run_after=at).enqueue(edition.pk)
        self.stdout.write(f"{edition.title}: its deliveries will be queued at {timezone.localtime(at):%Y-%m-%d %H:%M %Z} "
                          f"(task {result.id}), if a task worker (`partnerpost tasks worker`) is running then.")
