from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Demo content. `partnerpost demo load` adds the partners, items, users and edition of the 2020 Q4 newsletter, and a few confirmed subscribers; safe to run twice."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = sub.add_parser("load", help="Load the demo partners, items and users.")
        load.add_argument("--force", action="store_true", help="Load even in production mode.")

    def handle(self, *args, action, force=False, **options):
        from partnerpost.audience import demo as audience_demo
        from partnerpost.calls import demo as calls_demo
        from partnerpost.calls import review_demo
        from partnerpost.content import demo
        from partnerpost.editions import demo as edition_demo
        from partnerpost.registration import demo as registration_demo

        if settings.PRODUCTION and not force:
            raise CommandError("Refusing to load demo users with a known password in production. Use --force if you mean it.")
        demo.load(log=self.stdout.write)
        edition_demo.load(log=self.stdout.write)
        audience_demo.load(log=self.stdout.write)
        registration_demo.load(log=self.stdout.write)
        calls_demo.load(log=self.stdout.write)
        review_demo.load(log=self.stdout.write)
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (password for all: %s):" % demo.DEMO_PASSWORD)
        for spec in demo.USERS:
            role = "secretariat editor" if spec["secretariat"] else (
                f"{spec['partner'][0]} {spec['partner'][1]}" if spec["partner"] else "reader, no workspace")
            self.stdout.write(f"  {spec['username']:<8} {role}")
        for username, *_rest in review_demo.REVIEWERS:
            self.stdout.write(f"  {username:<8} reviewer (calls' review panels)")
