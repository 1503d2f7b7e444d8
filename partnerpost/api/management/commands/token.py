"""`partnerpost token create USERNAME`: an API token for scripts and operators, the same kind the
workspace's API tokens page makes. The token acts for that person's partner, with no more rights
than that person has; it is printed once and stored only as a hash."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partnerpost.api.workflows import create_token
from partnerpost.network.models import Partner, User
from partnerpost.network.permissions import api_token_partners


class Command(BaseCommand):
    help = "Make an API token for a user's partner and print it (once)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        create = actions.add_parser("create", help="Make a token and print it.")
        create.add_argument("username", help="The person the token acts for: a partner editor or a secretariat editor.")
        create.add_argument("--name", default="", help="What will use it, e.g. 'CMS sync' (default: 'command line').")
        create.add_argument("--partner", help="The partner's acronym, when the person may hold tokens of several.")
        create.add_argument("--expires-days", type=int, metavar="N",
                            help="The token stops working after N days (default: until revoked).")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"No active user is called {options['username']!r}.")
        partners = api_token_partners(user)
        if options["partner"]:
            partner = Partner.objects.filter(acronym__iexact=options["partner"]).first()
            if partner is None:
                raise CommandError(f"No partner has the acronym {options['partner']!r}.")
        else:
            choices = list(partners[:2])
            if not choices:
                raise CommandError(f"{user.username} may not hold API tokens: only a partner's editors and "
                                   "secretariat editors may (a contributor's token would have their editor's say).")
            if len(choices) > 1:
                names = ", ".join(p.acronym for p in partners)
                raise CommandError(f"{user.username} may hold tokens of several partners ({names}); choose one with --partner.")
            partner = choices[0]
        expires_at = None
        if options["expires_days"] is not None:
            if options["expires_days"] < 1:
                raise CommandError("--expires-days must be 1 or more.")
            expires_at = timezone.now() + dt.timedelta(days=options["expires_days"])
        name = (options["name"] or "command line").strip()[:100]
        try:
            token, secret = create_token(user, partner, name, expires_at)
        except PermissionDenied:
            raise CommandError(f"{user.username} may not manage API tokens of {partner.acronym}.") from None
        self.stderr.write(f"Token {token.prefix} for {partner.acronym}, acting as {user.username}"
                          + (f", expires {expires_at:%Y-%m-%d}" if expires_at else "") + ". It is shown only now:")
        self.stdout.write(secret)
