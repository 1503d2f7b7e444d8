import json

from django.core.management.base import BaseCommand

from partnerpost.mailing import bounces


class Command(BaseCommand):
    help = ("Bounces and complaints: `bounces read PATH...` reads delivery status notifications (RFC 3464) and "
            "complaints (RFC 5965) from .eml files, mbox files or Maildir directories, and leaves the files as they are.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        read = sub.add_parser("read", help="Read bounces and complaints; hard bounces count towards BOUNCE_LIMIT, "
                                           "complaints unsubscribe at once, soft bounces are recorded. Safe to run again on the same files.")
        read.add_argument("paths", nargs="+", metavar="PATH", help="An .eml file (one message), an mbox file or a Maildir directory.")
        read.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, action, paths, **options):
        summary = bounces.read(paths)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_json(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"{summary.read} messages read: {summary.hard} hard bounces counted"
            + (f" ({summary.hard_again} more for deliveries already counted)" if summary.hard_again else "")
            + f", {summary.soft} soft bounces recorded, {summary.complaints} complaints, {summary.duplicates} read before."
        )
        if summary.bounced:
            self.stdout.write(f"Marked bounced (BOUNCE_LIMIT reached): {', '.join(summary.bounced)}")
        for item in summary.not_bounces:
            self.stdout.write(f"Left alone, not a bounce or complaint: {item['source']} ({item['reason']})")
        for item in summary.not_ours:
            self.stdout.write(f"Left alone, a {item['kind']} report about no message of ours (no signed bounce address): {item['source']}")
        for item in summary.unreadable:
            self.stderr.write(f"Could not read {item['source']}: {item['error']}; left in place.")
