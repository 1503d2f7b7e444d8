from django.core.management.base import BaseCommand, CommandError

from partnerpost.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = ("Write a backup archive (.tar.gz) to PATH: a consistent copy of the database (SQLite online backup or "
            "pg_dump), the uploaded files and a manifest with their checksums. Safe while the site runs.")

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="the archive to write; must not exist yet")

    def handle(self, *args, path, **options):
        try:
            create_backup(path, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
