import sys

from django.utils import timezone

from django.core.management.base import BaseCommand, CommandError

from partnerpost.editions.models import Edition
from partnerpost.mailing.outbox import SendError, paused, progress, resume_send, retry_failed
from partnerpost.mailing.workflows import cancel_send, pause_sending, schedule_send, send_test, start_send
from partnerpost.mailing.worker import Worker
from partnerpost.network.permissions import OPERATOR


def progress_bar(done, total, sent, failed, width=30):
    filled = int(width * done / total) if total else width
    return f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  sent {sent}  failed {failed}"


class Command(BaseCommand):
    help = ("Send an edition to every confirmed subscriber, or as a test to a few addresses (--test). "
            "Without --wait a running `partnerpost worker` does the sending.")

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("slug", nargs="?", help="The edition's slug (see `partnerpost edition list`).")
        target.add_argument("--latest", action="store_true", help="The most recent published edition.")
        parser.add_argument("--wait", action="store_true", help="Send now, in this process, with a progress bar, until done.")
        parser.add_argument("--connections", type=int, help="SMTP connections (default MAILING_CONNECTIONS).")
        parser.add_argument("--at", metavar="ISO-DATETIME",
                            help="Queue the deliveries at this time instead of now, e.g. 2026-12-01T09:00 (TIME_ZONE unless "
                                 "the time says its zone, as in 2026-12-01T09:00+01:00). The task worker "
                                 "(`partnerpost tasks worker`) does it then; `partnerpost worker` sends them.")
        parser.add_argument("--test", nargs="+", metavar="ADDRESS",
                            help="Send the edition now as a test to these addresses only (at most 10), marked [Test]; "
                                 "no subscriber gets it and nothing is counted as a delivery.")
        parser.add_argument("--retry-failed", action="store_true",
                            help="Queue the edition's failed deliveries again, with fresh attempts, for the subscribers who "
                                 "still receive editions (nobody new is queued).")
        parser.add_argument("--resume", action="store_true",
                            help="Resume a paused send (paused by an editor, or because the relay refused it as a whole: fix the relay first).")
        parser.add_argument("--pause", action="store_true", help="Pause the send: workers send none of its waiting deliveries until --resume.")
        parser.add_argument("--cancel", action="store_true",
                            help="Cancel what is still to come of the send: a scheduled start, and the deliveries still waiting.")

    def handle(self, *args, **options):
        try:
            # --latest means the latest original; a translation named by slug gets send_edition's explanation.
            originals = Edition.objects.filter(translation_of=None) if options["latest"] else Edition.objects.all()
            edition = originals.pick(options["slug"], latest=options["latest"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        repair = [flag for flag in ("retry_failed", "resume", "pause", "cancel") if options[flag]]
        if len(repair) > 1 and {"pause", "cancel"} & set(repair):
            raise CommandError(f"--{repair[0].replace('_', '-')} and --{repair[1].replace('_', '-')} do not go together.")
        if options["test"] is not None:
            other = [f"--{flag.replace('_', '-')}" for flag in ("at", "wait", *repair) if options[flag] not in (None, False)]
            if other:
                raise CommandError(f"--test and {other[0]} do not go together: a test is sent at once, to its addresses only.")
            try:
                sent = send_test(OPERATOR, edition, options["test"])
            except SendError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{edition.title}: test sent to {', '.join(sent)}.")
            return
        if options["at"] is not None:
            if repair:
                raise CommandError(f"--at and --{repair[0].replace('_', '-')} do not go together: --at queues a new send later.")
            return self.schedule(edition, options["at"], options["wait"])
        if repair:
            self.repair(edition, options)
            if options["pause"] or options["cancel"]:
                return
        else:
            try:
                added = start_send(OPERATOR, edition)
            except SendError as exc:
                raise CommandError(str(exc)) from None
            counts = progress(edition)
            self.stdout.write(f"{edition.title}: {added} deliveries queued ({counts['total']} in all, {counts['sent']} already sent).")
        pause = paused(edition)
        if pause is not None:
            fix = "Run" if pause.paused_by_id else "Fix the relay, then run"
            self.stdout.write(f"Sending is paused since {pause.since:%Y-%m-%d %H:%M} UTC: {pause.reason}\n"
                              f"{fix} `partnerpost send {edition.slug} --resume`.")
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
        if options["pause"] or options["cancel"]:
            try:
                if options["pause"]:
                    pause_sending(OPERATOR, edition)
                    self.stdout.write(f"{edition.title}: sending paused; `partnerpost send {edition.slug} --resume` goes on with it.")
                else:
                    cancelled = cancel_send(OPERATOR, edition)
                    if cancelled.schedule is not None:
                        self.stdout.write(f"{edition.title}: the send scheduled for {timezone.localtime(cancelled.schedule.run_at):%Y-%m-%d %H:%M %Z} is cancelled.")
                    if cancelled.deliveries:
                        self.stdout.write(f"{edition.title}: {cancelled.deliveries} waiting deliveries cancelled.")
            except SendError as exc:
                raise CommandError(str(exc)) from None
            return
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

        if wait:
            raise CommandError("--at and --wait do not go together: --wait sends now.")
        try:
            at = parse_datetime(when.strip())
        except ValueError:
            at = None
        if at is None:
            raise CommandError(f"--at must be a date and time such as 2026-12-01T09:00, not {when!r}.")
        try:
            schedule = schedule_send(OPERATOR, edition, at)
        except SendError as exc:
            raise CommandError(f"--at: {exc}") from None
        self.stdout.write(f"{edition.title}: its deliveries will be queued at {timezone.localtime(schedule.run_at):%Y-%m-%d %H:%M %Z} "
                          f"(task {schedule.task_id}), if a task worker (`partnerpost tasks worker`) is running then. "
                          f"`partnerpost send {edition.slug} --cancel` calls it off.")
