"""partnerpost registrations purge [--months N] | lapse-offers"""

from django.core.management.base import BaseCommand, CommandError

from partnerpost.registration import workflows


class Command(BaseCommand):
    help = "Event registrations: delete personal data past its keeping time, or pass on lapsed late offers."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        purge = sub.add_parser("purge", help="Delete registrants' personal data of events that ended more than "
                                             "REGISTRATION_KEEP_MONTHS months ago (default 24).")
        purge.add_argument("--months", type=int, help="Use this many months instead of REGISTRATION_KEEP_MONTHS.")
        sub.add_parser("lapse-offers", help="Pass on places offered in the last 24 hours and not accepted in time.")

    def handle(self, *args, **options):
        if options["action"] == "purge":
            months = options.get("months")
            if months is not None and months < 0:
                raise CommandError("--months must be 0 or more.")
            count = workflows.purge_personal_data(months=months)
            self.stdout.write(f"Deleted the personal data of {count} registration(s).")
        else:
            self.stdout.write(f"{workflows.lapse_offers()} offer(s) lapsed and passed on.")
